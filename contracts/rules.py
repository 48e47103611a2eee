"""Pure rules for contracts: status moves, the payment schedule, allocations by cluster, termination, variations
and the viability of delivery vehicles. Values in, values or a refusal out; no database, no clock."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from accounts.actor import Role
from core.errors import Conflict, RuleBroken
from core.i18n import N_
from core.money import format_pounds, split_exact
from core.periods import FinancialYear
from core.working_days import is_working_day


class ContractStatus(StrEnum):
    """From the award until the service starts a contract is mobilising; it ends terminated or expired."""

    MOBILISING = "mobilising"
    LIVE = "live"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def tag(self) -> str:
        return _TAGS[self]


_LABELS = {
    ContractStatus.MOBILISING: N_("Mobilising"),
    ContractStatus.LIVE: N_("Live"),
    ContractStatus.SUSPENDED: N_("Suspended"),
    ContractStatus.TERMINATED: N_("Terminated"),
    ContractStatus.EXPIRED: N_("Expired"),
}
_TAGS = {
    ContractStatus.MOBILISING: "nhsuk-tag--blue",
    ContractStatus.LIVE: "nhsuk-tag--green",
    ContractStatus.SUSPENDED: "nhsuk-tag--orange",
    ContractStatus.TERMINATED: "nhsuk-tag--red",
    ContractStatus.EXPIRED: "nhsuk-tag--grey",
}

# The allowed moves (issue 12: mobilising -> live -> suspended <-> live -> terminated | expired); any move not
# listed is refused. A mobilising contract may be terminated before it starts; only a live or suspended one
# expires, and a mobilising one whose term has passed expires too (it never started).
CONTRACT_MOVES: Mapping[ContractStatus, frozenset[ContractStatus]] = {
    ContractStatus.MOBILISING: frozenset({ContractStatus.LIVE, ContractStatus.TERMINATED, ContractStatus.EXPIRED}),
    ContractStatus.LIVE: frozenset({ContractStatus.SUSPENDED, ContractStatus.TERMINATED, ContractStatus.EXPIRED}),
    ContractStatus.SUSPENDED: frozenset({ContractStatus.LIVE, ContractStatus.TERMINATED, ContractStatus.EXPIRED}),
    ContractStatus.TERMINATED: frozenset(),
    ContractStatus.EXPIRED: frozenset(),
}

# Statuses under which a contract still holds money and counts towards its vehicle's services.
DomainErrorLike = RuleBroken | Conflict | None

HOLDING = frozenset({ContractStatus.MOBILISING, ContractStatus.LIVE, ContractStatus.SUSPENDED})


def can_move(current: ContractStatus, to: ContractStatus) -> bool:
    return to in CONTRACT_MOVES.get(current, frozenset())


def move_refusal(current: ContractStatus, to: ContractStatus) -> Conflict | None:
    """The refusal for a move not in the table, naming where the contract stands."""
    if can_move(current, to):
        return None
    return Conflict("A %(status)s contract cannot become %(to)s", status=current, to=to)


def mobilisation_refusal(*, current: ContractStatus, today: date, start_on: date, end_on: date) -> DomainErrorLike:
    """Live only from the start date and within the term (issue 12, item 4)."""
    refusal = move_refusal(current, ContractStatus.LIVE)
    if refusal is not None:
        return refusal
    if current is ContractStatus.MOBILISING and today < start_on:
        return RuleBroken("The service cannot go live before the contract starts on %(date)s", date=start_on)
    if today > end_on:
        return RuleBroken("The contract's term ended on %(date)s", date=end_on)
    return None


def is_due_to_expire(status: ContractStatus, end_on: date, today: date) -> bool:
    """Expired by the clock: the day after the term's last day, whatever state still held money."""
    return status in HOLDING and today > end_on


def termination_refusal(
    *, current: ContractStatus, terminated_on: date, today: date, start_on: date, end_on: date
) -> DomainErrorLike:
    """A termination date cannot lie before today (what was delivered stays paid for) nor outside the term."""
    refusal = move_refusal(current, ContractStatus.TERMINATED)
    if refusal is not None:
        return refusal
    if terminated_on < today:
        return RuleBroken("The termination date cannot be in the past", field="terminated_on")
    if terminated_on > end_on:
        return RuleBroken("The contract already ends on %(date)s", field="terminated_on", date=end_on)
    if terminated_on < start_on - timedelta(days=1):
        return RuleBroken("The termination date cannot be before the contract starts", field="terminated_on")
    return None


