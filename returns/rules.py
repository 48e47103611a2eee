"""Pure rules for delivery returns (issue 13): a KPI value's RAG status against the contract's thresholds, the
return's status and when it is overdue, and the staff groups of its workforce. Values in, values out; no database,
no clock."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
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


Problem = tuple[str, dict[str, object]]  # a message id and its values, translated where it is shown


def missing_figures(
    *,
    activity: dict[int, tuple[str, int | None]],
    spend_pence: int | None,
    kpi_values: dict[int, tuple[str, str | None]],
) -> dict[str, Problem]:
    """What a return still needs before it is submitted, by field: units for every cluster the contract covers, the
    quarter's spend (not negative), a value for every KPI. `activity` and `kpi_values` map each cluster and KPI id to
    its name and its figure (None when missing). Workforce, narrative and risks may be left empty."""
    problems: dict[str, Problem] = {}
    for cluster_id, (name, units) in activity.items():
        if units is None:
            problems[f"activity.{cluster_id}"] = (N_("Enter the units delivered in %(name)s"), {"name": name})
    if spend_pence is None:
        problems["spend_pence"] = (N_("Enter the spend in the quarter"), {})
    elif spend_pence < 0:
        problems["spend_pence"] = (N_("The spend cannot be negative"), {})
    for kpi_id, (name, value) in kpi_values.items():
        if value is None or kpi_value(value) is None:
            problems[f"kpi_values.{kpi_id}"] = (N_("Enter a value for %(name)s"), {"name": name})
    return problems


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
