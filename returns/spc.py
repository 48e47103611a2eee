"""A KPI's quarterly trend the NHS "Making Data Count" way: an XmR statistical process control chart's mean, process
limits and special-cause signals, as /work/shared/SPC.md sets them out from NHSRplotthedots (the reference
implementation of NHS England's Making Data Count tools). Pure functions over (period, value) pairs."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext
from enum import StrEnum
from itertools import pairwise

import msgspec

from core.i18n import N_
from returns.rules import Direction

# SPC.md "Calculations": process limits at the mean +/- 2.66 x the mean moving range; rule 3's near-limit band
# beyond two thirds of that; a moving range of 3.267 x the mean moving range or more is an outlier when screening.
LIMIT = Decimal("2.66")
OUTLIER = Decimal("3.267")
# SPC.md "Special-cause rules": a trend and a shift (run) are each 7 points; rule 3 looks at windows of 3.
TREND_POINTS = 7
SHIFT_POINTS = 7
WINDOW = 3
# SPC.md "How many points": below 12 points limits are "trial" limits, revised with each new point; a baseline fixed
# after n points (`fix_after_n_points`) needs n >= 12. Limits need at least one moving range: 2 consecutive values.
SETTLED_POINTS = 12
MIN_BASELINE_POINTS = 12
MIN_POINTS_FOR_LIMITS = 2

_PRECISION = 40


class Rule(StrEnum):
    """SPC.md "Special-cause rules", in the order that decides a point's label when several apply."""

    OUTSIDE_LIMITS = "outside_limits"
    TREND = "trend"
    TWO_IN_THREE = "two_in_three"
    SHIFT = "shift"


# The label a flagged point takes (SPC.md: outside limits > trend > 2-in-3 > shift).
PRECEDENCE = (Rule.OUTSIDE_LIMITS, Rule.TREND, Rule.TWO_IN_THREE, Rule.SHIFT)


class Variation(StrEnum):
    """SPC.md "Improvement vs concern": a flagged point's side times the KPI's direction."""

    COMMON_CAUSE = "common_cause"
    IMPROVEMENT = "improvement"
    CONCERN = "concern"

    @property
    def label(self) -> str:
        return _VARIATION_LABELS[self]


_VARIATION_LABELS = {
    Variation.COMMON_CAUSE: N_("Common cause variation"),
    Variation.IMPROVEMENT: N_("Special cause improvement"),
    Variation.CONCERN: N_("Special cause concern"),
}


class LimitsStatus(StrEnum):
    """SPC.md "How many points": no limits yet, trial limits (fewer than 12 points), or limits on 12 or more."""

    NONE = "none"
    TRIAL = "trial"
    SETTLED = "settled"


class VariationIcon(StrEnum):
    """SPC.md "Icons": the variation icon, from the most recent point's type."""

    COMMON_CAUSE = "common_cause"
    IMPROVEMENT_HIGH = "improvement_high"
    IMPROVEMENT_LOW = "improvement_low"
    CONCERN_HIGH = "concern_high"
    CONCERN_LOW = "concern_low"

    @property
    def label(self) -> str:
        return _ICON_LABELS[self]


_ICON_LABELS = {
    VariationIcon.COMMON_CAUSE: N_("Common cause variation: no significant change"),
    VariationIcon.IMPROVEMENT_HIGH: N_("Special cause improvement: higher values"),
    VariationIcon.IMPROVEMENT_LOW: N_("Special cause improvement: lower values"),
    VariationIcon.CONCERN_HIGH: N_("Special cause concern: higher values"),
    VariationIcon.CONCERN_LOW: N_("Special cause concern: lower values"),
}


class Assurance(StrEnum):
    """SPC.md "Icons", assurance: will the process meet the target, judged from the latest process limits."""

    PASS = "pass"  # noqa: S105 - an assurance, not a secret
    FAIL = "fail"
    INCONSISTENT = "inconsistent"

    @property
    def label(self) -> str:
        return _ASSURANCE_LABELS[self]