class ContractOrigin(StrEnum):
    """How a contract came to be: awarded here, or made before this service and brought in from a file."""

    AWARDED = "awarded"
    LEGACY = "legacy"

    @property
    def label(self) -> str:
        return _ORIGIN_LABELS[self]


_ORIGIN_LABELS = {
    ContractOrigin.AWARDED: N_("Awarded through this service"),
    ContractOrigin.LEGACY: N_("Made before this service"),
}


def version_source(variation_number: int | None, origin: ContractOrigin | str) -> str:
    """What made a version of a contract, untranslated: a variation, the award, or (made before this service) the
    file it was brought in from, first or again."""
    if variation_number is not None:
        return N_("Variation %(number)s")
    if ContractOrigin(origin) is ContractOrigin.LEGACY:
        return N_("Brought in from a file")
    return N_("The award")


VEHICLE_MAY_VARY = frozenset({"annual_values"})
"""What a delivery vehicle's user may propose to change (issue 15, item 5): the annual values (with the term they
span); any other change is the commissioner's to propose."""


def vehicle_variation_refusal(wanted: Mapping[str, Any]) -> RuleBroken | None:
    """A vehicle's proposal changing anything but the annual values, refused naming the first such field."""
    other = next((name for name in wanted if name not in VEHICLE_MAY_VARY), None)
    if other is None:
        return None
    return RuleBroken(
        "A delivery vehicle proposes a change of the annual values only: ask the commissioner for this change",
        field=other,
    )


AGREED_BY_VEHICLE = N_(
    "Agreed by the delivery vehicle without a commissioner's approval: within the %(limit)s its earned autonomy lets "
    "it agree on a change in the contract's total value"
)
NO_SPECIFICATION = N_("Made before this service: no specification here")
SETTLED_BEFORE = N_(
    "This contract was made before this service and brought into it on %(day)s. What fell due before then was "
    "committed and paid outside it, so it has no budget commitment or payment here; delivery returns start with the "
    "quarter holding that day"
)


def can_import_contracts(role: Role | None) -> bool:
    """Contracts made before this service are brought in by the commissioners of their PCPG (issue 14, item 5)."""
    return role is Role.COMMISSIONER


def term_years(start_on: date, end_on: date) -> list[int]:
    """The financial years a term touches, each by its start year: a contract has a value for each of them."""
    return list(range(FinancialYear.containing(start_on).start_year, FinancialYear.containing(end_on).start_year + 1))


def legacy_status(*, start_on: date, today: date) -> ContractStatus:
    """A contract made before this service is already under way: live, or mobilising when it starts later."""
    return ContractStatus.MOBILISING if start_on > today else ContractStatus.LIVE


class PaymentTiming(StrEnum):
    IN_ADVANCE = "in_advance"
    IN_ARREARS = "in_arrears"

    @property
    def label(self) -> str:
        return _TIMING_LABELS[self]


_TIMING_LABELS = {
    PaymentTiming.IN_ADVANCE: N_("Quarterly in advance"),
    PaymentTiming.IN_ARREARS: N_("Quarterly in arrears"),
}


@dataclass(frozen=True)
class Payment:
    financial_year: int
    quarter: int
    amount_pence: int
    due_on: date


def quarters_kept(financial_year: int, terminated_on: date | None) -> int:
    """How many of the year's quarters are delivered: those starting on or before the termination date (the
    quarter it falls in is kept whole; later quarters and later years are released)."""
    if terminated_on is None:
        return 4
    return sum(1 for first, _ in FinancialYear(financial_year).quarters() if first <= terminated_on)


def payment_schedule(
    years: Mapping[int, int],
    timing: PaymentTiming,
    *,
    terminated_on: date | None = None,
    reported_from_on: date | None = None,
) -> list[Payment]:
    """Each year's value paid in four quarterly parts that sum back to it exactly (largest remainder); in advance
    on the quarter's first day, in arrears on the day after it ends. After a termination only the quarters kept
    are paid, each the amount it had before. A contract made before this service (`reported_from_on`, the day it
    was brought in) is paid here only for the quarters it reports here (from the one holding that day) and only
    what falls due on or after that day: a quarter paid in advance before it was brought in was paid outside, and
    paying it here too would pay it twice. What the schedule pays is what stays committed (`committed_values`)."""
    payments: list[Payment] = []
    for year in sorted(years):
        parts = split_exact(years[year], [1, 1, 1, 1])
        kept = quarters_kept(year, terminated_on)
        for number, ((first, last), amount) in enumerate(
            zip(FinancialYear(year).quarters(), parts, strict=True), start=1
        ):
            if number > kept:
                break
            due = first if timing is PaymentTiming.IN_ADVANCE else last + timedelta(days=1)
            if reported_from_on is not None and (last < reported_from_on or due < reported_from_on):
                continue
            payments.append(Payment(year, number, amount, due))
    return payments


