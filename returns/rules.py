"""Pure rules for delivery returns (issue 13): a KPI value's RAG status against the contract's thresholds, the
return's status and when it is overdue, and the staff groups of its workforce. Values in, values out; no database,
no clock."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from core.i18n import N_
from core.money import split_exact
from core.periods import FinancialYear


class Direction(StrEnum):
    """Which way a KPI improves, as `ContractKpi.direction` stores it."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"

    @property
    def sign(self) -> int:
        """+1 when higher is better, -1 when lower is: a change times this sign is positive when it is better."""
        return 1 if self is Direction.HIGHER_IS_BETTER else -1

    @property
    def label(self) -> str:
        return _DIRECTION_LABELS[self]


_DIRECTION_LABELS = {
    Direction.HIGHER_IS_BETTER: N_("Higher is better"),
    Direction.LOWER_IS_BETTER: N_("Lower is better"),
}


class RAG(StrEnum):
    """A KPI value's status against the contract's thresholds."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NOT_RATED = "not_rated"

    @property
    def label(self) -> str:
        return _RAG_LABELS[self]

    @property
    def tag(self) -> str:
        """The NHS.UK tag class that shows it (the label says it in words too, so colour is not the only cue)."""
        return _RAG_TAGS[self]


_RAG_LABELS = {
    RAG.GREEN: N_("Green"),
    RAG.AMBER: N_("Amber"),
    RAG.RED: N_("Red"),
    RAG.NOT_RATED: N_("Not rated"),
}
_RAG_TAGS = {
    RAG.GREEN: "nhsuk-tag--green",
    RAG.AMBER: "nhsuk-tag--yellow",
    RAG.RED: "nhsuk-tag--red",
    RAG.NOT_RATED: "nhsuk-tag--grey",
}


def threshold(text: str | Decimal | None) -> Decimal | None:
    """A threshold as `ContractKpi.green_from` / `red_from` store it (text, empty until the commissioner sets it) as a
    number: "80", " 12.5 ", "95%" (a trailing per cent sign is the unit, not part of the number). Empty, or text
    that is not a number, is no threshold: the value is then not rated rather than rated against a guess."""
    if text is None or isinstance(text, Decimal):
        return text if text is None or text.is_finite() else None
    cleaned = text.strip().removesuffix("%").strip().replace(",", "")
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def kpi_rag(
    value: Decimal | None,
    direction: Direction | str,
    green_from: Decimal | str | None,
    red_from: Decimal | str | None,
) -> RAG:
    """The RAG status of one KPI value, as the contract's thresholds mean it (contracts/tables.py `ContractKpi`):
    green at or better than `green_from`; red worse than `red_from`; amber between. "Better" is higher or lower by
    the KPI's direction. Both thresholds are needed to rate (one alone cannot tell amber from its other side), and
    so is a value. Decimal comparisons, so the edges are exact: exactly `green_from` is green, exactly `red_from`
    is amber. Thresholds set the wrong way round (green worse than red) give green where both would apply: the
    value met the standard the commissioner called green."""
    green = threshold(green_from)
    red = threshold(red_from)
    if value is None or green is None or red is None:
        return RAG.NOT_RATED
    sign = Direction(direction).sign
    if (value - green) * sign >= 0:
        return RAG.GREEN
    if (value - red) * sign < 0:
        return RAG.RED
    return RAG.AMBER


# --- The return's life (issue 13, items 1 to 3) ---


class ReturnStatus(StrEnum):
    """A return waits for its quarter (not started), is saved as a draft, submitted, queried back to the vehicle,
    and accepted (then locked: changed only by a recorded correction). Overdue is not a status but the clock's
    reading of one not yet submitted after its due day (`is_overdue`)."""

    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    QUERIED = "queried"
    ACCEPTED = "accepted"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def tag(self) -> str:
        return _STATUS_TAGS[self]


_STATUS_LABELS = {
    ReturnStatus.NOT_STARTED: N_("Not started"),
    ReturnStatus.DRAFT: N_("Draft"),
    ReturnStatus.SUBMITTED: N_("Submitted"),
    ReturnStatus.QUERIED: N_("Queried"),
    ReturnStatus.ACCEPTED: N_("Accepted"),
}
_STATUS_TAGS = {
    ReturnStatus.NOT_STARTED: "nhsuk-tag--grey",
    ReturnStatus.DRAFT: "nhsuk-tag--blue",
    ReturnStatus.SUBMITTED: "nhsuk-tag--purple",
    ReturnStatus.QUERIED: "nhsuk-tag--orange",
    ReturnStatus.ACCEPTED: "nhsuk-tag--green",
}
OVERDUE_LABEL = N_("Overdue")

# Saving a draft keeps a not-started, draft or queried return with the vehicle; submitting sends it; the
# commissioner accepts or queries a submitted one. Any move not listed is refused.
RETURN_MOVES: dict[ReturnStatus, frozenset[ReturnStatus]] = {
    ReturnStatus.NOT_STARTED: frozenset({ReturnStatus.DRAFT, ReturnStatus.SUBMITTED}),
    ReturnStatus.DRAFT: frozenset({ReturnStatus.DRAFT, ReturnStatus.SUBMITTED}),
    ReturnStatus.QUERIED: frozenset({ReturnStatus.QUERIED, ReturnStatus.SUBMITTED}),
    ReturnStatus.SUBMITTED: frozenset({ReturnStatus.ACCEPTED, ReturnStatus.QUERIED}),
    ReturnStatus.ACCEPTED: frozenset(),
}
WITH_THE_VEHICLE = frozenset({ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT, ReturnStatus.QUERIED})
NOT_YET_SUBMITTED = frozenset({ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT})


def can_move_return(current: ReturnStatus, to: ReturnStatus) -> bool:
    return to in RETURN_MOVES.get(current, frozenset())


def is_overdue(status: ReturnStatus, due_on: date, today: date) -> bool:
    """Past its due day and never submitted (a queried return was submitted on time; its correction is not late)."""
    return status in NOT_YET_SUBMITTED and today > due_on


def quarter_has_ended(period_to: date, today: date) -> bool:
    """A return reports a quarter that is over: one for a quarter still running (or to come) cannot be submitted."""
    return today > period_to


# Staff groups of the NHS Electronic Staff Record, with the roles clusters add beside them (social prescribers,
# care co-ordinators), for the workforce in post.
STAFF_GROUPS = {
    "medical_dental": N_("Medical and dental"),
    "nursing_midwifery": N_("Nursing and midwifery"),
    "allied_health": N_("Allied health professionals"),
    "healthcare_scientists": N_("Healthcare scientists"),
    "additional_clinical": N_("Additional clinical services"),
    "administrative": N_("Administrative and clerical"),
    "wellbeing_and_social": N_("Wellbeing and social prescribing"),
    "other": N_("Other"),
}


class ReturnAction(StrEnum):
    """What a reader of a return may do next; each is a page at /returns/{id}/{slug}."""

    EDIT = "edit"
    SUBMIT = "submit"
    REVIEW = "review"
    CORRECT = "correct"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    ReturnAction.EDIT: N_("Fill in the return"),
    ReturnAction.SUBMIT: N_("Check and submit the return"),
    ReturnAction.REVIEW: N_("Review the return: accept or query it"),
    ReturnAction.CORRECT: N_("Correct the accepted return"),
}


def return_actions(
    *, submits: bool, reviews: bool, status: ReturnStatus, period_to: date, today: date
) -> list[ReturnAction]:
    """The vehicle's users fill in and submit a return while it is with them (submitting once its quarter is over);
    the commissioner of its PCPG reviews a submitted one; either may correct an accepted one, with a reason, which
    makes a new version."""
    actions: list[ReturnAction] = []
    if submits and status in WITH_THE_VEHICLE:
        actions.append(ReturnAction.EDIT)
        if quarter_has_ended(period_to, today):
            actions.append(ReturnAction.SUBMIT)
    if reviews and status is ReturnStatus.SUBMITTED:
        actions.append(ReturnAction.REVIEW)
    if (submits or reviews) and status is ReturnStatus.ACCEPTED:
        actions.append(ReturnAction.CORRECT)
    return actions


# --- Outcomes and the equity view (issue 13, item 5) ---

QUARTER_LABEL = N_("%(year)s Q%(quarter)s")


def per_thousand(units: int | None, population: int | None) -> Decimal | None:
    """Activity per 1,000 population, to one decimal place (half up), for comparing clusters of different sizes (the
    equity view: "less of a postcode lottery"). None without both figures: a cluster whose population is not known
    is listed apart, never given a guessed one."""
    if units is None or population is None or population <= 0:
        return None
    return (Decimal(units) * 1000 / Decimal(population)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def latest_rag(
    values: list[tuple[int, int, Decimal | None]], direction: Direction | str, green_from: str, red_from: str
) -> tuple[int, int, Decimal | None, RAG] | None:
    """The latest of (financial year, quarter, value) readings and its RAG status, or None when there is none."""
    if not values:
        return None
    year, quarter, value = max(values, key=lambda reading: (reading[0], reading[1]))
    return year, quarter, value, kpi_rag(value, direction, green_from, red_from)


def mean_of(values: list[Decimal | None]) -> Decimal | None:
    """The mean of the reported values (to two decimal places, half up), or None when none was reported."""
    known = [value for value in values if value is not None]
    if not known:
        return None
    return (sum(known, Decimal(0)) / len(known)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- The annual performance rating and reminders (issue 13, items 6 and 7) ---


class PerformanceRatingKind(StrEnum):
    """The four ratings of a KPI's performance over a year that the UK Government uses for contract performance:
    the Cabinet Office's guidance on key performance indicators for the Procurement Act 2023 (section 52, assessed
    at least once every 12 months and on termination, published in a contract performance notice) rates each KPI
    Good, Approaching target, Requires improvement or Inadequate."""

    GOOD = "good"
    APPROACHING_TARGET = "approaching_target"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"

    @property
    def label(self) -> str:
        return _RATING_LABELS[self]

    @property
    def tag(self) -> str:
        return _RATING_TAGS[self]


_RATING_LABELS = {
    PerformanceRatingKind.GOOD: N_("Good"),
    PerformanceRatingKind.APPROACHING_TARGET: N_("Approaching target"),
    PerformanceRatingKind.REQUIRES_IMPROVEMENT: N_("Requires improvement"),
    PerformanceRatingKind.INADEQUATE: N_("Inadequate"),
}
_RATING_TAGS = {
    PerformanceRatingKind.GOOD: "nhsuk-tag--green",
    PerformanceRatingKind.APPROACHING_TARGET: "nhsuk-tag--yellow",
    PerformanceRatingKind.REQUIRES_IMPROVEMENT: "nhsuk-tag--orange",
    PerformanceRatingKind.INADEQUATE: "nhsuk-tag--red",
}
RATING_NOTE_MAX_LENGTH = 2_000


def suggested_rating(rags: Iterable[RAG]) -> PerformanceRatingKind | None:
    """The rating a year's RAG statuses of one KPI suggest (its accepted quarters'), which the commissioner confirms
    or changes. The Cabinet Office ratings read against the contract's thresholds: green is at or better than the
    standard the commissioner set, red worse than the minimum, amber between (`kpi_rag`). So:
    every rated quarter green is Good; short of green but never red is Approaching target; red in some quarters, at
    most half of them, Requires improvement; red in more than half, Inadequate. Quarters not rated (no value, no
    thresholds) say nothing; with none rated there is no suggestion, and the commissioner decides unaided."""
    rated = [rag for rag in rags if rag is not RAG.NOT_RATED]
    if not rated:
        return None
    reds = sum(1 for rag in rated if rag is RAG.RED)
    if reds * 2 > len(rated):
        return PerformanceRatingKind.INADEQUATE
    if reds:
        return PerformanceRatingKind.REQUIRES_IMPROVEMENT
    if any(rag is RAG.AMBER for rag in rated):
        return PerformanceRatingKind.APPROACHING_TARGET
    return PerformanceRatingKind.GOOD


def rateable_years(*, start_on: date, end_on: date, terminated_on: date | None, today: date) -> list[int]:
    """The financial years of a contract's term the commissioner may rate now (stored as their start year): each
    once it has ended (its 31 March, or the term's last day if sooner), and, once the contract is terminated, the
    year of its last day of service at once (the assessment on termination), even before that day comes."""
    last_day = terminated_on or end_on
    first = FinancialYear.containing(start_on).start_year
    last = FinancialYear.containing(last_day).start_year
    years = []
    for year in range(first, last + 1):
        ends_on = min(FinancialYear(year).last_day, last_day)
        if today > ends_on or (terminated_on is not None and year == last):
            years.append(year)
    return years


REMINDER_DAYS_BEFORE = 7  # a reminder this many days before a return's due day
OVERDUE_REMINDER_DAYS = (1, 2, 3)  # and one on each of these days after it, while it is still not submitted


class ReminderKind(StrEnum):
    """Which reminder a return not yet submitted gets on a day; the value is the notice's kind
    (notifications.rules.MESSAGES)."""

    DUE_SOON = "return_due_soon"
    OVERDUE = "return_overdue"


def reminder_for(status: ReturnStatus, due_on: date, today: date) -> ReminderKind | None:
    """Issue 13, item 7: a return not yet submitted is reminded 7 days before its due day and on each of the first
    3 days it is overdue, by the Welsh calendar day (`today`); never otherwise, and never once submitted (a queried
    return was submitted on time, `is_overdue`)."""
    if status not in NOT_YET_SUBMITTED:
        return None
    days_late = (today - due_on).days
    if days_late == -REMINDER_DAYS_BEFORE:
        return ReminderKind.DUE_SOON
    if days_late in OVERDUE_REMINDER_DAYS:
        return ReminderKind.OVERDUE
    return None


def reminder_due_days(today: date) -> list[date]:
    """The due days of the returns `reminder_for` may remind on `today`, for the database to find them."""
    return [today + timedelta(days=REMINDER_DAYS_BEFORE), *(today - timedelta(days=d) for d in OVERDUE_REMINDER_DAYS)]


# --- Reviewing a return (issue 13, item 3): the fields a comment is on, and what changed between two versions ---

SPEND_FIELD = "spend_pence"
NARRATIVE_FIELD = "narrative"
RISKS_FIELD = "risks"
ACTIVITY_PREFIX = "activity:"
KPI_PREFIX = "kpi:"
WORKFORCE_PREFIX = "workforce:"
COMMENT_MAX_LENGTH = 2_000


def activity_field(cluster_id: int) -> str:
    return f"{ACTIVITY_PREFIX}{cluster_id}"


def kpi_field(contract_kpi_id: int) -> str:
    return f"{KPI_PREFIX}{contract_kpi_id}"


def workforce_field(staff_group: str) -> str:
    return f"{WORKFORCE_PREFIX}{staff_group}"


def return_fields(*, cluster_ids: list[int], kpi_ids: list[int]) -> list[str]:
    """Every field of a return a commissioner may comment on, in the order the return shows them: the activity
    of each cluster the contract covers, the spend, each KPI, the narrative, risks and issues, then each staff group.
    The one list the review form's comment boxes, the API's `field` values and the history's changes share."""
    return [
        *(activity_field(cluster_id) for cluster_id in cluster_ids),
        SPEND_FIELD,
        *(kpi_field(kpi_id) for kpi_id in kpi_ids),
        NARRATIVE_FIELD,
        RISKS_FIELD,
        *(workforce_field(group) for group in STAFF_GROUPS),
    ]


Figure = int | str | None


def flat_figures(snapshot: Mapping[str, Any]) -> dict[str, Figure]:
    """A version's figures (`ReturnFiguresIn` as plain values, as `ReturnVersion.figures` keeps them) by field name:
    {"spend_pence": 2400000, "activity:3": 120, "kpi:7": "40", "narrative": "...", "workforce:other": "1.5"}. A
    figure that is absent is left out, so absent and None read alike."""
    flat: dict[str, Figure] = {}
    if snapshot.get("spend_pence") is not None:
        flat[SPEND_FIELD] = int(snapshot["spend_pence"])
    for row in snapshot.get("activity") or []:
        flat[f"{ACTIVITY_PREFIX}{int(row['cluster_id'])}"] = int(row["units"])
    for row in snapshot.get("kpi_values") or []:
        flat[f"{KPI_PREFIX}{int(row['contract_kpi_id'])}"] = str(row["value"])
    for key in (NARRATIVE_FIELD, RISKS_FIELD):
        if snapshot.get(key):
            flat[key] = str(snapshot[key])
    for row in snapshot.get("workforce") or []:
        flat[f"{WORKFORCE_PREFIX}{row['staff_group']}"] = str(row["wte"])
    return flat


def _same(before: Figure, after: Figure) -> bool:
    """Numbers typed differently ("40" and "40.0", "2.5" and "2.50") are the same figure; text is compared as is."""
    if isinstance(before, str) and isinstance(after, str):
        left, right = threshold(before), threshold(after)
        if left is not None and right is not None:
            return left == right
    return before == after


def figure_changes(
    before: Mapping[str, Figure], after: Mapping[str, Figure], order: list[str]
) -> list[tuple[str, Figure, Figure]]:
    """What changed from one version's figures to the next, field by field: (field, before, after), in the return's
    order (`order`, from `return_fields`), then any field no longer in it (a cluster or KPI since removed)."""
    fields = [*order, *sorted((set(before) | set(after)) - set(order))]
    return [
        (field, before.get(field), after.get(field))
        for field in fields
        if not _same(before.get(field), after.get(field))
    ]


def can_correct(status: ReturnStatus) -> bool:
    """Only an accepted return is corrected (with a reason, as a new version); before acceptance the vehicle
    changes it by saving and submitting again."""
    return status is ReturnStatus.ACCEPTED


# --- Payments and actual spend (issue 13, item 4) ---


class PaymentStatus(StrEnum):
    """Where one quarter's payment stands. Scheduled and payable are the clock's and the return's reading of a
    quarter with no decision (no `Payment` row, or one released); approved and withheld are the finance director's
    decisions, stored."""

    SCHEDULED = "scheduled"
    PAYABLE = "payable"
    APPROVED = "approved"
    WITHHELD = "withheld"

    @property
    def label(self) -> str:
        return _PAYMENT_LABELS[self]

    @property
    def tag(self) -> str:
        return _PAYMENT_TAGS[self]


_PAYMENT_LABELS = {
    PaymentStatus.SCHEDULED: N_("Scheduled"),
    PaymentStatus.PAYABLE: N_("To approve"),
    PaymentStatus.APPROVED: N_("Approved"),
    PaymentStatus.WITHHELD: N_("Withheld"),
}
_PAYMENT_TAGS = {
    PaymentStatus.SCHEDULED: "nhsuk-tag--grey",
    PaymentStatus.PAYABLE: "nhsuk-tag--blue",
    PaymentStatus.APPROVED: "nhsuk-tag--green",
    PaymentStatus.WITHHELD: "nhsuk-tag--red",
}
PAYMENT_RELEASED = "released"
"""`Payment.status` of a withheld payment released again: no decision stands, so it reads as scheduled or payable."""
PAYMENT_STATUS_ORDER = (PaymentStatus.PAYABLE, PaymentStatus.WITHHELD, PaymentStatus.SCHEDULED, PaymentStatus.APPROVED)
"""The finance director's list: what waits for them first, what is done last."""


def is_payable(timing: str, quarter_first_day: date, today: date, return_status: ReturnStatus | str | None) -> bool:
    """The contract's payment schedule (contracts.rules.payment_schedule): in advance, payable from the quarter's
    first day; in arrears, once that quarter's delivery return is accepted (whatever the day)."""
    if timing == "in_advance":
        return today >= quarter_first_day
    return return_status is not None and ReturnStatus(return_status) is ReturnStatus.ACCEPTED


def payment_state(
    timing: str,
    quarter_first_day: date,
    today: date,
    return_status: ReturnStatus | str | None,
    decided: PaymentStatus | str | None,
) -> PaymentStatus:
    """A quarter's payment: the decision on it where one stands (approved, withheld), else payable or scheduled."""
    if decided in (PaymentStatus.APPROVED, PaymentStatus.WITHHELD):
        return PaymentStatus(decided)
    if is_payable(timing, quarter_first_day, today, return_status):
        return PaymentStatus.PAYABLE
    return PaymentStatus.SCHEDULED


class PaymentAction(StrEnum):
    """What a finance director may do with a quarter's payment; each is a page at
    /payments/{contract_id}/{financial_year}/{quarter}/{action} and an API call of the same name."""

    APPROVE = "approve"
    WITHHOLD = "withhold"
    RELEASE = "release"

    @property
    def label(self) -> str:
        return _PAYMENT_ACTION_LABELS[self]


_PAYMENT_ACTION_LABELS = {
    PaymentAction.APPROVE: N_("Approve"),
    PaymentAction.WITHHOLD: N_("Withhold"),
    PaymentAction.RELEASE: N_("Release"),
}
PAYMENT_MOVES: dict[PaymentStatus, frozenset[PaymentAction]] = {
    PaymentStatus.SCHEDULED: frozenset(),
    PaymentStatus.PAYABLE: frozenset({PaymentAction.APPROVE, PaymentAction.WITHHOLD}),
    PaymentStatus.WITHHELD: frozenset({PaymentAction.RELEASE}),
    PaymentStatus.APPROVED: frozenset(),
}
"""An approved payment is spent and stays so; a withheld one is released (payable again) before it is approved."""
PAYMENT_MOVE_REFUSALS = {
    PaymentAction.APPROVE: N_("Only a payment that is due can be approved. This one is: %(status)s"),
    PaymentAction.WITHHOLD: N_("Only a payment that is due can be withheld. This one is: %(status)s"),
    PaymentAction.RELEASE: N_("Only a withheld payment can be released. This one is: %(status)s"),
}
SAME_PERSON_REFUSAL = N_(
    "You accepted this quarter's delivery return, so someone else must approve its payment (separation of duties)"
)


def payment_move_refusal(action: PaymentAction, state: PaymentStatus) -> str | None:
    """The words of the refusal (with `%(status)s` for the state's label), or None when the move is allowed."""
    return None if action in PAYMENT_MOVES[state] else PAYMENT_MOVE_REFUSALS[action]


def approval_refusal(
    approver_username: str, return_decided_by_username: str | None, return_status: ReturnStatus | str | None
) -> str | None:
    """Separation of duties (issue 13, item 4; the internal control that no one person both certifies the work was
    done and authorises paying for it): whoever accepted the quarter's return cannot approve its payment. Usernames
    are compared regardless of case. A return not accepted names no one."""
    if return_status is None or ReturnStatus(return_status) is not ReturnStatus.ACCEPTED:
        return None
    accepted_by = (return_decided_by_username or "").strip().casefold()
    if accepted_by and accepted_by == approver_username.strip().casefold():
        return SAME_PERSON_REFUSAL
    return None


def payment_split(amount_pence: int, allocations: Mapping[int, int]) -> dict[int, int]:
    """An approved payment across the contract's clusters in the proportions of that year's allocations (cluster id
    to pence), largest remainder, so the parts sum back to the payment exactly. A year allocated nothing to every
    cluster is split evenly (its payment is nothing, unless the schedule says otherwise)."""
    if not allocations:
        raise ValueError("a payment needs at least one cluster to be split across")
    clusters = sorted(allocations)
    weights = [max(int(allocations[cluster]), 0) for cluster in clusters]
    if sum(weights) == 0:
        weights = [1] * len(clusters)
    return dict(zip(clusters, split_exact(amount_pence, weights), strict=True))


def reported_spend(return_status: ReturnStatus | str | None, spend_pence: int | None) -> int | None:
    """The vehicle's own spend for the quarter, once reported (submitted, queried or accepted); a draft's figure is
    not yet reported. Shown beside the payment for value for money, never added to it."""
    if return_status is None or ReturnStatus(return_status) in NOT_YET_SUBMITTED:
        return None
    return spend_pence


def cost_per_unit(spend_pence: int | None, units: int | None) -> int | None:
    """Value for money: the reported spend per unit of activity delivered, in pence rounded half up; none without a
    spend or without activity (nothing to divide by)."""
    if spend_pence is None or not units or units <= 0:
        return None
    return (2 * spend_pence + units) // (2 * units)


# --- Submitting a return (issue 13, item 2): the figures' forms, what submitting needs, the spend warning ---


class VersionKind(StrEnum):
    """Why a `ReturnVersion` was made: the vehicle submitted the return, or an accepted one was corrected."""

    SUBMITTED = "submitted"
    CORRECTED = "corrected"


MAX_UNITS = 10_000_000
MAX_SPEND_PENCE = 100_000_000_000  # £1bn, as returns.schemas.returns.Pence bounds it
SPEND_TOLERANCE_PERCENT = 10
_KPI_VALUE = re.compile(r"^-?\d{1,12}(\.\d{1,6})?$")
_WTE = re.compile(r"^\d{1,5}(\.\d{1,2})?$")

ENTER_UNITS = N_("Enter a whole number of units, from 0 to 10,000,000")
ENTER_KPI_VALUE = N_("Enter a number, like 87.5")
ENTER_WTE = N_("Enter whole-time equivalents as a number of 0 or more, like 2.5")
ENTER_SPEND = N_("Enter the spend in pounds, £0 or more, like 1250.00")


def kpi_value(text: str) -> str | None:
    """A KPI value as the vehicle typed it ("87.5", "1,204", " -3 "), as the decimal text stored; None when it is
    not a number (a sign, up to 12 digits, up to 6 decimal places: no exponent, no NaN, no per cent sign)."""
    cleaned = text.strip().replace(",", "")
    return cleaned if _KPI_VALUE.match(cleaned) else None


def wte_value(text: str) -> str | None:
    """Whole-time equivalents as decimal text, 0 or more with up to two decimal places ("12.5"); else None."""
    cleaned = text.strip()
    return cleaned if _WTE.match(cleaned) else None


def units_value(text: str) -> int | None:
    """Units of activity as a whole number from 0 to MAX_UNITS ("1,204" reads as 1204); else None."""
    cleaned = text.strip().replace(",", "")
    if not cleaned.isdigit() or not cleaned.isascii():
        return None
    units = int(cleaned)
    return units if units <= MAX_UNITS else None


@dataclass(frozen=True)
class SpendWarning:
    """The quarter's reported spend is more than SPEND_TOLERANCE_PERCENT away from the quarter's share of the
    contract's annual value: worth a second look, but not a reason to refuse the return."""

    spend_pence: int
    quarter_share_pence: int
    difference_pence: int  # spend less share: above the share when positive


def spend_warning(spend_pence: int | None, quarter_share_pence: int) -> SpendWarning | None:
    """A warning when the spend differs from the quarter's share (the contract's payment for that quarter) by more
    than 10 % of the share, in integer pence: exactly 10 % is no warning, a penny more is. With no share (a quarter
    the schedule pays nothing for) any spend is a difference; no spend yet, no warning."""
    if spend_pence is None:
        return None
    difference = spend_pence - quarter_share_pence
    if abs(difference) * 100 <= quarter_share_pence * SPEND_TOLERANCE_PERCENT:
        return None
    return SpendWarning(spend_pence, quarter_share_pence, difference)


# --- The return's document (issue 13, item 8) ---


def spend_difference(spend_pence: int | None, share_pence: int) -> tuple[int, Decimal | None] | None:
    """The provider's reported spend less the quarter's share of the annual value: pence, and per cent of the share
    (one decimal place, half up; None when the share is nothing). None when no spend is reported. Reported spend is
    what the provider incurred, never a payment (issue 13, item 4: kept beside payments, never mixed with them)."""
    if spend_pence is None:
        return None
    difference = spend_pence - share_pence
    if share_pence <= 0:
        return difference, None
    percent = (Decimal(difference) * 100 / Decimal(share_pence)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return difference, percent


def total_wte(values: list[str | None]) -> Decimal | None:
    """The workforce in post in whole-time equivalents, summed exactly over the staff groups reported; None when none
    was (text that is not a number is left out rather than guessed)."""
    known = [number for number in (threshold(value) for value in values) if number is not None]
    return sum(known, Decimal(0)) if known else None
