"""PCPG plans and priorities, service specifications and their parts, and clarification questions."""

from piccolo.columns import JSON, BigInt, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

from finance.tables import BudgetLine
from menu.tables import MenuServiceVersion
from organisations.tables import Cluster, DeliveryVehicle, Pcpg


class Plan(Table):
    """A PCPG's three-year plan, e.g. 2026-27 to 2028-29."""

    pcpg = ForeignKey(references=Pcpg, null=False)
    first_financial_year = Integer(help_text="Start year of the plan's first year")
    title = Varchar(length=200)
    title_cy = Varchar(length=200, default="")
    created_at = Timestamptz()
    created_by_username = Varchar(length=80)


class PlanPriority(Table):
    """The need a plan answers: the first link of the line of sight from need to contract."""

    plan = ForeignKey(references=Plan, null=False)
    title = Varchar(length=200)
    title_cy = Varchar(length=200, default="")
    need = Text(help_text="The need it answers: PNA reference or cluster intelligence")
    need_source = Text(default="", help_text="Where the need is documented")
    created_at = Timestamptz()
    created_by_username = Varchar(length=80)


class PlanPriorityCluster(Table):
    plan_priority = ForeignKey(references=PlanPriority, null=False)
    cluster = ForeignKey(references=Cluster, null=False)


class Specification(Table):
    pcpg = ForeignKey(references=Pcpg, null=False)
    menu_service_version = ForeignKey(
        references=MenuServiceVersion, null=False, help_text="The version it was written from"
    )
    plan_priority = ForeignKey(references=PlanPriority, null=True)
    reference = Varchar(length=40, unique=True, help_text="e.g. CDV-2026-0007")
    title = Varchar(length=200)
    title_cy = Varchar(length=200)
    description = Text()
    description_cy = Text()
    procurement_route = Varchar(
        length=40, help_text="direct_award_1, direct_award_2, most_suitable_provider, competitive"
    )
    start_financial_year = Integer()
    term_years = Integer()
    price_weight = Integer(help_text="Percentage of the total score given to price")
    bid_deadline_at = Timestamptz(null=True, default=None)
    clarification_contact = Varchar(length=200, default="")
    status = Varchar(length=30, default="draft", help_text="draft, published, under_evaluation, awarded, cancelled")
    created_at = Timestamptz()
    created_by_username = Varchar(length=80)
    updated_at = Timestamptz()
    published_at = Timestamptz(null=True, default=None)
    cancelled_at = Timestamptz(null=True, default=None)
    cancellation_reason = Text(default="")


class SpecificationCluster(Table):
    specification = ForeignKey(references=Specification, null=False)
    cluster = ForeignKey(references=Cluster, null=False)


class SpecificationYear(Table):
    """The maximum value for one financial year of the term, and the budget line it draws on."""

    specification = ForeignKey(references=Specification, null=False)
    financial_year = Integer()
    max_value_pence = BigInt()
    budget_line = ForeignKey(references=BudgetLine, null=True)


class SpecificationKpi(Table):
    specification = ForeignKey(references=Specification, null=False)
    position = Integer(default=0)
    name = Varchar(length=300)
    name_cy = Varchar(length=300)
    unit = Varchar(length=60)
    direction = Varchar(length=20)
    baseline = Varchar(length=100, default="")
    target = Varchar(length=100, default="")


class EvaluationCriterion(Table):
    """A quality criterion scored 0-5 against written descriptors; its weight is a percentage of the total."""

    specification = ForeignKey(references=Specification, null=False)
    position = Integer(default=0)
    title = Varchar(length=200)
    title_cy = Varchar(length=200)
    weight = Integer()
    descriptors = JSON(default=[], help_text="Six texts, for scores 0 to 5")


class Clarification(Table):
    """A bidder's question; the answer is published to all bidders without naming who asked."""

    specification = ForeignKey(references=Specification, null=False)
    delivery_vehicle = ForeignKey(references=DeliveryVehicle, null=False)
    question = Text()
    asked_at = Timestamptz()
    asked_by_username = Varchar(length=80)
    answer = Text(default="")
    answered_at = Timestamptz(null=True, default=None)
    answered_by_username = Varchar(length=80, default="")