def committed_values(
    years: Mapping[int, int],
    timing: PaymentTiming,
    *,
    terminated_on: date | None = None,
    reported_from_on: date | None = None,
) -> dict[int, int]:
    """What each year keeps committed on its budget line: exactly what the schedule pays in it, so every committed
    penny is paid or released and none is paid uncommitted. Only the years with a quarter paid here are named (a
    contract made before this service names none of the years settled outside it)."""
    committed: dict[int, int] = {}
    for payment in payment_schedule(years, timing, terminated_on=terminated_on, reported_from_on=reported_from_on):
        committed[payment.financial_year] = committed.get(payment.financial_year, 0) + payment.amount_pence
    return committed


def retained_values(years: Mapping[int, int], terminated_on: date) -> dict[int, int]:
    """Each year's value after a termination: the quarters kept, exactly as the schedule pays them."""
    kept = committed_values(years, PaymentTiming.IN_ARREARS, terminated_on=terminated_on)
    return {year: kept.get(year, 0) for year in years}


def committed_split(allocations: Sequence[Allocation], committed: Mapping[int, int]) -> list[Allocation]:
    """The split by cluster of what a year commits: the year's allocations where it commits their whole sum; made
    again by their own method (`resplit`) where it commits less (a contract made before this service, part of
    whose year was paid outside it); none for a year that commits nothing here."""
    by_year: dict[int, list[Allocation]] = {}
    for allocation in allocations:
        by_year.setdefault(allocation.financial_year, []).append(allocation)
    result: list[Allocation] = []
    for year, parts in sorted(by_year.items()):
        if year not in committed:
            continue
        if sum(a.amount_pence for a in parts) == committed[year]:
            result += parts
        else:
            result += resplit(parts, {year: committed[year]})
    return result


def return_due_on(quarter_last_day: date, due_days: int) -> date:
    """A quarter's delivery return is due `due_days` days after the quarter's last day (the contract's reporting
    schedule, issue 12: 30 by default), moved to the next Welsh working day when that falls on a weekend or a bank
    holiday (issue 13, item 1; core/working_days.py)."""
    if due_days < 0:
        raise ValueError("due_days cannot be negative")
    due = quarter_last_day + timedelta(days=due_days)
    while not is_working_day(due):
        due += timedelta(days=1)
    return due


@dataclass(frozen=True)
class ClusterPopulation:
    cluster_id: int
    population: int | None
    source: str = ""
    as_of: str = ""


@dataclass(frozen=True)
class Allocation:
    financial_year: int
    cluster_id: int
    amount_pence: int
    method: str
    population: int | None
    population_source: str
    population_as_of: str = ""


def clusters_without_population(clusters: Sequence[ClusterPopulation]) -> list[int]:
    return [cluster.cluster_id for cluster in clusters if not cluster.population]


def allocate_by_population(years: Mapping[int, int], clusters: Sequence[ClusterPopulation]) -> list[Allocation]:
    """Each year's value split across the clusters by population share, largest remainder, exact to the penny.
    Refused when a cluster's population is not known: then the commissioner gives the split (issue 12, item 2)."""
    if not clusters:
        raise RuleBroken("The contract covers no cluster")
    if clusters_without_population(clusters):
        raise RuleBroken("Some clusters have no known population: enter the split by cluster", field="split")
    weights = [int(cluster.population or 0) for cluster in clusters]
    allocations = []
    for year in sorted(years):
        for cluster, amount in zip(clusters, split_exact(years[year], weights), strict=True):
            allocations.append(
                Allocation(
                    year, cluster.cluster_id, amount, "population", cluster.population, cluster.source, cluster.as_of
                )
            )
    return allocations


def allocate_explicitly(
    years: Mapping[int, int], clusters: Sequence[ClusterPopulation], split: Mapping[int, Mapping[int, int]]
) -> list[Allocation]:
    """The commissioner's split in pence, year by cluster: every cluster covered given, none other, and each
    year's parts summing to that year's value exactly, or refused naming the year."""
    wanted = {cluster.cluster_id for cluster in clusters}
    allocations = []
    for year in sorted(years):
        parts = split.get(year, {})
        if set(parts) != wanted:
            raise RuleBroken(
                "Give an amount for every cluster the contract covers in %(year)s", field="split", year=_fy(year)
            )
        if any(amount < 0 for amount in parts.values()):
            raise RuleBroken("An amount cannot be negative", field="split")
        total = sum(parts.values())
        if total != years[year]:
            raise RuleBroken(
                "The amounts for %(year)s add up to %(given)s, not the year's value of %(value)s",
                field="split",
                year=_fy(year),
                given=format_pounds(total),
                value=format_pounds(years[year]),
            )
        for cluster in clusters:
            allocations.append(
                Allocation(
                    year,
                    cluster.cluster_id,
                    parts[cluster.cluster_id],
                    "explicit",
                    cluster.population,
                    cluster.source,
                    cluster.as_of,
                )
            )
    return allocations


