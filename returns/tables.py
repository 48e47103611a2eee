"""Delivery returns: what a delivery vehicle reports for each quarter of a contract, the commissioner's queries on
it, its versions, the payments they release and the annual performance rating of each KPI (issue 13). Payments live
here, beside the returns they pay for; the finance ledger reads their sum as actual spend."""

from piccolo.columns import JSON, BigInt, Boolean, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from contracts.tables import Contract, ContractKpi
from finance.tables import BudgetLine
from organisations.tables import Cluster


class DeliveryReturn(Table):
    """One quarter of one contract, made from its reporting schedule and kept in step with it. Whether it is
    overdue is not stored: the clock decides it (returns.rules)."""

    contract = ForeignKey(references=Contract, null=False)
    financial_year = Integer()
    quarter = Integer(help_text="1 (April to June) to 4 (January to March)")
    period_from = Date()
    period_to = Date()
    due_on = Date(help_text="Due this many days after the quarter ends, moved to the next Welsh working day")
    status = Varchar(length=20, default="not_started", help_text="not_started, draft, submitted, queried, accepted")
    version = Integer(default=0, help_text="Raised each time it is submitted or corrected")
    spend_pence = BigInt(null=True, default=None, help_text="Spend the vehicle incurred in the quarter, as reported")
    narrative = Text(default="")
    risks = Text(default="", help_text="Risks and issues")
    saved_at = Timestamptz(null=True, default=None)
    saved_by_username = Varchar(length=80, default="")
    submitted_at = Timestamptz(null=True, default=None)
    submitted_by_username = Varchar(length=80, default="")
    decided_at = Timestamptz(null=True, default=None, help_text="When it was last accepted or queried")
    decided_by_username = Varchar(length=80, default="")
    quarters = Integer(
        default=1, help_text="How many quarters it covers, ending with `quarter` (2: a half-yearly return, issue 15)"
    )
    light = Boolean(
        default=False, help_text="A light return: spend, activity and KPIs only (no narrative, risks or workforce)"
    )


class ReturnActivity(Table):
    """Units of the menu service's activity delivered in the quarter, in one cluster the contract covers."""

    delivery_return = ForeignKey(references=DeliveryReturn, null=False)
    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.restrict, null=False)
    units = Integer()


class ReturnKpiValue(Table):
    """The quarter's value of one of the contract's KPIs, as decimal text ("87.5")."""

    delivery_return = ForeignKey(references=DeliveryReturn, null=False)
    contract_kpi = ForeignKey(references=ContractKpi, on_delete=OnDelete.restrict, null=False)
    value = Varchar(length=40)


class ReturnWorkforce(Table):
    """Staff in post at the quarter's end in one staff group, in whole-time equivalents (decimal text)."""

    delivery_return = ForeignKey(references=DeliveryReturn, null=False)
    staff_group = Varchar(length=40)
    wte = Varchar(length=20)


class ReturnQuery(Table):
    """The commissioner's comment on one field of a submitted return; the vehicle corrects and resubmits."""

    delivery_return = ForeignKey(references=DeliveryReturn, null=False)
    version = Integer(help_text="The version of the return the comment was made on")
    field = Varchar(length=80, help_text="Which figure or text it is about")
    comment = Text()
    raised_at = Timestamptz()
    raised_by_username = Varchar(length=80)


class ReturnVersion(Table):
    """The return's figures as submitted, or as corrected after acceptance (with the reason): the history compares
    consecutive versions."""

    delivery_return = ForeignKey(references=DeliveryReturn, null=False)
    version = Integer()
    kind = Varchar(length=20, help_text="submitted or corrected")
    made_at = Timestamptz()
    made_by_username = Varchar(length=80)
    reason = Text(default="", help_text="Why an accepted return was corrected")
    figures = JSON(help_text="Activity, spend, KPI values, narrative, risks and workforce as they stood")


class PerformanceRating(Table):
    """The commissioner's assessment of one KPI for one financial year (and on termination), published on the
    contract's public page: good, approaching_target, requires_improvement or inadequate."""

    contract = ForeignKey(references=Contract, null=False)
    financial_year = Integer()
    contract_kpi = ForeignKey(references=ContractKpi, on_delete=OnDelete.restrict, null=False)
    rating = Varchar(length=30)
    note = Text(default="")
    rated_at = Timestamptz()
    rated_by_username = Varchar(length=80)


class Payment(Table):
    """A decision on one quarter's payment of a contract (the contract's schedule says what and when): approved by a
    finance director, which makes it actual spend on its budget line (finance.queries reads it), or withheld with a
    reason until released. A quarter with no row is not yet decided."""

    contract = ForeignKey(references=Contract, null=False)
    budget_line = ForeignKey(references=BudgetLine, on_delete=OnDelete.restrict, null=True, default=None)
    financial_year = Integer()
    quarter = Integer(help_text="1 (April to June) to 4 (January to March)")
    amount_pence = BigInt()
    status = Varchar(length=20, help_text="approved or withheld")
    decided_at = Timestamptz()
    decided_by_username = Varchar(length=80)
    reason = Text(default="", help_text="Why it is withheld (a performance notice), or why it was released")


class PaymentCluster(Table):
    """An approved payment split across clusters as that year's value is, so actual spend reads by cluster."""

    payment = ForeignKey(references=Payment, null=False)
    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.restrict, null=False)
    amount_pence = BigInt()
