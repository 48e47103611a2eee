"""Pure rules for plans and specifications: lifecycle, what must be complete to publish, and weights.

Procurement routes and the sealed-bid rule come from the Health Services (Provider Selection Regime)
(Wales) Regulations 2025 as DOMAIN.md summarises them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Any, TypeVar
from urllib.parse import quote

from core.errors import Conflict, DomainError, NotAllowed
from core.i18n import N_
from core.periods import FinancialYear
from core.working_days import add_working_days

S = TypeVar("S", bound=StrEnum)


class ProcurementRoute(StrEnum):
    """The routes of the Provider Selection Regime (Wales) 2025 (DOMAIN.md, Procurement routes)."""

    DIRECT_AWARD_1 = "direct_award_1"
    DIRECT_AWARD_2 = "direct_award_2"
    MOST_SUITABLE_PROVIDER = "most_suitable_provider"
    COMPETITIVE = "competitive"

    @property
    def label(self) -> str:
        return _ROUTE_LABELS[self]

    @property
    def is_competitive(self) -> bool:
        """Bids, a panel and a ranking; every other route is a direct award of one kind or another."""
        return self is ProcurementRoute.COMPETITIVE

    @property
    def has_standstill(self) -> bool:
        """Every route but Direct Award 1 waits out the standstill before the contract is made."""
        return self in ROUTES_WITH_STANDSTILL


class SpecificationStatus(StrEnum):
    """A specification's lifecycle. `closed` is never stored: a published one is closed by the clock."""

    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    UNDER_EVALUATION = "under_evaluation"
    AWARDED = "awarded"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _SPECIFICATION_LABELS[self]

    @property
    def tag(self) -> str:
        """The NHS.UK tag colour a page shows it in."""
        return _SPECIFICATION_TAGS[self]


class BidStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _BID_LABELS[self]

    @property
    def tag(self) -> str:
        return _BID_TAGS[self]


class AwardStatus(StrEnum):
    STANDSTILL = "standstill"
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _AWARD_LABELS[self]


_ROUTE_LABELS = {
    ProcurementRoute.DIRECT_AWARD_1: N_("Direct Award 1: only one capable provider"),
    ProcurementRoute.DIRECT_AWARD_2: N_("Direct Award 2: existing provider performing satisfactorily"),
    ProcurementRoute.MOST_SUITABLE_PROVIDER: N_("Most Suitable Provider"),
    ProcurementRoute.COMPETITIVE: N_("Competitive process"),
}
_SPECIFICATION_LABELS = {
    SpecificationStatus.DRAFT: N_("Draft"),
    SpecificationStatus.PUBLISHED: N_("Open for bids"),
    SpecificationStatus.CLOSED: N_("Closed for bids"),
    SpecificationStatus.UNDER_EVALUATION: N_("Under evaluation"),
    SpecificationStatus.AWARDED: N_("Awarded"),
    SpecificationStatus.CANCELLED: N_("Cancelled"),
}
_SPECIFICATION_TAGS = {
    SpecificationStatus.DRAFT: "nhsuk-tag--grey",
    SpecificationStatus.PUBLISHED: "nhsuk-tag--green",
    SpecificationStatus.CLOSED: "nhsuk-tag--blue",
    SpecificationStatus.UNDER_EVALUATION: "nhsuk-tag--purple",
    SpecificationStatus.AWARDED: "nhsuk-tag--aqua-green",
    SpecificationStatus.CANCELLED: "nhsuk-tag--red",
}
_BID_LABELS = {
    BidStatus.DRAFT: N_("Draft, not submitted"),
    BidStatus.SUBMITTED: N_("Submitted"),
    BidStatus.WITHDRAWN: N_("Withdrawn"),
}
_BID_TAGS = {
    BidStatus.DRAFT: "nhsuk-tag--grey",
    BidStatus.SUBMITTED: "nhsuk-tag--green",
    BidStatus.WITHDRAWN: "nhsuk-tag--red",
}
_AWARD_LABELS = {
    AwardStatus.STANDSTILL: N_("In standstill"),
    AwardStatus.CONFIRMED: N_("Contract made"),
    AwardStatus.WITHDRAWN: N_("Withdrawn"),
}