_ASSURANCE_LABELS = {
    Assurance.PASS: N_("The target will be met consistently"),
    Assurance.FAIL: N_("The target will be missed consistently unless something changes"),
    Assurance.INCONSISTENT: N_("The target will be met some quarters and missed in others"),
}

# Signal words per rule and side (+1 above the mean or rising, -1 below or falling): SPC.md's labels ("Above UCL",
# "7 Point Trend (Increasing)", "2 in 3 Above CL", "7 Points Above CL") in plain words.
_SIGNAL_WORDS = {
    (Rule.OUTSIDE_LIMITS, 1): N_("above the upper process limit"),
    (Rule.OUTSIDE_LIMITS, -1): N_("below the lower process limit"),
    (Rule.TREND, 1): N_("part of 7 points in a row each higher than the last"),
    (Rule.TREND, -1): N_("part of 7 points in a row each lower than the last"),
    (Rule.TWO_IN_THREE, 1): N_("2 of 3 points in a row close to the upper process limit"),
    (Rule.TWO_IN_THREE, -1): N_("2 of 3 points in a row close to the lower process limit"),
    (Rule.SHIFT, 1): N_("part of 7 points in a row above the mean"),
    (Rule.SHIFT, -1): N_("part of 7 points in a row below the mean"),
}

# The notes shown beside a chart (SPC.md: "Decide which one we follow and say so on screen"; "show the limits as
# 'trial'"; too few points for limits).
NOTE_NO_LIMITS = N_(
    "Too few values for process limits: they need at least 2 consecutive quarters with a value, and %(settled)s "
    "quarters before they settle."
)
NOTE_TRIAL = N_(
    "Trial limits: based on %(count)s quarters, fewer than %(settled)s, so they will change with each new quarter."
)
NOTE_UNSCREENED = N_(
    "Limits as NHS England's Making Data Count tools work them out: the mean plus or minus 2.66 times the average "
    "change between consecutive quarters, with no quarter left out."
)
NOTE_SCREENED = N_(
    "Limits as NHSRplotthedots works them out: the mean plus or minus 2.66 times the average change between "
    "consecutive quarters, leaving out unusually large changes (3.267 times the average or more)."
)


class Limits(msgspec.Struct, frozen=True, kw_only=True):
    """SPC.md "Calculations" 1-5 over the baseline's points."""

    mean: Decimal
    mean_moving_range: Decimal
    lower: Decimal
    upper: Decimal
    near_lower: Decimal
    near_upper: Decimal


class SpcPoint(msgspec.Struct, frozen=True, kw_only=True):
    """One quarter: its value (None when none was reported), the rule that labels it and on which side."""

    period: str
    value: Decimal | None
    rule: Rule | None = None
    side: int = 0
    variation: Variation = Variation.COMMON_CAUSE

    @property
    def signal(self) -> str | None:
        """The special-cause signal in words (a msgid: translate it where it is shown), or None for common cause."""
        return _SIGNAL_WORDS[(self.rule, self.side)] if self.rule is not None else None


class Spc(msgspec.Struct, frozen=True, kw_only=True):
    """A KPI series' SPC reading: its points, limits (None when too few values), and the summary icons."""

    direction: Direction
    points: tuple[SpcPoint, ...]
    limits: Limits | None
    limits_status: LimitsStatus
    baseline_points: int
    screened: bool
    target: Decimal | None = None
    variation_icon: VariationIcon | None = None
    assurance: Assurance | None = None

    @property
    def values_count(self) -> int:
        return sum(1 for point in self.points if point.value is not None)

    def notes(self) -> list[tuple[str, dict[str, int]]]:
        """What the reader should know about the limits, as (msgid, params) to translate where shown."""
        method: tuple[str, dict[str, int]] = (NOTE_SCREENED if self.screened else NOTE_UNSCREENED, {})
        if self.limits_status is LimitsStatus.NONE:
            return [(NOTE_NO_LIMITS, {"settled": SETTLED_POINTS})]
        if self.limits_status is LimitsStatus.TRIAL:
            return [(NOTE_TRIAL, {"count": self.baseline_points, "settled": SETTLED_POINTS}), method]
        return [method]


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def _sign(number: Decimal) -> int:
    return (number > 0) - (number < 0)


