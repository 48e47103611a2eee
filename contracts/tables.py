"""Contracts made by the health board after an award, and their annual values (NHS Standard Contract particulars)."""

from piccolo.columns import JSON, BigInt, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from accounts.tables import User
from commissioning.tables import Award, Specification
from finance.tables import BudgetLine
from menu.tables import MenuServiceVersion
from organisations.tables import Cluster, DeliveryVehicle, HealthBoard, Pcpg


class Contract(Table):
    reference = Varchar(length=40, unique=True, help_text="e.g. CON-2027-0003")
    specification = ForeignKey(
        references=Specification,
        on_delete=OnDelete.restrict,
        null=True,
        default=None,
        help_text="The specification it came from (the line of sight); none for a contract made before this service",
    )
    award = ForeignKey(
        references=Award,
        on_delete=OnDelete.restrict,
        null=True,
        default=None,
        help_text="The award that made it; none for a contract made before this service",
    )
    health_board = ForeignKey(
        references=HealthBoard, on_delete=OnDelete.restrict, null=False, help_text="The contracting authority"
    )
    pcpg = ForeignKey(
        references=Pcpg,
        on_delete=OnDelete.restrict,
        null=False,
        help_text="Manages the contract on the health board's behalf",
    )
    delivery_vehicle = ForeignKey(references=DeliveryVehicle, on_delete=OnDelete.restrict, null=False)
    title = Varchar(length=200)
    title_cy = Varchar(length=200)
    start_on = Date()
    end_on = Date()
    status = Varchar(length=20, default="mobilising", help_text="mobilising, live, suspended, terminated, expired")
    total_value_pence = BigInt()
    made_at = Timestamptz()
    made_by_username = Varchar(length=80)
    award_notice = Text(default="", help_text="The published award notice")
    menu_service_version = ForeignKey(
        references=MenuServiceVersion,
        on_delete=OnDelete.restrict,
        null=True,
        default=None,
        help_text="The version of the national menu's service the specification was written from",
    )
    payment_timing = Varchar(length=20, default="in_arrears", help_text="in_advance or in_arrears, quarterly")
    reporting_due_days = Integer(default=30, help_text="A delivery return is due this many days after quarter end")
    version = Integer(default=1, help_text="Raised by each approved variation")
    status_changed_at = Timestamptz(null=True, default=None)
    live_from_on = Date(
        null=True, default=None, help_text="The day mobilisation was confirmed and the service went live"
    )
    terminated_on = Date(null=True, default=None, help_text="Last day of service of a terminated contract")
    status_reason = Text(default="", help_text="Why it was last suspended or terminated, as the commissioner gave it")
    origin = Varchar(
        length=20,
        default="awarded",
        help_text="awarded (made by an award here) or legacy (made before this service, brought in from a file)",
    )
    former_reference = Varchar(
        length=60,
        default="",
        index=True,
        help_text="A legacy contract's reference before this service, by which a later upload finds it again",
    )
    reported_from_on = Date(
        null=True,
        default=None,
        help_text="A legacy contract is paid and reported through this service from this day's quarter on only",
    )


class ContractYear(Table):
    """The contract's value for one financial year, paid quarterly, and the budget line it is committed on."""

    contract = ForeignKey(references=Contract, null=False)
    financial_year = Integer()
    value_pence = BigInt()
    budget_line = ForeignKey(references=BudgetLine, on_delete=OnDelete.restrict, null=True)


class ContractCluster(Table):
    """A cluster the contract's service covers."""

    contract = ForeignKey(references=Contract, null=False)
    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.restrict, null=False)


class ContractKpi(Table):
    """A KPI copied from the specification, with the thresholds the commissioner sets while mobilising."""

    contract = ForeignKey(references=Contract, null=False)
    position = Integer(default=0)
    name = Varchar(length=300)
    name_cy = Varchar(length=300)
    unit = Varchar(length=60)
    direction = Varchar(length=20, help_text="higher_is_better or lower_is_better")
    baseline = Varchar(length=100, default="")
    target = Varchar(length=100, default="")
    green_from = Varchar(length=40, default="", help_text="A value at or better than this is green; empty until set")
    red_from = Varchar(length=40, default="", help_text="A value worse than this is red; between the two, amber")


class ContractActivity(Table):
    """The indicative activity plan: units of the menu service's activity expected in one quarter."""

    contract = ForeignKey(references=Contract, null=False)
    financial_year = Integer()
    quarter = Integer(help_text="1 (April to June) to 4 (January to March)")
    units = Integer()


class ContractPayment(Table):
    """The payment schedule: what the health board pays for one quarter, and when it is due."""

    contract = ForeignKey(references=Contract, null=False)
    financial_year = Integer()
    quarter = Integer(help_text="1 (April to June) to 4 (January to March)")
    amount_pence = BigInt()
    due_on = Date()