# The allowed moves of each lifecycle; any move not listed is refused (tests/unit/commissioning/test_transitions.py).
SPECIFICATION_MOVES: Mapping[SpecificationStatus, frozenset[SpecificationStatus]] = {
    SpecificationStatus.DRAFT: frozenset({SpecificationStatus.PUBLISHED, SpecificationStatus.CANCELLED}),
    SpecificationStatus.PUBLISHED: frozenset(
        {SpecificationStatus.CLOSED, SpecificationStatus.AWARDED, SpecificationStatus.CANCELLED}
    ),
    SpecificationStatus.CLOSED: frozenset(
        {SpecificationStatus.UNDER_EVALUATION, SpecificationStatus.AWARDED, SpecificationStatus.CANCELLED}
    ),
    SpecificationStatus.UNDER_EVALUATION: frozenset({SpecificationStatus.AWARDED, SpecificationStatus.CANCELLED}),
    SpecificationStatus.AWARDED: frozenset(),
    SpecificationStatus.CANCELLED: frozenset(),
}
BID_MOVES: Mapping[BidStatus, frozenset[BidStatus]] = {
    BidStatus.DRAFT: frozenset({BidStatus.DRAFT, BidStatus.SUBMITTED, BidStatus.WITHDRAWN}),
    BidStatus.SUBMITTED: frozenset({BidStatus.SUBMITTED, BidStatus.WITHDRAWN}),
    BidStatus.WITHDRAWN: frozenset({BidStatus.DRAFT, BidStatus.SUBMITTED}),
}
AWARD_MOVES: Mapping[AwardStatus, frozenset[AwardStatus]] = {
    AwardStatus.STANDSTILL: frozenset({AwardStatus.CONFIRMED, AwardStatus.WITHDRAWN}),
    AwardStatus.CONFIRMED: frozenset(),
    AwardStatus.WITHDRAWN: frozenset(),
}


def can_move(moves: Mapping[S, frozenset[S]], current: S, to: S) -> bool:
    """Whether a lifecycle allows the move from `current` to `to` (its table of moves says so)."""
    return to in moves.get(current, frozenset())


ROUTES = {route.value: route.label for route in ProcurementRoute}
STATUSES = {status.value: status.label for status in SpecificationStatus}
MIN_TERM_YEARS = 1
MAX_TERM_YEARS = 5
SCORE_LEVELS = 6  # quality criteria are scored 0 to 5


def effective_status(stored: str, bid_deadline_at: datetime | None, now: datetime) -> SpecificationStatus:
    """A published specification closes by the clock when its deadline passes; nothing has to run for that."""
    status = SpecificationStatus(stored)
    if status is SpecificationStatus.PUBLISHED and bid_deadline_at is not None and now >= bid_deadline_at:
        return SpecificationStatus.CLOSED
    return status


def can_edit(status: str) -> bool:
    return status == SpecificationStatus.DRAFT


def can_publish(status: str) -> bool:
    return can_move(SPECIFICATION_MOVES, SpecificationStatus(status), SpecificationStatus.PUBLISHED)


def can_cancel(status: str) -> bool:
    return can_move(SPECIFICATION_MOVES, SpecificationStatus(status), SpecificationStatus.CANCELLED)


def can_begin_evaluation(status: str) -> bool:
    return can_move(SPECIFICATION_MOVES, SpecificationStatus(status), SpecificationStatus.UNDER_EVALUATION)


def is_public(status: str) -> bool:
    """Drafts stay with the PCPG; everything from publication on is open data."""
    return status != SpecificationStatus.DRAFT


def serves_specification(vehicle_cluster_ids: set[int], specification_cluster_ids: set[int]) -> bool:
    """A vehicle bids only for a specification in a cluster it serves (at least one of them): its approval was for
    those clusters (DOMAIN.md, delivery vehicles). A specification with no clusters yet is served by nobody."""
    return bool(vehicle_cluster_ids & specification_cluster_ids)


def can_withdraw_bid(status: str, *, bids_are_open: bool) -> bool:
    """A bid can be withdrawn while bids are open, unless it already is."""
    return bids_are_open and can_move(BID_MOVES, BidStatus(status), BidStatus.WITHDRAWN)


def bid_status_after_save(current: BidStatus | None, *, submit: bool) -> BidStatus:
    """Submitting submits; saving a draft keeps a submitted bid submitted (so it must stay complete)."""
    if submit or current is BidStatus.SUBMITTED:
        return BidStatus.SUBMITTED
    return BidStatus.DRAFT


def term_years(start_financial_year: int, term: int) -> list[int]:
    return list(range(start_financial_year, start_financial_year + term))


@dataclass
class Problems:
    """What stops a specification being published, field by field, so each can be shown beside its field."""

    items: dict[str, str] = field(default_factory=dict)

    def add(self, field_name: str, message: str) -> None:
        self.items.setdefault(field_name, message)

    def __bool__(self) -> bool:
        return bool(self.items)


