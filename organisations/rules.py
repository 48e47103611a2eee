"""Pure rules about organisations: registration details and who may see or decide on a delivery vehicle."""

from __future__ import annotations

import re
from collections.abc import Iterable

from accounts.actor import Actor, Role

LEGAL_FORMS = (
    "cic",
    "company_limited_by_guarantee",
    "gp_federation",
    "charity",
    "social_enterprise",
    "hb_hosted",
)
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


def can_see_delivery_vehicle(
    actor: Actor, *, delivery_vehicle_id: int, pcpg_ids: Iterable[int], health_board_ids: Iterable[int]
) -> bool:
    """Providers see their own; commissioners those serving their PCPGs; finance those in their health board."""
    if actor.role is Role.NATIONAL_ADMIN:
        return True
    if actor.role is Role.PROVIDER:
        return actor.delivery_vehicle_id == delivery_vehicle_id
    if actor.role is Role.COMMISSIONER:
        return bool(set(actor.pcpg_ids) & set(pcpg_ids))
    if actor.role is Role.FINANCE_DIRECTOR:
        return actor.health_board_id in set(health_board_ids)
    return False


def can_decide_delivery_vehicle(actor: Actor, *, pcpg_ids: Iterable[int]) -> bool:
    """Approval is a national admin's, or a commissioner's for a vehicle serving one of their PCPGs."""
    if actor.role is Role.NATIONAL_ADMIN:
        return True
    return actor.role is Role.COMMISSIONER and bool(set(actor.pcpg_ids) & set(pcpg_ids))
