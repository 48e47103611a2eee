"""Budget lines and what is set against them. The ledger is computed from these rows, never kept as running
totals that could drift (DOMAIN.md, "Budgets and money").

Earmarks and commitments name their specification and contract lazily: those tables import this module."""

from piccolo.columns import JSON, BigInt, Bytea, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

from accounts.tables import User
from organisations.tables import Cluster, HealthBoard, Pcpg


class BudgetLine(Table):
    """Health board x PCPG x financial year x funding stream, with an amount."""

    health_board = ForeignKey(references=HealthBoard, on_delete=OnDelete.restrict, null=False)
    pcpg = ForeignKey(references=Pcpg, on_delete=OnDelete.restrict, null=False)
    financial_year = Integer(help_text="Start year: 2026 means 2026-27 (1 April 2026 to 31 March 2027)")
    funding_stream = Varchar(length=40, help_text="cluster_funding, regional_integration_fund, hb_core or other")
    amount_pence = BigInt()
    note = Text(default="")
    updated_at = Timestamptz()
    updated_by_username = Varchar(length=80)


class BudgetEarmark(Table):
    """A published specification's maximum for one year, held on a budget line until award or cancellation."""

    budget_line = ForeignKey(references=BudgetLine, on_delete=OnDelete.restrict, null=False)
    specification: ForeignKey[Table] = ForeignKey(
        references=LazyTableReference("Specification", module_path="commissioning.tables"),
        on_delete=OnDelete.restrict,
        null=False,
        help_text="The specification holding the money",
    )
    financial_year = Integer()
    amount_pence = BigInt()
    created_at = Timestamptz()
    released_at = Timestamptz(null=True, default=None, help_text="Set when the specification is cancelled or awarded")


class BudgetCommitment(Table):
    """A contract's value for one year, committed on a budget line when the contract is made."""

    budget_line = ForeignKey(references=BudgetLine, on_delete=OnDelete.restrict, null=False)
    contract: ForeignKey[Table] = ForeignKey(
        references=LazyTableReference("Contract", module_path="contracts.tables"),
        on_delete=OnDelete.restrict,
        null=False,
    )
    financial_year = Integer()
    amount_pence = BigInt()
    created_at = Timestamptz()
    released_at = Timestamptz(null=True, default=None, help_text="Set when a variation or termination releases it")


class BudgetCommitmentCluster(Table):
    """The cluster split of a commitment, as allocated when it was made, so spend by cluster needs no recomputing."""

    budget_commitment = ForeignKey(references=BudgetCommitment, null=False)
    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.restrict, null=False)
    amount_pence = BigInt()


class BudgetImport(Table):
    """A file of budget lines a user uploaded and checked, kept between the check and its confirmation (the preview
    page), for that user only. It holds the rows as read, never the file; applying it checks every row again."""

    uploaded_by = ForeignKey(references=User, on_delete=OnDelete.cascade, null=False)
    filename = Varchar(length=200, help_text="The uploaded file's name, cleaned, as the user knows it")
    lines = JSON(help_text="The rows as read: finance.schemas.BudgetImportLineIn, with their row numbers")
    created_at = Timestamptz()
    applied_at = Timestamptz(null=True, default=None, help_text="Set when the user confirmed it and it was applied")


class ExportJob(Table):
    """A finance pack or spend workbook prepared in the background for the one person who asked (issue 14, item 3),
    with its progress and, once done, the file itself; swept a day after it was asked for."""

    owner = ForeignKey(references=User, on_delete=OnDelete.cascade, null=False, help_text="Who asked: only they see it")
    kind = Varchar(length=20, help_text="finance_pack (PDF) or spend_workbook (Excel)")
    parameters = Text(help_text="What was asked for, as JSON: the spend page's filters and their names in words")
    language = Varchar(length=2, default="en", help_text="The language the file is written in")
    status = Varchar(length=10, default="queued", help_text="queued, running, done or failed (finance.rules)")
    progress = Integer(default=0, help_text="Per cent done, written by the run as it goes")
    claim = Varchar(length=32, default="", help_text="The run working on it; writes of any other run are refused")
    claimed_at = Timestamptz(null=True, default=None, help_text="When the run last claimed it or wrote progress")
    attempts = Integer(default=0, help_text="Runs started; a run silent too long is taken over until these run out")
    created_at = Timestamptz()
    finished_at = Timestamptz(null=True, default=None)
    expires_at = Timestamptz(help_text="When the job and its file are swept")
    file_name = Varchar(length=100, default="")
    content = Bytea(null=True, default=None, help_text="The file, once done")