@dataclass(frozen=True)
class YearPlan:
    financial_year: int
    max_value_pence: int
    budget_line_id: int | None
    budget_line_year: int | None
    budget_line_pcpg_id: int | None


@dataclass(frozen=True)
class CriterionPlan:
    title: str
    title_cy: str
    weight: int
    descriptor_count: int


# A deadline further ahead than this is a mistyped year, not a plan: no competition is advertised that long.
LONGEST_BIDDING = timedelta(days=730)


def deadline_problem(deadline: datetime, now: datetime) -> str | None:
    """A bid deadline must be ahead, and within two years (issue 11, item 7)."""
    if deadline <= now:
        return N_("The bid deadline must be in the future")
    if deadline > now + LONGEST_BIDDING:
        return N_("The bid deadline must be within two years from now")
    return None


def term_span(start_financial_year: int, term: int) -> tuple[date, date]:
    """The first and last day of a term: 1 April of its first financial year to 31 March after its last."""
    return FinancialYear(start_financial_year).first_day, FinancialYear(start_financial_year + term - 1).last_day


def start_on_problem(start_on: date, start_financial_year: int, term: int) -> str | None:
    """A service starts within the specification's term (financial years run April to March)."""
    first, last = term_span(start_financial_year, term)
    if not first <= start_on <= last:
        return N_("The service must start within the specification's term, from %(first)s to %(last)s")
    return None


def publication_problems(
    *,
    route: str,
    title: str,
    title_cy: str,
    description: str,
    description_cy: str,
    pcpg_id: int,
    cluster_pcpg_ids: list[int],
    start_financial_year: int,
    term: int,
    years: list[YearPlan],
    kpi_count: int,
    criteria: list[CriterionPlan],
    price_weight: int,
    bid_deadline_at: datetime | None,
    now: datetime,
) -> Problems:
    problems = Problems()
    if not title.strip():
        problems.add("title", N_("Enter the title in English"))
    if not title_cy.strip():
        problems.add("title_cy", N_("Enter the title in Welsh"))
    if not description.strip():
        problems.add("description", N_("Enter the description in English"))
    if not description_cy.strip():
        problems.add("description_cy", N_("Enter the description in Welsh"))
    if not cluster_pcpg_ids:
        problems.add("cluster_ids", N_("Select the clusters the service covers"))
    elif any(p != pcpg_id for p in cluster_pcpg_ids):
        problems.add("cluster_ids", N_("Every cluster must lie in the PCPG's footprint"))
    if not MIN_TERM_YEARS <= term <= MAX_TERM_YEARS:
        problems.add("term_years", N_("The term must be 1 to 5 years"))
    expected = term_years(start_financial_year, term)
    by_year = {y.financial_year: y for y in years}
    if sorted(by_year) != expected:
        problems.add("years", N_("Give a maximum value for each financial year of the term"))
    for year in years:
        if year.max_value_pence <= 0:
            problems.add("years", N_("Each year's maximum value must be more than £0"))
        if year.budget_line_id is None:
            problems.add("years", N_("Choose the budget line each year draws on"))
        elif year.budget_line_year != year.financial_year or year.budget_line_pcpg_id != pcpg_id:
            problems.add("years", N_("Each year must draw on a budget line of the same year and PCPG"))
    if kpi_count == 0:
        problems.add("kpis", N_("Set at least one KPI"))
    if route == ProcurementRoute.COMPETITIVE:
        if not criteria:
            problems.add("criteria", N_("Set at least one quality criterion"))
        if any(c.weight <= 0 for c in criteria):
            problems.add("criteria", N_("Each criterion needs a weight above 0"))
        if any(not c.title.strip() or not c.title_cy.strip() for c in criteria):
            problems.add("criteria", N_("Each criterion needs a title in English and Welsh"))
        if any(c.descriptor_count != SCORE_LEVELS for c in criteria):
            problems.add("criteria", N_("Each criterion needs a descriptor for every score from 0 to 5"))
        if sum(c.weight for c in criteria) + price_weight != 100:
            problems.add("criteria", N_("The quality weights and the price weight must add up to 100"))
        if bid_deadline_at is None:
            problems.add("bid_deadline_at", N_("Set the bid deadline"))
        elif (late := deadline_problem(bid_deadline_at, now)) is not None:
            problems.add("bid_deadline_at", late)
    return problems