def process_limits(values: Sequence[Decimal | None], *, screen_outliers: bool = False) -> tuple[Limits | None, int]:
    """SPC.md "Calculations": the mean of the values; the moving ranges |x_i - x_(i-1)| between consecutive quarters
    that both have a value (a missing quarter leaves a gap, as in NHSRplotthedots where NA propagates); their mean;
    with `screen_outliers`, moving ranges of 3.267 x that mean or more dropped and the mean taken again (an all-equal
    series, mean moving range 0, has nothing to screen); limits at the mean +/- 2.66 x the mean moving range and the
    near-limit band at two thirds of that. Returns the limits (None without a moving range) and the values counted."""
    known = [value for value in values if value is not None]
    ranges = [abs(b - a) for a, b in pairwise(values) if a is not None and b is not None]
    if not known or not ranges:
        return None, len(known)
    with localcontext() as context:
        context.prec = _PRECISION
        mean = _mean(known)
        mean_range = _mean(ranges)
        if screen_outliers and mean_range > 0:
            mean_range = _mean([r for r in ranges if r < OUTLIER * mean_range])
        width = LIMIT * mean_range
        near = LIMIT * 2 * mean_range / 3
        limits = Limits(
            mean=mean,
            mean_moving_range=mean_range,
            lower=mean - width,
            upper=mean + width,
            near_lower=mean - near,
            near_upper=mean + near,
        )
    return limits, len(known)


def _runs(flags: list[int | None], length: int) -> dict[int, int]:
    """Indices in some `length` consecutive entries sharing one non-zero sign (None breaks a run), with that sign;
    an index in two runs keeps the first one's."""
    found: dict[int, int] = {}
    for end in range(length - 1, len(flags)):
        window = flags[end - length + 1 : end + 1]
        first = window[0]
        if first and all(flag == first for flag in window):
            for index in range(end - length + 1, end + 1):
                found.setdefault(index, first)
    return found


def special_causes(values: Sequence[Decimal | None], limits: Limits) -> dict[int, tuple[Rule, int]]:
    """SPC.md "Special-cause rules" (ptd_calculate_point_type.R), each point's label by precedence and its side:
    1. outside the limits, strictly (x > UPL or x < LPL);
    2. trend: 7 consecutive values each strictly higher (or each strictly lower) than the one before; all 7 flagged;
    3. 2 in 3: in a window of 3 consecutive values all on one side of the mean, at least 2 in the near-limit band
       (beyond two thirds of the way to a limit, not outside it); only those near-limit points flagged;
    4. shift: 7 consecutive values on one side of the mean (a value exactly on the mean breaks it); all 7 flagged.
    A quarter without a value breaks every run and window: nothing is inferred across a gap."""
    outside: dict[int, int] = {}
    near: set[int] = set()
    relative: list[int | None] = []
    for index, value in enumerate(values):
        if value is None:
            relative.append(None)
            continue
        relative.append(_sign(value - limits.mean))
        if value > limits.upper:
            outside[index] = 1
        elif value < limits.lower:
            outside[index] = -1
        elif value > limits.near_upper or value < limits.near_lower:
            near.add(index)

    steps: list[int | None] = [None]
    for before, after in pairwise(values):
        steps.append(None if before is None or after is None else _sign(after - before))
    trend: dict[int, int] = {}
    for step, side in _runs(steps, TREND_POINTS - 1).items():
        # Step k goes from point k - 1 to point k, so 6 same-sign steps in a row join 7 points.
        trend.setdefault(step - 1, side)
        trend.setdefault(step, side)

    two_in_three: dict[int, int] = {}
    for start in range(len(values) - WINDOW + 1):
        window = range(start, start + WINDOW)
        first = relative[start]
        if first and all(relative[i] == first for i in window):
            close = [i for i in window if i in near]
            if len(close) >= 2:
                for index in close:
                    two_in_three.setdefault(index, first)

    shift = _runs(relative, SHIFT_POINTS)

    by_rule = {Rule.OUTSIDE_LIMITS: outside, Rule.TREND: trend, Rule.TWO_IN_THREE: two_in_three, Rule.SHIFT: shift}
    labelled: dict[int, tuple[Rule, int]] = {}
    for rule in reversed(PRECEDENCE):
        for index, side in by_rule[rule].items():
            labelled[index] = (rule, side)
    return labelled


