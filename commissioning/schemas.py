"""Types in and out of plans, priorities, specifications and clarifications."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from litestar.datastructures import UploadFile
from msgspec import UNSET, UnsetType

from commissioning.rules import AwardStatus, BidOutcome, BidStatus, PanelTask, ProcurementRoute, SpecificationStatus
from core.bounds import Id
from core.public_ids import NamedPublicId

Route = ProcurementRoute
Direction = Literal["higher_is_better", "lower_is_better"]
Title = Annotated[str, msgspec.Meta(max_length=200)]
LongText = Annotated[str, msgspec.Meta(max_length=20000)]
Year = Annotated[int, msgspec.Meta(ge=2020, le=2100)]


class PlanIn(msgspec.Struct, forbid_unknown_fields=True):
    pcpg_id: Id
    first_financial_year: Year
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    title_cy: Title = ""


class PlanPriorityIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    need: Annotated[str, msgspec.Meta(min_length=1, max_length=5000)]
    cluster_ids: list[Id]
    title_cy: Title = ""
    need_source: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class PlanPriorityOut(msgspec.Struct):
    id: int
    plan_id: int
    title: str
    title_cy: str
    need: str
    need_source: str
    cluster_ids: list[int]
    cluster_names: list[str]
    cluster_names_shown: list[str] = []  # in the reader's language and its order, decided by the query


class PlanOut(msgspec.Struct):
    id: int
    pcpg_id: int
    pcpg: str
    first_financial_year: int
    label: str
    title: str
    title_cy: str
    priorities: list[PlanPriorityOut]
    pcpg_shown: str = ""  # in the reader's language, decided by the query


class YearIn(msgspec.Struct, forbid_unknown_fields=True):
    financial_year: Year
    max_value_pence: Annotated[int, msgspec.Meta(ge=0, le=10_000_000_000_00)]
    budget_line_id: Id | None = None


class KpiIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    name_cy: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    unit: Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
    direction: Direction
    baseline: Annotated[str, msgspec.Meta(max_length=100)] = ""
    target: Annotated[str, msgspec.Meta(max_length=100)] = ""


class DescriptorIn(msgspec.Struct, forbid_unknown_fields=True):
    en: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    cy: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class CriterionIn(msgspec.Struct, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    title_cy: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    weight: Annotated[int, msgspec.Meta(ge=1, le=100)]
    descriptors: Annotated[list[DescriptorIn], msgspec.Meta(min_length=6, max_length=6)]


class SpecificationIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A new specification from a menu service. Left-out texts, KPIs and criteria come from the menu and
    the standard criteria; a draft may be incomplete, publication checks it all."""

    pcpg_id: Id
    menu_service_id: Id
    start_financial_year: Year
    term_years: Annotated[int, msgspec.Meta(ge=1, le=5)]
    plan_priority_id: Id | None = None
    title: Title = ""
    title_cy: Title = ""
    description: LongText = ""
    description_cy: LongText = ""
    cluster_ids: list[Id] = []
    procurement_route: Route = ProcurementRoute.COMPETITIVE
    years: list[YearIn] = []
    kpis: list[KpiIn] | None = None
    criteria: list[CriterionIn] | None = None
    price_weight: Annotated[int, msgspec.Meta(ge=0, le=100)] = 40
    bid_deadline_at: datetime | None = None
    clarification_contact: Annotated[str, msgspec.Meta(max_length=200)] = ""


class SpecificationChangeIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A change to a draft: only the fields given are changed."""

    plan_priority_id: Id | UnsetType | None = UNSET
    title: Title | UnsetType = UNSET
    title_cy: Title | UnsetType = UNSET
    description: LongText | UnsetType = UNSET
    description_cy: LongText | UnsetType = UNSET
    cluster_ids: list[Id] | UnsetType = UNSET
    procurement_route: Route | UnsetType = UNSET
    start_financial_year: Year | UnsetType = UNSET
    term_years: Annotated[int, msgspec.Meta(ge=1, le=5)] | UnsetType = UNSET
    years: list[YearIn] | UnsetType = UNSET
    kpis: list[KpiIn] | UnsetType = UNSET
    criteria: list[CriterionIn] | UnsetType = UNSET
    price_weight: Annotated[int, msgspec.Meta(ge=0, le=100)] | UnsetType = UNSET
    bid_deadline_at: datetime | UnsetType | None = UNSET
    clarification_contact: Annotated[str, msgspec.Meta(max_length=200)] | UnsetType = UNSET


CANCEL_REASON_MAX_LENGTH = 2000


class CancelIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=CANCEL_REASON_MAX_LENGTH)]


class ClusterCovered(msgspec.Struct):
    id: int
    name: str
    name_cy: str | None
    population: int | None
    population_is_estimate: bool
    name_shown: str = ""  # in the reader's language, decided by the query
    population_source: str = ""
    population_as_of_shown: str = ""  # the date the source gives for the figure, in the reader's words; "" if none


class YearOut(msgspec.Struct):
    financial_year: int
    label: str
    max_value_pence: int
    budget_line_id: int | None
    budget_line_label: str


class KpiOut(msgspec.Struct):
    name: str
    name_cy: str
    unit: str
    direction: str
    baseline: str
    target: str
    name_shown: str = ""  # name and unit in the reader's language, decided by the query
    unit_shown: str = ""


class DescriptorOut(msgspec.Struct):
    en: str
    cy: str


class CriterionOut(msgspec.Struct):
    title: str
    title_cy: str
    weight: int
    descriptors: list[DescriptorOut]


class ClarificationOut(msgspec.Struct):
    id: int
    question: str
    asked_at: datetime
    answer: str
    answered_at: datetime | None
    mine: bool


class AwardRef(msgspec.Struct):
    """The specification's standing award (not withdrawn), if any."""

    id: int
    status: AwardStatus


class ComparedCriterion(msgspec.Struct):
    title: str
    title_cy: str
    weight: int


class ComparedBid(msgspec.Struct):
    """A bid's moderated scores (by criterion, None where none) and its scores, rounded to 2 places, and rank."""

    scores: list[int | None]
    quality: float
    price: float
    total: float
    rank: int


class BidderComparison(msgspec.Struct):
    """What a bidder is told after the award: its own scores beside the winner's."""

    criteria: list[ComparedCriterion]
    own: ComparedBid | None
    winner: ComparedBid | None
    is_winner: bool


class EvaluationActions(msgspec.Struct):
    """What the evaluation pages offer now, decided by commissioning.rules.evaluation_actions."""

    sealed: bool = True
    name_panel: bool = False
    score: bool = False
    moderate: bool = False
    award: bool = False
    direct_award: bool = False


class SpecificationActions(msgspec.Struct):
    """What the reader may do with a specification now, decided by commissioning.rules (pages only render it)."""

    manage: bool = False  # the reader is one of the PCPG's commissioners
    complete_draft: bool = False
    cancel: bool = False
    begin_evaluation: bool = False
    evaluation: bool = False
    bid: bool = False
    change_bid: bool = False
    ask: bool = False
    invite_sign_in: bool = False  # the public, on an open competitive specification
    invite_register: bool = False  # a provider user whose delivery vehicle is not registered yet
    not_served: bool = False  # the reader's vehicle serves none of its clusters, so it cannot bid


class SpecificationOut(msgspec.Struct):
    id: int
    reference: str
    status: SpecificationStatus
    pcpg_id: int
    pcpg: str
    pcpg_cy: str
    health_board_id: int
    health_board: str
    health_board_cy: str
    pcpg_shown: str
    health_board_shown: str
    menu_service_id: int
    menu_service_version: int
    menu_service_version_id: int
    menu_service: str
    menu_service_cy: str
    plan_priority_id: int | None
    plan_priority: str
    plan_need: str
    title: str
    title_cy: str
    description: str
    description_cy: str
    procurement_route: ProcurementRoute
    start_financial_year: int
    term_years: int
    clusters: list[ClusterCovered]
    years: list[YearOut]
    total_max_value_pence: int
    kpis: list[KpiOut]
    criteria: list[CriterionOut]
    price_weight: int
    bid_deadline_at: datetime | None
    clarification_contact: str
    created_at: datetime
    published_at: datetime | None
    cancelled_at: datetime | None
    cancellation_reason: str
    status_label: str = ""  # the reader's words for the status, in their language
    status_tag: str = ""  # the NHS.UK tag colour the status is shown in
    route_label: str = ""
    cancelled: bool = False
    actions: SpecificationActions = msgspec.field(default_factory=SpecificationActions)


