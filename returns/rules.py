"""Pure rules for delivery returns (issue 13): a KPI value's RAG status against the contract's thresholds, the
return's status and when it is overdue, and the staff groups of its workforce. Values in, values out; no database,
no clock."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from core.i18n import N_


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


def cost_per_unit(spend_pence: int | None, units: int | None) -> int | None:
    """Reported spend per unit of activity, in whole pence (half up), for value for money; None without both, or
    with no units delivered."""
    if spend_pence is None or units is None or units <= 0:
        return None
    return int((Decimal(spend_pence) / units).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def total_wte(values: list[str | None]) -> Decimal | None:
    """The workforce in post in whole-time equivalents, summed exactly over the staff groups reported; None when none
    was (text that is not a number is left out rather than guessed)."""
    known = [number for number in (threshold(value) for value in values) if number is not None]
    return sum(known, Decimal(0)) if known else None
