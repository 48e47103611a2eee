"""Money is an int of pence everywhere; pounds exist only at the edges (forms, display)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency

from core.errors import RuleBroken

# Commas only as thousands separators: "1,50" is refused rather than read as £150.
_POUNDS = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$", re.ASCII)


def split_exact(total_pence: int, weights: Sequence[int]) -> list[int]:
    """Split by weights with largest-remainder rounding, so the parts always sum back to the total.

    DOMAIN.md "Budgets and money": every split must sum back exactly. Ties in the remainder go to
    the earlier part, so the result is deterministic.
    """
    if not weights:
        raise ValueError("at least one weight is needed")
    if any(w < 0 for w in weights):
        raise ValueError("weights cannot be negative")
    weight_sum = sum(weights)
    if weight_sum == 0:
        raise ValueError("weights cannot all be zero")
    sign = -1 if total_pence < 0 else 1
    magnitude = abs(total_pence)
    floors = [magnitude * w // weight_sum for w in weights]
    remainders = [magnitude * w % weight_sum for w in weights]
    short = magnitude - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:short]:
        floors[i] += 1
    return [sign * part for part in floors]


def parse_pounds(text: str, *, field: str = "amount") -> int:
    """Read what a person typed ("1,234.5", "£20") into pence; refuse anything else with a field-named error."""
    cleaned = text.strip().replace("£", "").replace(" ", "")
    if not _POUNDS.match(cleaned):
        raise RuleBroken("Enter an amount in pounds, like 1250.00", field=field)
    cleaned = cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already rules this out
        raise RuleBroken("Enter an amount in pounds, like 1250.00", field=field) from exc
    return int(value * 100)


def format_pounds(pence: int, language: str = "en") -> str:
    """ "£1,234.56" in either language (Babel's en_GB and cy_GB agree on the format)."""
    locale = "cy_GB" if language == "cy" else "en_GB"
    return format_currency(Decimal(pence) / 100, "GBP", locale=locale)


def pounds_input(pence: int | None) -> str:
    """Pence as a person would type them back into a form ("12345678.91"), in integers: no float on the way."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}{whole}.{part:02d}"