# The sections of a draft, each edited on its own page (commissioning/pages/sections.py), by the fields they answer:
# what stops publication is shown with a link to the section that puts it right.
DRAFT_SECTIONS: Mapping[str, tuple[str, ...]] = {
    "particulars": (
        "title",
        "title_cy",
        "description",
        "description_cy",
        "plan_priority_id",
        "procurement_route",
        "clarification_contact",
        "bid_deadline_at",
    ),
    "clusters": ("cluster_ids",),
    "money": ("start_financial_year", "term_years", "years"),
    "kpis": ("kpis",),
    "criteria": ("criteria", "price_weight"),
}


def draft_section(field_name: str) -> str:
    """The section of a draft where a field is answered; the particulars for any field no section names."""
    for section, fields in DRAFT_SECTIONS.items():
        if field_name in fields:
            return section
    return "particulars"


def can_publish_now(*, status: str, problems: Mapping[str, str], shortfalls_pence: Iterable[int]) -> bool:
    """Whether the check page offers the Publish button: a draft with nothing missing (publication_problems), and
    every budget line it draws on has the headroom for its earmark (finance.rules.shortfall is 0 on each). The
    publish service refuses on its own all the same: the headroom can go between the check and the click."""
    return can_publish(status) and not problems and all(short <= 0 for short in shortfalls_pence)


KPI_DIRECTIONS = {"higher_is_better": N_("Higher is better"), "lower_is_better": N_("Lower is better")}


def cancellation_audience(status: str) -> list[str]:
    """Who learns of a cancellation and where, in the reader's words (shown before the commissioner confirms).

    Nobody is sent a notice. From the moment it is cancelled the specification is open data (is_public), so its
    page shows the date and the reason to anyone; bids exist only once it was published, and each bidder's list of
    bids then says it was cancelled (bid_outcome); a panel that was evaluating it has nothing more to do
    (panel_task). The audit trail keeps who cancelled it, when and why."""
    current = SpecificationStatus(status)
    told = [N_("Nobody is sent a notice or an email about the cancellation.")]
    told.append(N_("Anyone can read the specification's page, which will say that it was cancelled, when, and why."))
    if current is not SpecificationStatus.DRAFT:
        told.append(N_("Delivery vehicles that bid will see in their list of bids that it was cancelled."))
    if current is SpecificationStatus.UNDER_EVALUATION:
        told.append(N_("The evaluation panel will have nothing more to do for it."))
    told.append(N_("The audit trail records who cancelled it, when, and the reason."))
    return told


DEFAULT_CRITERIA = [
    (N_("Service model and delivery"), 30),
    (N_("Workforce, capacity and mobilisation"), 20),
    (N_("Outcomes, reporting and evaluation"), 10),
]
DEFAULT_PRICE_WEIGHT = 40
DEFAULT_DESCRIPTORS = [
    N_("0 - No response, or the response does not address the requirement"),
    N_("1 - Poor: major gaps, weaknesses or risks; little confidence it will be delivered"),
    N_("2 - Weak: some of the requirement addressed, with significant gaps or risks"),
    N_("3 - Satisfactory: the requirement addressed with minor gaps; reasonable confidence"),
    N_("4 - Good: the requirement fully addressed with evidence; good confidence"),
    N_("5 - Excellent: fully addressed with strong evidence and added value; full confidence"),
]


def can_see_specification(*, role: str | None, actor_pcpg_ids: tuple[int, ...], status: str, pcpg_id: int) -> bool:
    """Anyone sees a specification once published (open data); a draft only its PCPG's commissioners and admins."""
    if is_public(status):
        return True
    return role == "national_admin" or (role == "commissioner" and pcpg_id in actor_pcpg_ids)


def specification_actions(
    *, status: str, route: str, manages: bool, is_provider: bool, role: str | None = None, serves: bool = True
) -> dict[str, bool]:
    """What a reader may do with a specification in a status: its PCPG's commissioners write, publish, cancel
    and evaluate; a provider bids (competitive only, in a cluster its vehicle serves) and asks questions while it is
    open. An open competitive specification invites a reader who could bid: the public to sign in or register a
    delivery vehicle, a provider user without one to register it; a vehicle that serves none of its clusters is
    told so before it starts."""
    status = SpecificationStatus(status)
    competitive = route == ProcurementRoute.COMPETITIVE
    inviting = competitive and status is SpecificationStatus.PUBLISHED
    return {
        "invite_sign_in": inviting and role is None,
        "invite_register": inviting and role == "provider" and not is_provider,
        "not_served": inviting and is_provider and not serves,
        "manage": manages,
        "complete_draft": manages and can_publish(status),
        "cancel": manages and can_cancel(status),
        "begin_evaluation": manages and can_begin_evaluation(status),
        "evaluation": manages and status not in (SpecificationStatus.DRAFT, SpecificationStatus.CANCELLED),
        "bid": is_provider and competitive and status is not SpecificationStatus.DRAFT and serves,
        "change_bid": is_provider and competitive and status is SpecificationStatus.PUBLISHED and serves,
        "ask": is_provider and status is SpecificationStatus.PUBLISHED,
    }