def split_from_percentages(years: Mapping[int, int], percentages: Mapping[int, str]) -> dict[int, dict[int, int]]:
    """Percentages (up to two decimal places) that total exactly 100 become pence for each year, split exactly."""
    shares: dict[int, int] = {}
    for cluster_id, text in percentages.items():
        try:
            value = Decimal(text.strip().rstrip("%"))
        except InvalidOperation as exc:
            raise RuleBroken("Enter a percentage, like 33.33", field="split") from exc
        if value < 0 or value != value.quantize(Decimal("0.01")):
            raise RuleBroken("Enter a percentage, like 33.33", field="split")
        shares[cluster_id] = int(value * 100)
    if sum(shares.values()) != 100_00:
        raise RuleBroken("The percentages must add up to exactly 100", field="split")
    order = sorted(shares)
    return {
        year: dict(zip(order, split_exact(value, [shares[c] for c in order]), strict=True))
        for year, value in years.items()
    }


def _fy(year: int) -> str:
    return FinancialYear(year).label


class VariationKind(StrEnum):
    ADDITIONAL_ACTIVITY = "additional_activity"
    PRICE_CHANGE = "price_change"
    CHANGE_OF_SCOPE = "change_of_scope"
    EXTENSION = "extension"
    CORRECTION = "correction"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    VariationKind.ADDITIONAL_ACTIVITY: N_("Additional activity"),
    VariationKind.PRICE_CHANGE: N_("Price change"),
    VariationKind.CHANGE_OF_SCOPE: N_("Change of scope"),
    VariationKind.EXTENSION: N_("Extension"),
    VariationKind.CORRECTION: N_("Correction"),
}


class VariationStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return _VARIATION_LABELS[self]


_VARIATION_LABELS = {
    VariationStatus.PROPOSED: N_("Waiting for a decision"),
    VariationStatus.APPROVED: N_("Approved"),
    VariationStatus.REJECTED: N_("Rejected"),
}


def decision_refusal(*, proposer: str, decider: str, status: VariationStatus) -> DomainErrorLike:
    """Separation of duties: whoever proposed a variation cannot approve or reject it."""
    if status is not VariationStatus.PROPOSED:
        return Conflict("This variation is already %(status)s", status=status)
    if proposer == decider:
        return RuleBroken("A variation is decided by someone other than the person who proposed it")
    return None


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    """Field by field, in a stable order: what a version changed from the one before it."""
    fields = list(before) + [name for name in after if name not in before]
    return [
        FieldChange(name, before.get(name), after.get(name)) for name in fields if before.get(name) != after.get(name)
    ]


class Viability(StrEnum):
    """A delivery vehicle's standing against the national thresholds (seeds: "model of minimum number of
    services for CDV viability")."""

    VIABLE = "viable"
    AT_RISK = "at_risk"
    BELOW = "below"

    @property
    def label(self) -> str:
        return _VIABILITY_LABELS[self]

    @property
    def tag(self) -> str:
        return _VIABILITY_TAGS[self]


_VIABILITY_LABELS = {
    Viability.VIABLE: N_("Viable"),
    Viability.AT_RISK: N_("At risk"),
    Viability.BELOW: N_("Below threshold"),
}
_VIABILITY_TAGS = {
    Viability.VIABLE: "nhsuk-tag--green",
    Viability.AT_RISK: "nhsuk-tag--yellow",
    Viability.BELOW: "nhsuk-tag--red",
}

AT_RISK_MARGIN_PERCENT = 20


def viability(*, services: int, value_pence: int, min_services: int, min_value_pence: int) -> Viability:
    """Below when under either threshold; at risk when within 20 % above either (exactly at a threshold is at
    risk); viable otherwise. Whole-number arithmetic, so the edges are exact."""
    if services < min_services or value_pence < min_value_pence:
        return Viability.BELOW
    margin = 100 + AT_RISK_MARGIN_PERCENT
    if services * 100 < min_services * margin or value_pence * 100 < min_value_pence * margin:
        return Viability.AT_RISK
    return Viability.VIABLE


