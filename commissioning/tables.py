"""PCPG plans and priorities, service specifications and their parts, and clarification questions."""

from piccolo.columns import JSON, BigInt, Boolean, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from accounts.tables import User
from core.public_ids import new_public_id
from finance.tables import BudgetLine
from menu.tables import MenuServiceVersion
from organisations.tables import Cluster, DeliveryVehicle, Pcpg


class Plan(Table):
    """A PCPG's three-year plan, e.g. 2026-27 to 2028-29."""

    pcpg = ForeignKey(references=Pcpg, on_delete=OnDelete.restrict, null=False)
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
    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.restrict, null=False)


class Specification(Table):
    pcpg = ForeignKey(references=Pcpg, on_delete=OnDelete.restrict, null=False)
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
    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.restrict, null=False)


class SpecificationYear(Table):
    """The maximum value for one financial year of the term, and the budget line it draws on."""

    specification = ForeignKey(references=Specification, null=False)
    financial_year = Integer()
    max_value_pence = BigInt()
    budget_line = ForeignKey(references=BudgetLine, on_delete=OnDelete.restrict, null=True)


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
    delivery_vehicle = ForeignKey(references=DeliveryVehicle, on_delete=OnDelete.restrict, null=False)
    question = Text()
    asked_at = Timestamptz()
    asked_by_username = Varchar(length=80)
    answer = Text(default="")
    answered_at = Timestamptz(null=True, default=None)
    answered_by_username = Varchar(length=80, default="")


class Bid(Table):
    """A delivery vehicle's bid on a competitive specification; sealed until the deadline (PSR Wales 2025)."""

    specification = ForeignKey(references=Specification, null=False)
    delivery_vehicle = ForeignKey(references=DeliveryVehicle, on_delete=OnDelete.restrict, null=False)
    status = Varchar(length=20, default="draft", help_text="draft, submitted or withdrawn")
    staff = Text(default="", help_text="Declared capacity: the team that will deliver")
    start_on = Date(null=True, default=None, help_text="Declared date the service can start")
    created_at = Timestamptz()
    updated_at = Timestamptz()
    submitted_at = Timestamptz(null=True, default=None)
    withdrawn_at = Timestamptz(null=True, default=None)
    updated_by_username = Varchar(length=80, default="")
    public_id = Varchar(
        length=26,
        default=new_public_id,
        help_text="The bid's id as users see it (core.public_ids): random, so it tells nobody how many bids came "
        "before; unique (index bid_public_id)",
    )


class BidPrice(Table):
    bid = ForeignKey(references=Bid, null=False)
    financial_year = Integer()
    price_pence = BigInt()


class BidAnswer(Table):
    """The bidder's answer to one quality criterion (by its position in the specification)."""

    bid = ForeignKey(references=Bid, null=False)
    criterion_position = Integer()
    answer = Text(default="")


class BidAttachment(Table):
    """A document sent with a bid, stored outside the web root under var/attachments by its SHA-256."""

    bid = ForeignKey(references=Bid, null=False)
    filename = Varchar(length=200)
    content_type = Varchar(length=100)
    size_bytes = Integer()
    sha256 = Varchar(length=64)
    uploaded_at = Timestamptz()


class PanelMember(Table):
    """An evaluator named by the commissioner for one specification."""

    specification = ForeignKey(references=Specification, null=False)
    user = ForeignKey(references=User, on_delete=OnDelete.restrict, null=False)
    username = Varchar(length=80)
    named_at = Timestamptz()
    named_by_username = Varchar(length=80)


class Declaration(Table):
    """An evaluator's declaration of interests, made before any bid is shown; a conflict recuses them."""

    specification = ForeignKey(references=Specification, null=False)
    user = ForeignKey(references=User, on_delete=OnDelete.restrict, null=False)
    known_vehicle_ids = JSON(default=[], help_text="Bidders known to the evaluator")
    conflict = Boolean(default=False)
    statement = Text(default="")
    declared_at = Timestamptz()


class Score(Table):
    """One evaluator's 0-5 score of one bid on one criterion, with the reason."""

    bid = ForeignKey(references=Bid, null=False)
    criterion_position = Integer()
    user = ForeignKey(references=User, on_delete=OnDelete.restrict, null=False)
    score = Integer()
    justification = Text()
    scored_at = Timestamptz()


class ModeratedScore(Table):
    """The panel's consensus score per bid and criterion, recorded by the commissioner with a reason."""

    bid = ForeignKey(references=Bid, null=False)
    criterion_position = Integer()
    score = Integer()
    reason = Text()
    moderated_at = Timestamptz()
    moderated_by_username = Varchar(length=80)


class Award(Table):
    """The notice of intention to award and its standstill; once confirmed, the contract made from it points here
    (contracts.Contract.award)."""

    specification = ForeignKey(references=Specification, null=False)
    delivery_vehicle = ForeignKey(references=DeliveryVehicle, on_delete=OnDelete.restrict, null=False)
    bid = ForeignKey(references=Bid, null=True)
    rationale = Text()
    annual_values = JSON(default=[], help_text="[{financial_year, value_pence}] the contract will carry")
    notice_at = Timestamptz()
    standstill_ends_on = Date(null=True, default=None, help_text="Last day of standstill; none for Direct Award 1")
    status = Varchar(length=20, default="standstill", help_text="standstill, confirmed or withdrawn")
    confirmed_at = Timestamptz(null=True, default=None)
    awarded_by_username = Varchar(length=80)


class Representation(Table):
    """A bidder's challenge during standstill; standstill stays open until it is answered."""

    award = ForeignKey(references=Award, null=False)
    delivery_vehicle = ForeignKey(references=DeliveryVehicle, on_delete=OnDelete.restrict, null=False)
    text = Text()
    lodged_at = Timestamptz()
    lodged_by_username = Varchar(length=80)
    answer = Text(default="")
    answered_at = Timestamptz(null=True, default=None)
    answered_by_username = Varchar(length=80, default="")
