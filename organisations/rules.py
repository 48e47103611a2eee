"""Pure rules about organisations: registration details and who may see or decide on a delivery vehicle."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import NamedTuple

import msgspec

from accounts.actor import Actor, Role
from core.errors import Conflict, DomainError, RuleBroken
from core.i18n import N_


class DeliveryVehicleStatus(StrEnum):
    """A delivery vehicle's registration: waiting, then approved (it may bid) or rejected (DOMAIN.md); an approved
    vehicle may be suspended by a national administrator (it cannot bid meanwhile) and reinstated."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"

    @property
    def label(self) -> str:
        """The reader's words (a catalogue message id, translated when rendered)."""
        return _STATUS_LABELS[self]

    @property
    def colour(self) -> str:
        """The NHS.UK tag colour a page shows the status in."""
        return _STATUS_COLOURS[self]


_STATUS_LABELS = {
    DeliveryVehicleStatus.PENDING: N_("Waiting for approval"),
    DeliveryVehicleStatus.APPROVED: N_("Approved"),
    DeliveryVehicleStatus.REJECTED: N_("Rejected"),
    DeliveryVehicleStatus.SUSPENDED: N_("Suspended"),
}
_STATUS_COLOURS = {
    DeliveryVehicleStatus.PENDING: "yellow",
    DeliveryVehicleStatus.APPROVED: "green",
    DeliveryVehicleStatus.REJECTED: "red",
    DeliveryVehicleStatus.SUSPENDED: "orange",
}


class VehicleAction(StrEnum):
    """What a person does to a vehicle's status, as the pages and the API name it (/delivery-vehicles/{id}/approve)."""

    APPROVE = "approve"
    REJECT = "reject"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"


# Each action's move, from one status to another. A decision on a registration is made once and never changed;
# an approved vehicle may be suspended and reinstated any number of times.
ACTION_MOVES: dict[VehicleAction, tuple[DeliveryVehicleStatus, DeliveryVehicleStatus]] = {
    VehicleAction.APPROVE: (DeliveryVehicleStatus.PENDING, DeliveryVehicleStatus.APPROVED),
    VehicleAction.REJECT: (DeliveryVehicleStatus.PENDING, DeliveryVehicleStatus.REJECTED),
    VehicleAction.SUSPEND: (DeliveryVehicleStatus.APPROVED, DeliveryVehicleStatus.SUSPENDED),
    VehicleAction.REINSTATE: (DeliveryVehicleStatus.SUSPENDED, DeliveryVehicleStatus.APPROVED),
}

# The allowed moves, whichever action makes them.
TRANSITIONS: dict[DeliveryVehicleStatus, frozenset[DeliveryVehicleStatus]] = {
    status: frozenset(to for start, to in ACTION_MOVES.values() if start is status) for status in DeliveryVehicleStatus
}

# A decision on a registration as the pages name it (/delivery-vehicles/{id}/approve), and the status it moves to.
DECISIONS = {action.value: ACTION_MOVES[action][1] for action in (VehicleAction.APPROVE, VehicleAction.REJECT)}


def can_move(current: DeliveryVehicleStatus, to: DeliveryVehicleStatus) -> bool:
    return to in TRANSITIONS[current]


def can_take(action: VehicleAction, current: DeliveryVehicleStatus) -> bool:
    """An action applies only from its own starting status (approving a suspended vehicle is not reinstating it)."""
    return ACTION_MOVES[action][0] is current


def decision_refusal(action: VehicleAction, *, current: DeliveryVehicleStatus, reason: str) -> DomainError | None:
    """Why a decision on a registration cannot be made, or None when it can: a registration is decided once, while
    it waits, and a rejection gives the organisation its reason (they read it). The service and the page that checks
    the decision before it is made both ask this."""
    if not can_take(action, current):
        return Conflict("This delivery vehicle has already been %(status)s", status=current.value)
    if action is VehicleAction.REJECT and not reason.strip():
        return RuleBroken("Give the reason for rejecting the registration", field="reason")
    return None


def may_bid(status: DeliveryVehicleStatus) -> bool:
    """Only an approved vehicle bids, asks clarification questions or is awarded a contract."""
    return status is DeliveryVehicleStatus.APPROVED


