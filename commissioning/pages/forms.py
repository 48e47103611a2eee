"""Pounds typed on the bid and award forms: pence, or a message on the field (`core.money` reads them)."""

from __future__ import annotations

from core.errors import DomainError
from core.i18n import N_, gettext
from core.money import parse_pounds


def pounds_field(
    text: str,
    field: str,
    errors: dict[str, str],
    zero_message: str = N_("Each year's maximum value must be more than £0"),
) -> int | None:
    if not text.strip():
        errors.setdefault(field, gettext("Enter an amount in pounds, like 1250.00"))
        return None
    try:
        value = parse_pounds(text, field=field)
    except DomainError as exc:
        errors.setdefault(field, gettext(exc.message))
        return None
    if value <= 0:
        errors.setdefault(field, gettext(zero_message))
        return None
    return value