def bids_sealed(bid_deadline_at: datetime | None, now: datetime) -> bool:
    """Before the deadline (or while there is none) no bid is opened to the panel or the commissioner."""
    return bid_deadline_at is None or now < bid_deadline_at


def evaluation_actions(
    *, status: str, bid_deadline_at: datetime | None, now: datetime, awarded: bool
) -> dict[str, bool]:
    """What the evaluation pages offer in a status: a panel is named from publication until the award; the panel
    scores and the commissioner moderates and awards while under evaluation; a direct award is made while open
    or closed. Nothing is offered once an award is made."""
    status = SpecificationStatus(status)
    evaluating = status is SpecificationStatus.UNDER_EVALUATION
    return {
        "sealed": bids_sealed(bid_deadline_at, now),
        "name_panel": status
        in (SpecificationStatus.PUBLISHED, SpecificationStatus.CLOSED, SpecificationStatus.UNDER_EVALUATION),
        "score": evaluating,
        "moderate": evaluating and not awarded,
        "award": evaluating and not awarded,
        "direct_award": status in (SpecificationStatus.PUBLISHED, SpecificationStatus.CLOSED) and not awarded,
    }


def can_manage_specification(*, role: str | None, actor_pcpg_ids: tuple[int, ...], pcpg_id: int) -> bool:
    """Writing, publishing and cancelling is the PCPG's commissioners' job."""
    return role == "commissioner" and pcpg_id in actor_pcpg_ids


# --- Bids, evaluation and award (Health Services (Provider Selection Regime) (Wales) Regulations 2025) ---

STANDSTILL_WORKING_DAYS = 8
ROUTES_WITH_STANDSTILL = (
    ProcurementRoute.DIRECT_AWARD_2,
    ProcurementRoute.MOST_SUITABLE_PROVIDER,
    ProcurementRoute.COMPETITIVE,
)
DIRECT_ROUTES = (
    ProcurementRoute.DIRECT_AWARD_1,
    ProcurementRoute.DIRECT_AWARD_2,
    ProcurementRoute.MOST_SUITABLE_PROVIDER,
)


def bids_open(status: str, bid_deadline_at: datetime | None, now: datetime) -> bool:
    """Bids can be made, replaced or withdrawn only while the specification is open, up to the deadline."""
    return (
        effective_status(status, bid_deadline_at, now) is SpecificationStatus.PUBLISHED and bid_deadline_at is not None
    )


def bid_refusal(*, route: str, status: str, bid_deadline_at: datetime | None, now: datetime) -> DomainError | None:
    """Why a bid cannot be made, changed or withdrawn now, or None when it can: only a competitive specification takes
    bids, and only while it is open (`bids_open`). A refusal after the deadline carries the deadline as a fact
    (`bid_deadline_at`), as a budget refusal carries its figures."""
    if route != ProcurementRoute.COMPETITIVE:
        return Conflict("This specification is a direct award: it takes no bids")
    if bids_open(status, bid_deadline_at, now):
        return None
    late: dict[str, Any] = {}
    if bid_deadline_at is not None and now >= bid_deadline_at:
        late["bid_deadline_at"] = bid_deadline_at
    return Conflict("The bid deadline has passed; bids can no longer be made, changed or withdrawn", **late)


def can_see_bid(
    *,
    own_vehicle: bool,
    bid_deadline_at: datetime | None,
    now: datetime,
    is_pcpg_commissioner: bool,
    is_cleared_evaluator: bool,
    is_admin: bool,
) -> bool:
    """Sealed bids: before the deadline only the bidding vehicle's own users know a bid exists. After it, the
    PCPG's commissioners, national administrators and panel evaluators who declared no conflict."""
    if own_vehicle:
        return True
    if bid_deadline_at is None or now < bid_deadline_at:
        return False
    return is_pcpg_commissioner or is_cleared_evaluator or is_admin