def bidding_refusal(status: DeliveryVehicleStatus) -> str | None:
    """Why a vehicle cannot bid, in the provider's words; None when it can."""
    if status is DeliveryVehicleStatus.APPROVED:
        return None
    if status is DeliveryVehicleStatus.SUSPENDED:
        return N_("Your delivery vehicle is suspended, so it cannot bid until a national administrator reinstates it")
    return N_("Your delivery vehicle must be approved before it can bid")


def can_suspend(actor: Actor) -> bool:
    """Suspension is national: a national administrator's decision, whichever PCPGs the vehicle serves."""
    return actor.role is Role.NATIONAL_ADMIN


def can_suspend_now(actor: Actor, *, status: DeliveryVehicleStatus) -> bool:
    return can_suspend(actor) and can_take(VehicleAction.SUSPEND, status)


def can_reinstate_now(actor: Actor, *, status: DeliveryVehicleStatus) -> bool:
    return can_suspend(actor) and can_take(VehicleAction.REINSTATE, status)


LEGAL_FORM_LABELS = {
    "cic": N_("Community Interest Company"),
    "company_limited_by_guarantee": N_("Company limited by guarantee"),
    "gp_federation": N_("GP federation"),
    "charity": N_("Charity"),
    "social_enterprise": N_("Social enterprise"),
    "hb_hosted": N_("Health board hosted team"),
}
LEGAL_FORMS = tuple(LEGAL_FORM_LABELS)
# Forms that are companies, so Companies House has a number for them.
NEEDS_COMPANY_NUMBER = ("cic", "company_limited_by_guarantee")

# 8 digits (England and Wales), or a two-letter prefix and 6 digits (SC, NI, OC, ...), per Companies House.
_COMPANY_NUMBER = re.compile(r"^(\d{8}|[A-Z]{2}\d{6}|R0\d{6})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Ids are PostgreSQL integers: a larger number names nothing, and the database drivers refuse it (a 500).
MAX_ID = 2_147_483_647
# No list is that long; a larger OFFSET overflows the drivers too.
MAX_OFFSET = 2_147_483_647


def is_possible_id(value: int | None) -> bool:
    return value is None or 1 <= value <= MAX_ID


def normalise_company_number(text: str | None) -> str | None:
    """Upper case, no spaces, and leading zeros restored ("1234567" is company 01234567)."""
    if text is None or not text.strip():
        return None
    cleaned = re.sub(r"\s+", "", text).upper()
    if cleaned.isdigit() and len(cleaned) < 8:
        cleaned = cleaned.zfill(8)
    return cleaned


def is_company_number(text: str) -> bool:
    return bool(_COMPANY_NUMBER.fullmatch(text))


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text.strip()))


def can_register_delivery_vehicle(actor: Actor) -> bool:
    """A provider user registers the one vehicle they act for; a second registration is refused."""
    return actor.role is Role.PROVIDER and actor.delivery_vehicle_id is None


class VehicleScope(msgspec.Struct, frozen=True):
    """Which delivery vehicles an actor may see: every one, or those matching one of the given ids
    (`by`: "vehicle" its own id, "pcpg" serving one of these PCPGs, "health_board" serving one in these boards).
    organisations.queries.scope_condition turns it into SQL."""

    every: bool = False
    by: str = "vehicle"
    ids: tuple[int, ...] = ()


def vehicle_scope(actor: Actor) -> VehicleScope:
    """Providers see their own; commissioners those serving their PCPGs; finance those in their health board."""
    if actor.role is Role.NATIONAL_ADMIN:
        return VehicleScope(every=True)
    if actor.role is Role.PROVIDER and actor.delivery_vehicle_id is not None:
        return VehicleScope(by="vehicle", ids=(actor.delivery_vehicle_id,))
    if actor.role is Role.COMMISSIONER:
        return VehicleScope(by="pcpg", ids=tuple(actor.pcpg_ids))
    if actor.role is Role.FINANCE_DIRECTOR and actor.health_board_id is not None:
        return VehicleScope(by="health_board", ids=(actor.health_board_id,))
    return VehicleScope()