def spc(
    series: Sequence[tuple[str, Decimal | None]],
    direction: Direction | str,
    *,
    target: Decimal | None = None,
    screen_outliers: bool = False,
    baseline_points: int | None = None,
) -> Spc:
    """The SPC reading of a KPI's quarters, oldest first.

    `screen_outliers` defaults to False, as NHS England's Making Data Count Excel tools work (SPC.md "Calculations"
    3: NHSRplotthedots screens by default, the Excel tools do not, and the choice changes what a board sees); the
    notes say on screen which one was followed. `baseline_points` fixes the limits on the first n quarters
    (`fix_after_n_points`, n >= 12); by default every quarter counts. Each flagged point's side times the direction
    is improvement when positive, concern when negative (SPC.md "Improvement vs concern")."""
    direction = Direction(direction)
    if baseline_points is not None and baseline_points < MIN_BASELINE_POINTS:
        raise ValueError(f"a fixed baseline needs at least {MIN_BASELINE_POINTS} points")
    values = [value for _, value in series]
    baseline = values if baseline_points is None else values[:baseline_points]
    limits, counted = process_limits(baseline, screen_outliers=screen_outliers)
    signals = special_causes(values, limits) if limits is not None else {}

    points: list[SpcPoint] = []
    for index, (period, value) in enumerate(series):
        if index in signals:
            rule, side = signals[index]
            variation = Variation.IMPROVEMENT if side * direction.sign > 0 else Variation.CONCERN
            points.append(SpcPoint(period=period, value=value, rule=rule, side=side, variation=variation))
        else:
            points.append(SpcPoint(period=period, value=value))

    if limits is None:
        status = LimitsStatus.NONE
    elif counted < SETTLED_POINTS:
        status = LimitsStatus.TRIAL
    else:
        status = LimitsStatus.SETTLED
    return Spc(
        direction=direction,
        points=tuple(points),
        limits=limits,
        limits_status=status,
        baseline_points=counted,
        screened=screen_outliers,
        target=target,
        variation_icon=variation_icon(points, direction) if limits is not None else None,
        assurance=assurance(limits, direction, target),
    )


def variation_icon(points: Sequence[SpcPoint], direction: Direction) -> VariationIcon | None:
    """SPC.md "Icons": the most recent point's type (the latest quarter with a value)."""
    latest = next((point for point in reversed(points) if point.value is not None), None)
    if latest is None:
        return None
    higher = direction is Direction.HIGHER_IS_BETTER
    if latest.variation is Variation.IMPROVEMENT:
        return VariationIcon.IMPROVEMENT_HIGH if higher else VariationIcon.IMPROVEMENT_LOW
    if latest.variation is Variation.CONCERN:
        return VariationIcon.CONCERN_LOW if higher else VariationIcon.CONCERN_HIGH
    return VariationIcon.COMMON_CAUSE


def assurance(limits: Limits | None, direction: Direction, target: Decimal | None) -> Assurance | None:
    """SPC.md "Icons" (ptd_calculate_assurance_type.R): with a target and limits, a target beyond the upper limit is
    a fail when higher is better (a pass when lower is); beyond the lower limit, the other way; otherwise
    inconsistent."""
    if limits is None or target is None:
        return None
    higher = direction is Direction.HIGHER_IS_BETTER
    if target > limits.upper:
        return Assurance.FAIL if higher else Assurance.PASS
    if target < limits.lower:
        return Assurance.PASS if higher else Assurance.FAIL
    return Assurance.INCONSISTENT