class ContractAction(StrEnum):
    """What a reader of a contract's page may do next; each is a page at /contracts/{id}/{slug}."""

    MOBILISE = "mobilise"
    SUSPEND = "suspend"
    RESUME = "resume"
    TERMINATE = "terminate"
    SET_KPIS = "kpis"
    SET_ALLOCATIONS = "allocations"
    PROPOSE_VARIATION = "variations/new"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    ContractAction.MOBILISE: N_("Confirm mobilisation: the service is live"),
    ContractAction.SUSPEND: N_("Suspend the contract"),
    ContractAction.RESUME: N_("Resume the contract"),
    ContractAction.TERMINATE: N_("Terminate the contract"),
    ContractAction.SET_KPIS: N_("Set KPI thresholds and the activity plan"),
    ContractAction.SET_ALLOCATIONS: N_("Enter the split by cluster"),
    ContractAction.PROPOSE_VARIATION: N_("Propose a variation"),
}


def contract_actions(
    *, manages: bool, status: ContractStatus, today: date, end_on: date, vehicle: bool = False
) -> list[ContractAction]:
    """The moves the contract's status table allows a commissioner of its PCPG now (issue 12, item 4); thresholds,
    the activity plan and the split by cluster are set while mobilising; variations while it holds money. The
    contract's delivery vehicle may propose a variation of its values while it holds money (issue 15, item 5)."""
    if is_due_to_expire(status, end_on, today):
        return []
    if vehicle:
        return [ContractAction.PROPOSE_VARIATION] if status in HOLDING else []
    if not manages:
        return []
    actions: list[ContractAction] = []
    if status is ContractStatus.MOBILISING:
        actions += [ContractAction.MOBILISE, ContractAction.SET_KPIS, ContractAction.SET_ALLOCATIONS]
    if status is ContractStatus.LIVE:
        actions.append(ContractAction.SUSPEND)
    if status is ContractStatus.SUSPENDED:
        actions.append(ContractAction.RESUME)
    if status in HOLDING:
        actions += [ContractAction.PROPOSE_VARIATION, ContractAction.TERMINATE]
    return actions


# The contract document (issue 12, item 6) ----------------------------------------------------------------------


@dataclass(frozen=True)
class DueReturn:
    financial_year: int
    quarter: int  # the last quarter it covers
    period_from: date
    period_to: date
    due_on: date
    quarters: int = 1  # how many quarters it covers, ending with `quarter` (2 for a half-yearly return)
    light: bool = False  # spend, activity and KPIs only (contracts.autonomy_rules, high autonomy)


Burden = Callable[[tuple[int, int]], tuple[str, bool]]
"""The return frequency ("quarterly" or "half_yearly") and whether the return is light, for a quarter."""