class SpecificationSummary(msgspec.Struct):
    id: int
    reference: str
    status: SpecificationStatus
    title: str
    title_cy: str
    pcpg_id: int
    pcpg: str
    pcpg_cy: str
    health_board_id: int
    menu_service_id: int
    menu_service: str
    menu_service_cy: str
    pcpg_shown: str
    procurement_route: ProcurementRoute
    total_max_value_pence: int
    start_financial_year: int
    term_years: int
    bid_deadline_at: datetime | None
    published_at: datetime | None
    status_label: str = ""  # the reader's words for the status, in their language
    status_tag: str = ""
    route_label: str = ""


class LedgerEffect(msgspec.Struct):
    """What publishing would do to each budget line: shown before the commissioner confirms."""

    budget_line_id: int
    label: str
    financial_year: int
    budget_pence: int
    headroom_before_pence: int
    earmark_pence: int
    headroom_after_pence: int
    fits: bool
    warning: bool
    shortfall_pence: int = 0  # how much more the earmark needs than the line has left; 0 when it fits


class PublishProblem(msgspec.Struct):
    """One thing that stops publication, in the reader's words, with the section of the draft that puts it right."""

    message: str
    section: str


class PublishCheckOut(msgspec.Struct):
    """The check before publishing: the whole draft, what still stops it, the effect on each budget line, and
    whether it can be published now (commissioning.rules.can_publish_now; the page only renders the decision)."""

    specification: SpecificationOut
    problems: list[PublishProblem]
    effects: list[LedgerEffect]
    short_lines: list[LedgerEffect]  # the lines without the headroom for their earmark
    can_publish: bool


class EarmarkHeld(msgspec.Struct):
    """Money a specification holds on one budget line, which cancelling gives back."""

    budget_line_id: int
    label: str  # "Cardiff, 2027-28, Cluster funding", in the reader's language
    amount_pence: int


class CancelCheckOut(msgspec.Struct):
    """The check before cancelling: the specification, the reason as given, the money it releases and who learns
    of it (commissioning.rules.cancellation_audience)."""

    specification: SpecificationOut
    reason: str
    releases: list[EarmarkHeld]
    released_total_pence: int
    audience: list[str]


class PublishOut(msgspec.Struct):
    specification: SpecificationOut
    warnings: list[int]


class ClarificationIn(msgspec.Struct, forbid_unknown_fields=True):
    question: Annotated[str, msgspec.Meta(min_length=1, max_length=5000)]


class AnswerIn(msgspec.Struct, forbid_unknown_fields=True):
    answer: Annotated[str, msgspec.Meta(min_length=1, max_length=10000)]


# --- Bids, evaluation and award ---


class BidPriceIn(msgspec.Struct, forbid_unknown_fields=True):
    financial_year: Year
    price_pence: Annotated[int, msgspec.Meta(ge=0, le=10_000_000_000_00)]


class BidAnswerIn(msgspec.Struct, forbid_unknown_fields=True):
    criterion: Annotated[int, msgspec.Meta(ge=0, le=50, description="The criterion's position, from 0")]
    answer: Annotated[str, msgspec.Meta(max_length=20000)]


class BidIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A bid; `submit: false` keeps it as a draft only its own vehicle can see. `staff` and `start_on` are always sent:
    a submitted bid needs both (a 422 names the one missing); a draft may leave them empty (`""`, `null`)."""

    prices: list[BidPriceIn]
    staff: Annotated[str, msgspec.Meta(max_length=5000, description="The team that will deliver the service")]
    start_on: Annotated[date | None, msgspec.Meta(description="The date the service can start")]
    answers: list[BidAnswerIn] = []
    submit: bool = True


class AttachmentIn(msgspec.Struct):
    """A document for a bid, sent as `multipart/form-data` with one part named `file` (other parts are ignored)."""

    file: UploadFile


class BidPriceOut(msgspec.Struct):
    financial_year: int
    label: str
    price_pence: int


class BidAnswerOut(msgspec.Struct):
    criterion: int
    title: str
    title_cy: str
    answer: str


class AttachmentOut(msgspec.Struct):
    id: int
    filename: str
    content_type: str
    size_bytes: int
    uploaded_at: datetime


class AttachmentFile(msgspec.Struct):
    """A bid's document to download: where its bytes are kept (by content hash) and how to name them."""

    filename: str
    content_type: str
    sha256: str


class BidderOut(msgspec.Struct):
    """A delivery vehicle with a submitted bid, as an evaluator declaring interests sees it."""

    delivery_vehicle: int
    name: str


class EvaluatorOut(msgspec.Struct):
    username: str
    name: str  # the person's full name, as pages show them


class BidOut(msgspec.Struct):
    id: str  # the public id (core.public_ids), never the row's number
    specification_id: int
    reference: str
    delivery_vehicle_id: int
    delivery_vehicle: str
    status: BidStatus
    prices: list[BidPriceOut]
    total_price_pence: int
    answers: list[BidAnswerOut]
    staff: str
    start_on: date | None
    submitted_at: datetime | None
    withdrawn_at: datetime | None
    updated_at: datetime
    attachments: list[AttachmentOut]
    can_change: bool
    status_label: str = ""  # the reader's words for the status, in their language
    status_tag: str = ""
    is_submitted: bool = False
    can_withdraw: bool = False


class DeclarationIn(msgspec.Struct, forbid_unknown_fields=True):
    known_vehicle_ids: list[Id] = []
    conflict: bool = False
    statement: Annotated[str, msgspec.Meta(max_length=5000)] = ""


class ScoreIn(msgspec.Struct, forbid_unknown_fields=True):
    criterion: Annotated[int, msgspec.Meta(ge=0, le=50)]
    score: Annotated[int, msgspec.Meta(ge=0, le=5)]
    justification: Annotated[str, msgspec.Meta(min_length=1, max_length=5000)]


class ScoresIn(msgspec.Struct, forbid_unknown_fields=True):
    scores: list[ScoreIn]


class ModerationIn(msgspec.Struct, forbid_unknown_fields=True):
    criterion: Annotated[int, msgspec.Meta(ge=0, le=50)]
    score: Annotated[int, msgspec.Meta(ge=0, le=5)]
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=5000)]


class BidModerationIn(msgspec.Struct, forbid_unknown_fields=True):
    """A bid's moderated scores recorded together (the moderation page's one form per bid)."""

    scores: Annotated[list[ModerationIn], msgspec.Meta(min_length=1, max_length=50)]


class PanelMemberIn(msgspec.Struct, forbid_unknown_fields=True):
    username: Annotated[str, msgspec.Meta(min_length=1, max_length=80)]


class PanelRemovalIn(msgspec.Struct, forbid_unknown_fields=True):
    """Why a member leaves the panel (one who never declares holds the evaluation up)."""

    reason: Annotated[str, msgspec.Meta(max_length=2000)]


class PanelRemovalFormIn(msgspec.Struct, forbid_unknown_fields=True):
    """The page's form: which member (the API names them in its path) and why."""

    user_id: int
    reason: Annotated[str, msgspec.Meta(max_length=2000)]


class AwardValueIn(msgspec.Struct, forbid_unknown_fields=True):
    financial_year: Year
    value_pence: Annotated[int, msgspec.Meta(ge=1, le=10_000_000_000_00)]


class AwardIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Competitive: name the bid. Direct Award 1 or 2 and Most Suitable Provider: name the vehicle and the
    annual values, with the legal rationale."""

    rationale: Annotated[str, msgspec.Meta(min_length=1, max_length=10000)]
    bid_id: NamedPublicId | None = None
    delivery_vehicle_id: Id | None = None
    values: list[AwardValueIn] = []


class AwardYearOut(msgspec.Struct):
    financial_year: int
    label: str
    value_pence: int


class AwardCheckOut(msgspec.Struct, kw_only=True):
    """The notice of intention to award as it would be issued now, checked by the service's own rules and written
    nowhere: what the commissioner checks before issuing it (NHS.UK "check your answers")."""

    specification_id: int
    reference: str
    title: str
    title_cy: str
    delivery_vehicle: str
    values: list[AwardYearOut]
    total_value_pence: int
    rationale: str
    standstill_ends_on: date | None  # none for Direct Award 1: the contract can be made at once
    earliest_confirmation_on: date
    told: list[str]  # the delivery vehicles told of the notice, by name
    ranked: bool = False  # a competitive award: the winning bid's rank and scores follow
    rank: int | None = None
    ranked_bids: int = 0
    quality_score: float = 0.0
    price_score: float = 0.0
    total_score: float = 0.0
    delivery_vehicle_id: int | None = None  # the winner, for the decision preview of its viability (contracts)


class RepresentationIn(msgspec.Struct, forbid_unknown_fields=True):
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=10000)]


class ScoreOut(msgspec.Struct):
    criterion: int
    score: int
    justification: str
    evaluator: str  # username
    evaluator_name: str = ""  # full name, as pages show them


class BidEvaluationOut(msgspec.Struct):
    bid_id: str
    delivery_vehicle_id: int
    delivery_vehicle: str
    total_price_pence: int
    moderated: dict[int, int]
    quality_score: float
    price_score: float
    total_score: float
    rank: int | None
    tie_note: str
    scores: list[ScoreOut]
    reader_has_scored: bool = False  # the reader has scored every criterion (rules.has_scored_bid)


class PanelMemberOut(msgspec.Struct):
    user_id: int
    username: str
    name: str  # full name, as pages show them
    declared: bool
    conflict: bool
    scored_bids: int


class EvaluationOut(msgspec.Struct):
    specification_id: int
    status: SpecificationStatus
    criteria: list[CriterionOut]
    price_weight: int
    panel: list[PanelMemberOut]
    all_scored: bool
    all_moderated: bool
    bids: list[BidEvaluationOut]
    tie_rule: str
    status_label: str = ""  # the reader's words for the status, in their language


class RepresentationOut(msgspec.Struct):
    id: int
    delivery_vehicle_id: int
    text: str
    lodged_at: datetime
    answer: str
    answered_at: datetime | None


class AwardOut(msgspec.Struct):
    id: int
    specification_id: int
    reference: str
    route: ProcurementRoute
    delivery_vehicle_id: int
    delivery_vehicle: str
    bid_id: str | None
    rationale: str
    values: list[AwardValueIn]
    notice_at: datetime
    standstill_ends_on: date | None
    earliest_confirmation_on: date
    status: AwardStatus
    confirmed_at: datetime | None
    contract_id: int | None
    representations: list[RepresentationOut]
    status_label: str = ""  # the reader's words for the status, in their language
    route_label: str = ""
    # What the reader may do, decided by commissioning.rules for the reader and the clock.
    confirmed: bool = False
    standstill_over: bool = False
    can_represent: bool = False
    can_answer: bool = False
    can_confirm: bool = False  # the reader manages the award and it is in standstill
    confirm_ready: bool = False  # ...and the contract can be made now: standstill over, every representation answered
    open_representations: int = 0


class PanelTaskOut(msgspec.Struct):
    """One panel an evaluator sits on and what it needs from them next (their dashboard)."""

    specification_id: int
    reference: str
    title: str
    title_cy: str
    task: PanelTask
    task_label: str
    task_tag: str
    scores_given: int
    scores_needed: int


class OwnBidSummary(msgspec.Struct):
    """A provider's bid as their list shows it: what it was for, when bids closed and how it turned out."""

    bid_id: str
    specification_id: int
    reference: str
    title: str
    title_cy: str
    bid_deadline_at: datetime | None
    deadline_passed: bool
    outcome: BidOutcome
    outcome_label: str
    outcome_tag: str
    award_id: int | None