def price_problem(prices: dict[int, int], maxima: dict[int, int]) -> tuple[str, int] | None:
    """The first problem with a bid's prices: a year missing, a year not in the term, or above that year's max."""
    for year in sorted(maxima):
        if year not in prices:
            return N_("Give a price for %(year)s"), year
    for year, price in sorted(prices.items()):
        if year not in maxima:
            return N_("%(year)s is not in the specification's term"), year
        if price <= 0:
            return N_("The price for %(year)s must be more than £0"), year
        if price > maxima[year]:
            return N_("The price for %(year)s is above the maximum of %(maximum)s"), year
    return None


def has_scored_bid(scored_criteria: Iterable[int], criteria: Iterable[int]) -> bool:
    """An evaluator has scored a bid once every quality criterion has their score; a bid scored in part is not yet."""
    return set(criteria) <= set(scored_criteria)


@dataclass(frozen=True)
class BidResult:
    bid_id: int | str
    total_price_pence: int
    submitted_at: datetime
    moderated: dict[int, int]  # criterion position -> moderated score 0-5


@dataclass(frozen=True)
class RankedBid:
    bid_id: int | str
    quality_score: Fraction
    price_score: Fraction
    total_score: Fraction
    rank: int
    tie_note: str


def price_score(price_weight: int, lowest_total: int, this_total: int) -> Fraction:
    """Price weight x (lowest compliant total price / this bid's total price) (DOMAIN.md, Evaluation)."""
    if this_total <= 0:
        return Fraction(0)
    return Fraction(price_weight) * Fraction(lowest_total, this_total)


def quality_score(weights: dict[int, int], moderated: dict[int, int]) -> Fraction:
    """Sum over criteria of weight x moderated score / 5."""
    return sum(
        (Fraction(weight) * Fraction(moderated.get(position, 0), 5) for position, weight in weights.items()),
        Fraction(0),
    )


def rank_bids(weights: dict[int, int], price_weight: int, bids: list[BidResult]) -> list[RankedBid]:
    """Highest total first. Tie rule: equal totals (to 2 decimal places) are split by the higher quality
    score, then the lower total price, then the earlier submission; the note says which decided it."""
    if not bids:
        return []
    lowest = min(b.total_price_pence for b in bids)
    scored = []
    for bid in bids:
        quality = quality_score(weights, bid.moderated)
        price = price_score(price_weight, lowest, bid.total_price_pence)
        scored.append((bid, quality, price, quality + price))

    def shown(value: Fraction) -> Fraction:
        return Fraction(round(value * 100), 100)

    scored.sort(key=lambda s: (-shown(s[3]), -s[1], s[0].total_price_pence, s[0].submitted_at))
    ranked = []
    for index, (bid, quality, price, total) in enumerate(scored):
        note = ""
        neighbours = [s for s in scored if s[0].bid_id != bid.bid_id and shown(s[3]) == shown(total)]
        if neighbours:
            other = neighbours[0]
            if other[1] != quality:
                note = N_("Tied on total score; ranked by the higher quality score")
            elif other[0].total_price_pence != bid.total_price_pence:
                note = N_("Tied on total and quality scores; ranked by the lower total price")
            else:
                note = N_("Tied on total score, quality score and price; ranked by the earlier submission")
        ranked.append(
            RankedBid(
                bid_id=bid.bid_id,
                quality_score=quality,
                price_score=price,
                total_score=total,
                rank=index + 1,
                tie_note=note,
            )
        )
    return ranked


def standstill_ends_on(notice_on: date) -> date:
    """The last day of standstill: 8 working days after the notice, weekends and Welsh bank holidays excluded."""
    return add_working_days(notice_on, STANDSTILL_WORKING_DAYS)


def earliest_confirmation_on(route: str, notice_on: date) -> date:
    """The contract can be made the day after standstill ends (the notice day itself for Direct Award 1)."""
    if route not in ROUTES_WITH_STANDSTILL:
        return notice_on
    return standstill_ends_on(notice_on) + timedelta(days=1)


def confirmation_open(*, today: date, earliest_on: date) -> bool:
    """Standstill is over: from this day the contract can be made (once every representation is answered)."""
    return today >= earliest_on


def can_confirm(*, today: date, earliest_on: date, open_representations: int) -> bool:
    """A representation keeps standstill open until it is answered."""
    return confirmation_open(today=today, earliest_on=earliest_on) and open_representations == 0


