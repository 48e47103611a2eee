"""Reading commissioning forms: pounds, dates in Europe/London, repeated rows. Values in, values or messages out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.clock import LONDON
from core.errors import DomainError
from core.i18n import N_, gettext
from core.money import parse_pounds


def london_datetime(day: str, month: str, year: str, time: str) -> datetime:
    """A deadline as a person types it (NHS.UK date input plus HH:MM), in UK time; raises ValueError."""
    hour, _, minute = (time or "").strip().partition(":")
    local = datetime(int(year), int(month), int(day), int(hour or 12), int(minute or 0))
    return local.replace(tzinfo=LONDON)


def deadline_parts(value: datetime | None) -> dict[str, str]:
    if value is None:
        return {"day": "", "month": "", "year": "", "time": ""}
    local = value.astimezone(LONDON)
    return {"day": str(local.day), "month": str(local.month), "year": str(local.year), "time": local.strftime("%H:%M")}


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


def rows(form: Any, prefix: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
    """Repeated rows named prefix-0-field, prefix-1-field...; a row with every field empty is left out."""
    found = []
    index = 0
    while any(f"{prefix}-{index}-{field}" in form for field in fields):
        row = {field: str(form.get(f"{prefix}-{index}-{field}", "")).strip() for field in fields}
        row["index"] = str(index)
        if any(row[field] for field in fields):
            found.append(row)
        index += 1
    return found
