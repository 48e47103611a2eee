"""How this system's records read as OCDS 1.1.5 (open data): ocids, values, periods and codes.

The mapping is MAPPING.md's (kept with the copy of the standard in tests/data/ocds/); where OCDS has no field for a
thing, the convention chosen is said at the function."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation

from core.clock import LONDON
from core.periods import FinancialYear

_PREFIX = re.compile(r"^ocds-[a-z0-9]{6}$")

HEALTH_BOARD_ODS_CODES = {
    "BCUHB": "7A1",
    "HDUHB": "7A2",
    "SBUHB": "7A3",
    "CAVUHB": "7A4",
    "CTMUHB": "7A5",
    "ABUHB": "7A6",
    "PTHB": "7A7",
}
"""The NHS Organisation Data Service codes of the seven Welsh health boards (ODS, "Welsh Local Health Boards and
Sites", primary role RO142), by the short name the reference data gives each (organisations/data)."""

TENDER_STATUS = {
    "published": "active",
    "closed": "active",
    "under_evaluation": "active",
    "awarded": "complete",
    "cancelled": "cancelled",
}
"""A specification's effective status (commissioning.rules.effective_status) as OCDS tenderStatus (closed codelist):
from publication until the award the tender is active; a draft is never published."""

PROCUREMENT_METHOD = {
    "direct_award_1": ("direct", "PSR Wales: Direct Award Process 1"),
    "direct_award_2": ("direct", "PSR Wales: Direct Award Process 2"),
    "most_suitable_provider": ("direct", "PSR Wales: Most Suitable Provider Process"),
    "competitive": ("open", "PSR Wales: Competitive Process"),
}
"""Each Provider Selection Regime (Wales) 2025 route (regs 8-11) as OCDS `method` (closed codelist) and its name:
only the competitive process lets any provider bid; the others award to one provider without a competition."""

AWARD_STATUS = {"standstill": "pending", "confirmed": "active", "withdrawn": "cancelled"}
"""awardStatus (closed): during the standstill an award is "proposed, but not yet in force" (pending)."""

CONTRACT_STATUS = {
    "mobilising": "pending",
    "live": "active",
    "suspended": "active",
    "terminated": "terminated",
    "expired": "terminated",
}
"""contractStatus (closed): a suspended contract is still in force; OCDS `terminated` covers a contract that came
to a close, whether early or at the end of its term."""

KPI_DIRECTION = {"higher_is_better": "higher", "lower_is_better": "lower"}


def is_ocid_prefix(prefix: str) -> bool:
    """An OCID prefix is "ocds-" and six lower-case letters or digits, as the Open Contracting Partnership issues."""
    return bool(_PREFIX.match(prefix))


def ocid(prefix: str, reference: str) -> str:
    """One contracting process is one specification: its reference never changes, so neither does its ocid."""
    return f"{prefix}-{reference}"


def amount(pence: int) -> float:
    """Pounds as a JSON number: p/100 is exact in binary floating point's shortest repr for any pence up to 10^15
    (MAPPING.md section 9), so the number read back times 100 is the pence again."""
    return pence / 100


def instant(moment: datetime) -> datetime:
    """A stored moment in UTC with its offset (OCDS dates are RFC 3339 date-times: a time without one is refused)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def day_starts(day: date) -> datetime:
    return datetime.combine(day, time(0, 0, 0), LONDON)


def day_ends(day: date) -> datetime:
    """The last second of a day in Wales, as the budget breakdown extension's example ends a period."""
    return datetime.combine(day, time(23, 59, 59), LONDON)


def financial_year_period(financial_year: int) -> tuple[datetime, datetime]:
    year = FinancialYear(financial_year)
    return day_starts(year.first_day), day_ends(year.last_day)


def years_period(first_year: int, years: int) -> tuple[datetime, datetime]:
    """From the first financial year's 1 April to the last one's 31 March."""
    return financial_year_period(first_year)[0], financial_year_period(first_year + max(years, 1) - 1)[1]


def financial_year_label(financial_year: int) -> str:
    return FinancialYear(financial_year).label


def measure(text: str) -> float | int | str | None:
    """A KPI figure as an OCDS measure: a number where the text is one ("87.5"), else the text ("under 10"), none
    when empty. Dimension values must be strings, but a measure may be either."""
    cleaned = text.strip().rstrip("%").replace(",", "").strip()
    if not text.strip():
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return text.strip()
    if not number.is_finite():
        return text.strip()
    return int(number) if number == number.to_integral_value() else float(number)


def metric_id(position: int) -> str:
    """A KPI's metric id: its place in the contract, the same in agreedMetrics and in implementation.metrics."""
    return f"KPI-{position + 1}"


def quarter_label(financial_year: int, quarter: int) -> str:
    return f"{financial_year_label(financial_year)}-Q{quarter}"


def award_criteria_details(criteria: list[tuple[str, int]], price_weight: int) -> str:
    """OCDS core has no structured weights (MAPPING.md section 4): the criteria and their weights as one sentence,
    quality first, in the order the specification lists them."""
    quality = sum(weight for _, weight in criteria)
    parts = ", ".join(f"{title} {weight}%" for title, weight in criteria)
    text = f"Quality {quality}%" + (f" ({parts})" if parts else "")
    return f"{text}; Price {price_weight}%"


def health_board_party_id(short_name: str, prefix: str) -> tuple[str, str | None]:
    """The party id and ODS code of a health board: GB-NHS-{ODS code} (org-id.guide's NHS list); one whose code is
    not known here is named under the ocid prefix, without an identifier."""
    code = HEALTH_BOARD_ODS_CODES.get(short_name)
    return (f"GB-NHS-{code}", code) if code else (f"{prefix}-HB-{short_name}", None)


def vehicle_party_id(companies_house_number: str | None, vehicle_id: int, prefix: str) -> str:
    """A delivery vehicle is GB-COH-{number} (org-id.guide's Companies House list) when it has a registered number."""
    if companies_house_number:
        return f"GB-COH-{companies_house_number}"
    return f"{prefix}-DV-{vehicle_id}"


def release_tags(
    *,
    cancelled: bool,
    awards: int,
    contracts: int,
    amendments: int,
    implementation: bool,
    ended: bool,
) -> list[str]:
    """The stages a release holds (releaseTag, closed codelist): each release is the process as it stands, so it
    carries every stage reached so far."""
    tags = ["planning", "tender"]
    if cancelled:
        tags.append("tenderCancellation")
    if awards:
        tags.append("award")
    if contracts:
        tags.append("contract")
    if amendments:
        tags.append("contractAmendment")
    if implementation:
        tags.append("implementation")
    if ended:
        tags.append("contractTermination")
    return tags


def release_id(ocid_: str, as_of: datetime) -> str:
    """Unique within the ocid and the same for the same state: the ocid and the moment of its latest change."""
    return f"{ocid_}-{instant(as_of):%Y%m%dT%H%M%SZ}"


PUBLISHER = "NHS Wales primary-care cluster commissioning"
LICENSE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
"""Public sector information in Wales is published under the Open Government Licence v3.0."""


def engagement_rationale(activities: list[tuple[str, date, int, str, str, str]]) -> str | None:
    """The tender's planning rationale from the engagement published with its specification (issue 15, item 3): each
    activity's kind, day, how many took part and which groups, what they said and what changed. Counts and groups
    only, as the specification's page shows them; None when there was none (the field is then left out)."""
    if not activities:
        return None
    parts = []
    for kind, held_on, people, groups, said, did in activities:
        reached = f"{people} {'person' if people == 1 else 'people'}"
        if groups.strip():
            reached += f" ({groups.strip()})"
        day = f"{held_on.day} {held_on:%B %Y}"
        parts.append(f"{kind}, {day}, {reached}. You said: {said.strip()} We did: {did.strip()}")
    return "Public and patient engagement while this service was planned (you said, we did). " + " | ".join(parts)