def confirmation_refusal(*, today: date, earliest_on: date, open_representations: int) -> DomainError | None:
    """Why the contract cannot be made today, or None when it can (`can_confirm`): a representation still open, or
    standstill not yet over, which names the first day it can be made (`earliest_confirmation_on`)."""
    if open_representations:
        return Conflict(
            "Answer every representation before the contract is made (%(count)s open)", count=open_representations
        )
    if not confirmation_open(today=today, earliest_on=earliest_on):
        return Conflict(
            "The standstill has not ended. The contract can be made from %(date)s",
            date=earliest_on,
            earliest_confirmation_on=earliest_on,
        )
    return None


def representation_refusal(
    *,
    route: str,
    award_status: str,
    standstill_ends_on: date | None,
    today: date,
    own_vehicle_id: int | None,
    winner_vehicle_id: int,
    submitted_a_bid: bool,
) -> DomainError | None:
    """Why a provider may not make a representation on an award, or None if it may. Representations are made
    during standstill (none for Direct Award 1), up to its last day, by a bidder other than the winner; in a
    competitive process only by one that submitted a bid (PSR (Wales) 2025, DOMAIN.md Award)."""
    if award_status != AwardStatus.STANDSTILL:
        return Conflict("Representations can be made only during standstill")
    if route == ProcurementRoute.DIRECT_AWARD_1:
        return Conflict("A Direct Award 1 has no standstill")
    if standstill_ends_on is not None and today > standstill_ends_on:
        return Conflict(
            "Standstill ended on %(date)s; representations can no longer be made",
            date=standstill_ends_on,
            standstill_ends_on=standstill_ends_on,
        )
    eligible = own_vehicle_id is not None and own_vehicle_id != winner_vehicle_id
    if route == ProcurementRoute.COMPETITIVE:
        eligible = eligible and submitted_a_bid  # the winner, or a provider that did not bid, has nothing to contest
    if not eligible:
        return NotAllowed("Only a bidder can make a representation on this award")
    return None


class PanelTask(StrEnum):
    """What an evaluation panel needs from one of its members next (their dashboard)."""

    DECLARE = "declare"
    SCORE = "score"
    DONE = "done"
    RECUSED = "recused"
    FINISHED = "finished"

    @property
    def label(self) -> str:
        return _PANEL_TASK_LABELS[self]

    @property
    def tag(self) -> str:
        return _PANEL_TASK_TAGS[self]


_PANEL_TASK_LABELS = {
    PanelTask.DECLARE: N_("Declare your interests"),
    PanelTask.SCORE: N_("Score the bids"),
    PanelTask.DONE: N_("Scored"),
    PanelTask.RECUSED: N_("Recused"),
    PanelTask.FINISHED: N_("Evaluation finished"),
}
_PANEL_TASK_TAGS = {
    PanelTask.DECLARE: "nhsuk-tag--orange",
    PanelTask.SCORE: "nhsuk-tag--blue",
    PanelTask.DONE: "nhsuk-tag--green",
    PanelTask.RECUSED: "nhsuk-tag--grey",
    PanelTask.FINISHED: "nhsuk-tag--grey",
}


def panel_task(
    *, specification_status: str, declared: bool, conflict: bool, scores_given: int, scores_needed: int
) -> PanelTask:
    """Declare before seeing any bid; a conflict recuses; then score every bid on every criterion. Once the
    specification is awarded or cancelled nothing more is asked."""
    if specification_status in (SpecificationStatus.AWARDED, SpecificationStatus.CANCELLED):
        return PanelTask.FINISHED
    if not declared:
        return PanelTask.DECLARE
    if conflict:
        return PanelTask.RECUSED
    if scores_needed == 0 or scores_given < scores_needed:
        return PanelTask.SCORE
    return PanelTask.DONE