class ContractAllocation(Table):
    """One year's value for one cluster, with the population it was split by as it stood then, so a later
    population update does not change a past allocation."""

    contract = ForeignKey(references=Contract, null=False)
    financial_year = Integer()
    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.restrict, null=False)
    amount_pence = BigInt()
    method = Varchar(length=20, help_text="population (share of the clusters' population) or explicit")
    population = Integer(null=True, default=None, help_text="The population used for the share, as it was then")
    population_source = Text(default="", help_text="Where that population came from")
    population_as_of = Varchar(
        length=20, default="", help_text="The date its source gives for that population (2020-01-01, 2018-10 or 2018)"
    )


class ContractVariation(Table):
    """A proposed change to a contract, approved or rejected by someone other than its proposer."""

    contract = ForeignKey(references=Contract, null=False)
    number = Integer(help_text="1, 2, 3... within the contract")
    kind = Varchar(length=30, help_text="additional_activity, price_change, change_of_scope, extension or correction")
    reason = Text()
    effective_on = Date()
    change = JSON(help_text="The proposed particulars that change: years, end, clusters, KPIs, payment timing")
    status = Varchar(length=20, default="proposed", help_text="proposed, approved or rejected")
    proposed_at = Timestamptz()
    proposed_by_username = Varchar(length=80)
    decided_at = Timestamptz(null=True, default=None)
    decided_by_username = Varchar(length=80, default="")
    decision_note = Text(default="")
    version_made = Integer(null=True, default=None, help_text="The contract version its approval made")


class ContractVersion(Table):
    """The contract's particulars as they stood from one version on: the history compares consecutive versions."""

    contract = ForeignKey(references=Contract, null=False)
    version = Integer()
    made_at = Timestamptz()
    made_by_username = Varchar(length=80)
    variation = ForeignKey(references=ContractVariation, null=True, default=None)
    particulars = JSON(help_text="Term, annual values, clusters, KPIs, payment timing and allocations")


class ViabilitySetting(Table):
    """The national thresholds below which a delivery vehicle is not viable; the newest row is in force."""

    min_live_services = Integer()
    min_annual_value_pence = BigInt()
    set_at = Timestamptz()
    set_by_username = Varchar(length=80)


class ContractImport(Table):
    """A file of contracts made before this service that a commissioner uploaded and checked, kept between the
    check and its confirmation (the preview page), for that user only. It holds the rows as read, never the file;
    applying it checks every row again (as finance.tables.BudgetImport)."""

    uploaded_by = ForeignKey(references=User, on_delete=OnDelete.cascade, null=False)
    filename = Varchar(length=200, help_text="The uploaded file's name, cleaned, as the user knows it")
    lines = JSON(help_text="The rows as read: contracts.schemas.legacy.LegacyContractIn, with their row numbers")
    created_at = Timestamptz()
    applied_at = Timestamptz(null=True, default=None, help_text="Set when the user confirmed it and it was applied")


class AutonomySetting(Table):
    """The national terms of earned autonomy (issue 15, item 5): for each tier what it asks (a maturity level in
    named domains, red-free quarters) and what reporting burden and variation limit it sets. Each setting is a new
    row and the newest is in force, as ViabilitySetting."""

    terms = JSON(
        help_text="By tier (standard, earned, high): frequency, light, variation_limit_pence, min_level, domains, "
        "red_free_quarters (contracts.autonomy_rules.TierTerms)"
    )
    set_at = Timestamptz()
    set_by_username = Varchar(length=80)


class VehicleTier(Table):
    """A delivery vehicle's autonomy tier from a quarter on: the tier in force for a quarter is the latest row
    effective on or before it (none: standard). Rows are never changed; the history is the table."""

    delivery_vehicle = ForeignKey(references=DeliveryVehicle, on_delete=OnDelete.restrict, null=False, index=True)
    tier = Varchar(length=20, help_text="standard, earned or high")
    financial_year = Integer(help_text="Effective from this financial year's quarter (the one after the decision)")
    quarter = Integer(help_text="1 (April to June) to 4 (January to March)")
    source = Varchar(length=20, help_text="computed (the quarterly recompute, or an override lifted) or override")
    reason = Text(default="", help_text="The commissioner's reason for an override, or what the recompute found")
    decided_at = Timestamptz()
    decided_by_username = Varchar(length=80, default="", help_text="Empty for the recompute by the clock")


class TierRecompute(Table):
    """A quarter whose tiers the clock has recomputed, so the hourly job does it once a quarter."""

    financial_year = Integer()
    quarter = Integer()
    ran_at = Timestamptz()
    changed = Integer(default=0, help_text="How many vehicles' tiers it changed")