def can_see_delivery_vehicle(
    actor: Actor, *, delivery_vehicle_id: int, pcpg_ids: Iterable[int], health_board_ids: Iterable[int]
) -> bool:
    """The scope above, for one vehicle (the queries apply the same scope in SQL)."""
    scope = vehicle_scope(actor)
    if scope.every:
        return True
    found = {"vehicle": {delivery_vehicle_id}, "pcpg": set(pcpg_ids), "health_board": set(health_board_ids)}
    return bool(found[scope.by] & set(scope.ids))


def can_decide_delivery_vehicle(actor: Actor, *, pcpg_ids: Iterable[int]) -> bool:
    """Approval is a national admin's, or a commissioner's for a vehicle serving one of their PCPGs."""
    if actor.role is Role.NATIONAL_ADMIN:
        return True
    return actor.role is Role.COMMISSIONER and bool(set(actor.pcpg_ids) & set(pcpg_ids))


def can_decide_now(actor: Actor, *, status: DeliveryVehicleStatus, pcpg_ids: Iterable[int]) -> bool:
    """Approve and reject are offered while the registration waits, to those who may decide on it."""
    return status is DeliveryVehicleStatus.PENDING and can_decide_delivery_vehicle(actor, pcpg_ids=pcpg_ids)


def is_waiting_for_own_review(actor: Actor, *, status: DeliveryVehicleStatus, delivery_vehicle_id: int) -> bool:
    """The provider who registered a waiting vehicle is told what happens next."""
    return (
        status is DeliveryVehicleStatus.PENDING
        and actor.role is Role.PROVIDER
        and actor.delivery_vehicle_id == delivery_vehicle_id
    )


def lists_delivery_vehicles(actor: Actor) -> bool:
    """Providers act for one vehicle, so they are sent to it rather than shown a list (or a link to one)."""
    return actor.role in (Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR)


# A cluster's population (issue 12, item 2)


class PopulationFigure(NamedTuple):
    """A cluster's population as a source gives it: the figure, whether the source calls it approximate, the source's
    words, the day, month or year it gives for the figure ("2020-01-01", "2018-10", "2018"; None when it gives none)
    and its address."""

    population: int | None
    is_estimate: bool = False
    source: str = ""
    as_of: str | None = None
    source_url: str | None = None


def as_of_period(as_of: str) -> tuple[date, date]:
    """The first and last day a source's date covers: a day, a whole month or a whole year. ValueError for any other
    text."""
    parts = [int(part) for part in as_of.split("-")]
    if len(parts) == 3:
        day = date(*parts)
        return day, day
    if len(parts) == 2:
        year, month = parts
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if len(parts) == 1 and len(as_of) == 4:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    raise ValueError(f"not a day, month or year: {as_of!r}")


def is_newer_figure(reference_as_of: str | None, stored_as_of: str | None) -> bool:
    """A figure is newer only when both are dated and all of its period comes after the other's: "2019" is newer
    than "2018-07", but "2018-10" is not newer than "2018" (it may be the same count). An undated figure is never
    newer, nor older, than another."""
    if not reference_as_of or not stored_as_of:
        return False
    return as_of_period(reference_as_of)[0] > as_of_period(stored_as_of)[1]


def population_to_load(stored: PopulationFigure, reference: PopulationFigure) -> PopulationFigure | None:
    """What `cdv load-reference` writes for a cluster's population, or None to leave the row as it is.

    The reference data fills in what the database does not have; it does not overwrite a population already there
    (loaded earlier, or set by a person) unless it gives a newer dated figure, so a figure someone corrected by hand
    survives the next load. A cluster the reference data has no figure for keeps what it has (None stays None:
    unknown, never 0). Where the stored figure is the reference's own (same number, same source), the reference's
    date and address fill in the ones the row lacks, which is how rows loaded before those were kept get them.
    """
    if reference.population is None:
        return None
    if stored.population is None:
        return reference
    if (stored.population, stored.source) == (reference.population, reference.source):
        filled = stored._replace(
            as_of=stored.as_of or reference.as_of, source_url=stored.source_url or reference.source_url
        )
        return filled if filled != stored else None
    if is_newer_figure(reference.as_of, stored.as_of):
        return reference
    return None