class BidOutcome(StrEnum):
    """How a provider's bid turned out, as their list of bids shows it."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    AWARDED = "awarded"
    UNSUCCESSFUL = "unsuccessful"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return _BID_OUTCOME_LABELS[self]

    @property
    def tag(self) -> str:
        return _BID_OUTCOME_TAGS[self]


_BID_OUTCOME_LABELS = {
    BidOutcome.DRAFT: N_("Draft, not submitted"),
    BidOutcome.SUBMITTED: N_("Submitted"),
    BidOutcome.WITHDRAWN: N_("Withdrawn"),
    BidOutcome.AWARDED: N_("Awarded to you"),
    BidOutcome.UNSUCCESSFUL: N_("Unsuccessful"),
    BidOutcome.CANCELLED: N_("Specification cancelled"),
}
_BID_OUTCOME_TAGS = {
    BidOutcome.DRAFT: "nhsuk-tag--grey",
    BidOutcome.SUBMITTED: "nhsuk-tag--blue",
    BidOutcome.WITHDRAWN: "nhsuk-tag--grey",
    BidOutcome.AWARDED: "nhsuk-tag--green",
    BidOutcome.UNSUCCESSFUL: "nhsuk-tag--red",
    BidOutcome.CANCELLED: "nhsuk-tag--grey",
}


def bid_outcome(
    *, bid_status: str, specification_status: str, awarded_vehicle_id: int | None, own_vehicle_id: int
) -> BidOutcome:
    """An award notice (in standstill or confirmed) decides a submitted bid's outcome: awarded to the bidder or not.
    Before one, the bid's own status; a cancelled specification ends every bid."""
    if bid_status == BidStatus.DRAFT:
        return BidOutcome.DRAFT
    if bid_status == BidStatus.WITHDRAWN:
        return BidOutcome.WITHDRAWN
    if specification_status == SpecificationStatus.CANCELLED:
        return BidOutcome.CANCELLED
    if awarded_vehicle_id is None:
        return BidOutcome.SUBMITTED
    return BidOutcome.AWARDED if awarded_vehicle_id == own_vehicle_id else BidOutcome.UNSUCCESSFUL


@dataclass(frozen=True)
class PanelSeat:
    """One named panel member, as far as finishing the scoring is concerned."""

    declared: bool
    conflict: bool
    scores_given: int


def scoring_complete(seats: list[PanelSeat], scores_needed: int) -> bool:
    """Scores are revealed, moderation opens and an award is possible only when every named member who is not
    recused has declared and scored every bid on every criterion, and at least one has. A member who never declares
    holds it up until the commissioner removes them from the panel (recorded, with a reason)."""
    if scores_needed <= 0:
        return False
    waiting_on = [seat for seat in seats if not (seat.declared and seat.conflict)]
    return bool(waiting_on) and all(seat.declared and seat.scores_given >= scores_needed for seat in waiting_on)


# Bid attachments: the name kept, the name served, and the bytes refused.

ATTACHMENT_NAME_MAX_LENGTH = 200
_QUOTES = frozenset("\"'`\u2018\u2019\u201c\u201d")
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<script", b"<body", b"<iframe")
HTML_SCAN_BYTES = 64 * 1024


def attachment_name(filename: str, *, extension: str) -> str:
    """The name an attachment is kept under, shown and served: the last part of a path (a browser may send
    `C:\\Users\\me\\plan.pdf`), without control or invisible formatting characters (NUL, CR, LF, a right-to-left
    override that disguises `gpj.exe`), quotes or leading dots, at most 200 characters with its extension kept. A
    name with nothing left is `attachment.<extension>`, `extension` being the type read from the file (`pdf`)."""
    last = filename.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(
        " " if unicodedata.category(ch) == "Zs" else ch
        for ch in last
        if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") and ch not in _QUOTES
    )
    kept = " ".join(kept.split()).lstrip(". ").rstrip(". ")
    if not kept.strip("."):
        return f"attachment.{extension}"
    stem, dot, suffix = kept.rpartition(".")
    if not dot or len(suffix) > 10:
        stem, suffix = kept, ""
    if len(kept) > ATTACHMENT_NAME_MAX_LENGTH:
        room = ATTACHMENT_NAME_MAX_LENGTH - (len(suffix) + 1 if suffix else 0)
        kept = stem[:room].rstrip(". ") + (f".{suffix}" if suffix else "")
    return kept


def attachment_disposition(filename: str) -> str:
    """`Content-Disposition` for a download (RFC 6266 with RFC 8187's `filename*`): always `attachment`, so a name can
    neither make the browser show the file nor add a header. The quoted `filename` is an ASCII stand-in for old
    clients (letters, digits, spaces and `._-()` only); `filename*` carries the name itself, percent-encoded."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = "".join(ch if ch.isalnum() or ch in " ._-()" else "_" for ch in ascii_name).strip(" ._") or "attachment"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def holds_html(content: bytes) -> bool:
    """A document that a browser would also render as a web page (a PDF/HTML polyglot): a tag that starts HTML or
    runs script within its first or last 64 KiB, in any case. Browsers sniff past a file's first bytes, so a file
    that starts `%PDF-` may still hold a page; compressed document streams make a false match vanishingly rare."""
    lowered = (content[:HTML_SCAN_BYTES] + b"\n" + content[-HTML_SCAN_BYTES:]).lower()
    return any(marker in lowered for marker in _HTML_MARKERS)