def return_schedule(
    *,
    start_on: date,
    end_on: date,
    terminated_on: date | None,
    due_days: int,
    reported_from_on: date | None = None,
    burden: Burden | None = None,
    taken: Collection[tuple[int, int]] = (),
) -> list[DueReturn]:
    """The delivery returns a contract asks for: one per quarter of the term that starts on or before its last day
    of service (the quarter a termination falls in is reported whole, as it is paid whole), each due `due_days`
    after the quarter ends (`return_due_on`). A contract made before this service reports from the quarter holding
    the day it was brought in (`reported_from_on`).

    `burden` is the vehicle's autonomy tier quarter by quarter (issue 15, item 5): quarters under a half-yearly tier
    are reported together, one return per half year (April to September, October to March) due after its last
    quarter, covering the half's quarters in the term under that tier; a light return asks spend, activity and KPIs
    only. `taken`: quarters a return already under way covers, which keep their return as it is (never reshaped)."""
    last = min(end_on, terminated_on) if terminated_on is not None else end_on
    if reported_from_on is not None:
        start_on = max(start_on, reported_from_on)
    in_term: list[tuple[int, int, date, date]] = []
    year = FinancialYear.containing(start_on)
    while year.first_day <= end_on:
        for number, (first, quarter_end) in enumerate(year.quarters(), start=1):
            if quarter_end >= start_on and first <= last and (year.start_year, number) not in taken:
                in_term.append((year.start_year, number, first, quarter_end))
        year = year.next()
    returns: list[DueReturn] = []
    group: list[tuple[int, int, date, date]] = []
    group_light = False

    def close() -> None:
        if group:
            fy, number, _, quarter_end = group[-1]
            returns.append(
                DueReturn(
                    fy, number, group[0][2], quarter_end, return_due_on(quarter_end, due_days), len(group), group_light
                )
            )
            group.clear()

    for fy, number, first, quarter_end in in_term:
        frequency, light = burden((fy, number)) if burden is not None else ("quarterly", False)
        half = (fy, (number - 1) // 2)
        if group and (frequency != "half_yearly" or (group[-1][0], (group[-1][1] - 1) // 2) != half):
            close()
        if frequency != "half_yearly":
            returns.append(DueReturn(fy, number, first, quarter_end, return_due_on(quarter_end, due_days), 1, light))
            continue
        if group and group[-1][1] != number - 1:
            close()
        group.append((fy, number, first, quarter_end))
        group_light = light
    close()
    return returns


# --- Reading a contract (issue 12, items 1 and 8) ---


def is_split_missing(*, clusters: int, years: int, allocations: int) -> bool:
    """Allocations are missing when some year has no split across the clusters covered (a cluster without a known
    population waits for the commissioner's explicit split)."""
    return clusters > 0 and years > 0 and allocations < clusters * years


ALLOCATION_METHOD_LABELS = {"population": N_("By population share"), "explicit": N_("Entered by the commissioner")}
KPI_DIRECTION_LABELS = {"higher_is_better": N_("Higher is better"), "lower_is_better": N_("Lower is better")}
# --- Variations: what a change to the term and the annual values may do (issue 12, item 5) ---


def variation_term_refusal(
    *,
    values_now: Mapping[int, int],
    years_after: Sequence[int],
    values_after: Mapping[int, int],
    effective_on: date,
    start_on: date,
    end_on: date,
) -> RuleBroken | None:
    """A variation takes effect within the term. The years after it run on from the contract's first year without
    a gap (so an extension adds whole financial years after the term, and a shortening takes years off its end).
    What has already happened stays as it was: a year that had started by the effective date cannot be taken off
    the term, and a year that ended before the effective date cannot change its value."""
    if not start_on <= effective_on <= end_on:
        return RuleBroken(
            "The effective date must be within the contract's term, %(start)s to %(end)s",
            field="effective_on",
            start=start_on,
            end=end_on,
        )
    first = min(values_now)
    if sorted(years_after) != list(range(first, first + len(years_after))) or len(set(years_after)) != len(years_after):
        return RuleBroken(
            "The years must run on from %(year)s, once each and without a gap", field="annual_values", year=_fy(first)
        )
    for year in sorted(set(values_now) - set(years_after)):
        if FinancialYear(year).first_day <= effective_on:
            return RuleBroken(
                "%(year)s has started by the effective date, so it cannot be taken off the term",
                field="annual_values",
                year=_fy(year),
            )
    for year in sorted(set(values_now) & set(years_after)):
        if values_now[year] != values_after[year] and FinancialYear(year).last_day < effective_on:
            return RuleBroken(
                "%(year)s ended before the effective date, so its value cannot change",
                field="annual_values",
                year=_fy(year),
            )
    return None


def threshold_refusal(text: str, *, field: str) -> RuleBroken | None:
    """A KPI threshold is a number (decimal text), or empty until set."""
    if not text:
        return None
    try:
        finite = Decimal(text).is_finite()
    except InvalidOperation:
        finite = False
    return None if finite else RuleBroken("Enter a number, like 85 or 12.5", field=field)


# --- Viability of delivery vehicles: thresholds, what a contract holds each year, the decision preview (issue 12,
# item 7). ---

# Until a national administrator sets them (contracts.services.viability), the thresholds in force. The seeds ask
# for "a model of minimum number of services for CDV viability" and DOMAIN.md names the two thresholds, but neither
# gives figures: two services is the fewest that makes a vehicle more than one contract's subcontractor, and
# £100,000 a year about what one small cluster service costs (README.md, "Viability").
DEFAULT_MIN_LIVE_SERVICES = 2
DEFAULT_MIN_ANNUAL_VALUE_PENCE = 100_000_00
MAX_MIN_LIVE_SERVICES = 1000
MAX_MIN_ANNUAL_VALUE_PENCE = 1_000_000_000_00  # £1 billion: far above any vehicle, and its x 120 fits a BIGINT
FORECAST_YEARS = 3  # the year asked for and the three after it


@dataclass(frozen=True)
class Thresholds:
    min_services: int
    min_value_pence: int


DEFAULT_THRESHOLDS = Thresholds(DEFAULT_MIN_LIVE_SERVICES, DEFAULT_MIN_ANNUAL_VALUE_PENCE)


def thresholds_refusal(*, min_services: int, min_value_pence: int) -> RuleBroken | None:
    """At least one service; a value from £0; neither beyond what the report's whole-number arithmetic holds."""
    if not 1 <= min_services <= MAX_MIN_LIVE_SERVICES:
        return RuleBroken(
            "Enter a whole number of services from 1 to %(max)s", field="min_live_services", max=MAX_MIN_LIVE_SERVICES
        )
    if not 0 <= min_value_pence <= MAX_MIN_ANNUAL_VALUE_PENCE:
        return RuleBroken("Enter an amount from £0 to £1,000,000,000", field="min_annual_value_pence")
    return None


def viable_from(thresholds: Thresholds) -> Thresholds:
    """The fewest services and the smallest value at which a vehicle is viable rather than at risk: 120 % of each
    threshold, rounded up to a whole service and a whole penny (the edges `viability` draws)."""
    margin = 100 + AT_RISK_MARGIN_PERCENT
    return Thresholds(-(-thresholds.min_services * margin // 100), -(-thresholds.min_value_pence * margin // 100))


def viability_window(financial_year: int) -> list[int]:
    """The year asked for and the forecast years after it."""
    return [financial_year + offset for offset in range(FORECAST_YEARS + 1)]


def held_values(years: Mapping[int, int], status: ContractStatus, terminated_on: date | None) -> dict[int, int]:
    """What a contract holds for its vehicle's viability, by year: each year of its term at its value; after a
    termination only the years starting on or before the termination date, at the value of the quarters kept
    (`retained_values`). A contract counts as one of the vehicle's services in each year it holds.
    contracts/queries/viability.py computes the same in SQL."""
    if status is not ContractStatus.TERMINATED or terminated_on is None:
        return dict(years)
    kept = retained_values(years, terminated_on)
    return {year: kept[year] for year in years if FinancialYear(year).first_day <= terminated_on}


@dataclass(frozen=True)
class VehicleYear:
    """A vehicle's services and their total annual value in one financial year."""

    financial_year: int
    services: int
    value_pence: int


@dataclass(frozen=True)
class StatusChange:
    """One year of a decision preview: the vehicle's standing now and once the decision is made."""

    financial_year: int
    now: VehicleYear
    after: VehicleYear
    status_now: Viability
    status_after: Viability

    @property
    def changes(self) -> bool:
        return self.status_now is not self.status_after


def deltas_between(before: Mapping[int, int], after: Mapping[int, int]) -> dict[int, VehicleYear]:
    """What a decision changes in its vehicle's years, from what the contract held before to what it holds after
    (each as `held_values`): a year it starts or stops holding adds or takes one service, and the value moves by
    the difference. An award is `deltas_between({}, values)`; a termination, from the values to those kept."""
    deltas: dict[int, VehicleYear] = {}
    for year in sorted(set(before) | set(after)):
        services = (year in after) - (year in before)
        value = after.get(year, 0) - before.get(year, 0)
        if services or value:
            deltas[year] = VehicleYear(year, services, value)
    return deltas


def decision_preview(
    rows: Sequence[VehicleYear], deltas: Mapping[int, VehicleYear], thresholds: Thresholds
) -> list[StatusChange]:
    """For each year the decision touches, the vehicle's status now and after it (issue 12: "show how the decision
    would change the vehicle's status for each year before it is confirmed")."""
    current = {row.financial_year: row for row in rows}
    preview = []
    for year in sorted(deltas):
        now = current.get(year, VehicleYear(year, 0, 0))
        delta = deltas[year]
        after = VehicleYear(year, max(0, now.services + delta.services), now.value_pence + delta.value_pence)
        preview.append(
            StatusChange(
                year,
                now,
                after,
                viability(
                    services=now.services,
                    value_pence=now.value_pence,
                    min_services=thresholds.min_services,
                    min_value_pence=thresholds.min_value_pence,
                ),
                viability(
                    services=after.services,
                    value_pence=after.value_pence,
                    min_services=thresholds.min_services,
                    min_value_pence=thresholds.min_value_pence,
                ),
            )
        )
    return preview


# --- The contract's lifecycle: which move each page or call makes, KPI thresholds, and splits after a termination.


class ContractMove(StrEnum):
    """A move a commissioner (or the clock) makes; each goes to one status from the statuses named in MOVE_FROM."""

    MOBILISE = "mobilise"
    SUSPEND = "suspend"
    RESUME = "resume"
    TERMINATE = "terminate"
    EXPIRE = "expire"


MOVE_TO: Mapping[ContractMove, ContractStatus] = {
    ContractMove.MOBILISE: ContractStatus.LIVE,
    ContractMove.SUSPEND: ContractStatus.SUSPENDED,
    ContractMove.RESUME: ContractStatus.LIVE,
    ContractMove.TERMINATE: ContractStatus.TERMINATED,
    ContractMove.EXPIRE: ContractStatus.EXPIRED,
}

# Live is reached two ways: mobilising -> live is the mobilisation, suspended -> live the resumption; a move from
# any status outside its own set is refused even where CONTRACT_MOVES allows the status pair.
MOVE_FROM: Mapping[ContractMove, frozenset[ContractStatus]] = {
    ContractMove.MOBILISE: frozenset({ContractStatus.MOBILISING}),
    ContractMove.SUSPEND: frozenset({ContractStatus.LIVE}),
    ContractMove.RESUME: frozenset({ContractStatus.SUSPENDED}),
    ContractMove.TERMINATE: HOLDING,
    ContractMove.EXPIRE: HOLDING,
}

_WRONG_STATUS = {
    ContractMove.MOBILISE: N_("Only a mobilising contract can go live (its status: %(status)s)"),
    ContractMove.SUSPEND: N_("Only a live contract can be suspended (its status: %(status)s)"),
    ContractMove.RESUME: N_("Only a suspended contract can be resumed (its status: %(status)s)"),
    ContractMove.TERMINATE: N_("A contract that has ended cannot be terminated (its status: %(status)s)"),
    ContractMove.EXPIRE: N_("Only a contract that still holds money expires (its status: %(status)s)"),
}


def lifecycle_refusal(
    move: ContractMove, *, current: ContractStatus, today: date, start_on: date, end_on: date
) -> DomainErrorLike:
    """Why a move cannot be made now, or None: the status it starts from (a move not in the table is a Conflict
    naming the status, in the reader's words), then the dates (live not before the start date, nothing after the
    term but expiry: issue 12, item 4). Termination's own dates are `termination_refusal`'s."""
    if current not in MOVE_FROM[move] or not can_move(current, MOVE_TO[move]):
        return Conflict(_WRONG_STATUS[move], status=current)
    if move is ContractMove.EXPIRE:
        return None if today > end_on else RuleBroken("The contract's term ends on %(date)s", date=end_on)
    if move is ContractMove.MOBILISE:
        return mobilisation_refusal(current=current, today=today, start_on=start_on, end_on=end_on)
    if move is ContractMove.TERMINATE:
        return None
    if today > end_on:
        return RuleBroken("The contract's term ended on %(date)s", date=end_on)
    return None


class KpiDirection(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


def kpi_thresholds(direction: str, green_from: str, red_from: str) -> tuple[str, str]:
    """The two thresholds as decimal text, or refused naming the one at fault: both numbers, and green no worse
    than red in the KPI's direction (higher is better: green from >= red from; lower is better: <=)."""
    values: list[Decimal] = []
    for field, text in (("green_from", green_from), ("red_from", red_from)):
        try:
            value = Decimal(text.strip().replace(",", ""))
        except InvalidOperation as exc:
            raise RuleBroken("Enter a number, like 85 or 12.5", field=field) from exc
        if not value.is_finite():
            raise RuleBroken("Enter a number, like 85 or 12.5", field=field)
        values.append(value)
    green, red = values
    if direction == KpiDirection.LOWER_IS_BETTER:
        if green > red:
            raise RuleBroken(
                "Lower is better for this KPI, so green must start at or below where red starts", field="green_from"
            )
    elif green < red:
        raise RuleBroken(
            "Higher is better for this KPI, so green must start at or above where red starts", field="green_from"
        )
    return _plain_decimal(green), _plain_decimal(red)


def _plain_decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def resplit(allocations: Sequence[Allocation], values: Mapping[int, int]) -> list[Allocation]:
    """A contract's split by cluster after its annual values change (a termination), by the same method: by the
    populations stored with the allocation (not today's), or in proportion to the explicit split as entered;
    largest remainder, so each year's parts sum exactly to the year's new value."""
    by_year: dict[int, list[Allocation]] = {}
    for allocation in allocations:
        by_year.setdefault(allocation.financial_year, []).append(allocation)
    result: list[Allocation] = []
    for year in sorted(by_year):
        parts = sorted(by_year[year], key=lambda a: a.cluster_id)
        weights = [int(a.population or 0) if a.method == "population" else a.amount_pence for a in parts]
        if sum(weights) <= 0:
            weights = [1] * len(parts)
        amounts = split_exact(values.get(year, 0), weights)
        result += [
            Allocation(year, a.cluster_id, amount, a.method, a.population, a.population_source)
            for a, amount in zip(parts, amounts, strict=True)
        ]
    return result
