"""A contract's public page (issue 12, item 8): its parties, value per year, term and status, and its published
changes (approved variations) with what each changed. Nobody is named: no proposer, no decider, no username."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from contracts import rules
from contracts.queries.contracts import contract_row, year_values
from contracts.rules import ContractStatus, VariationKind, VariationStatus
from contracts.schemas.contract import PublicContractOut, PublishedChangeOut
from contracts.tables import ContractVariation, ContractVersion
from core.i18n import N_, current_language, day_in_words, gettext, name_in_reading_language
from core.money import format_pounds

CHANGED_FIELDS = {
    "start_on": N_("Start of the term"),
    "end_on": N_("End of the term"),
    "annual_values": N_("Annual values"),
    "clusters": N_("Clusters covered"),
    "kpis": N_("KPIs"),
    "payment_timing": N_("Payment timing"),
    "allocations": N_("Allocations by cluster"),
}
"""The particulars a version records (contracts.services.parts.particulars), named as a reader names them."""


def _changed_in_words(field: str, before: Any, after: Any) -> str:
    """One changed particular as the public reads it: dates and annual values with what they were and became."""
    label = gettext(CHANGED_FIELDS.get(field, field))
    if field in ("start_on", "end_on") and isinstance(before, str) and isinstance(after, str):
        language = current_language.get()
        return gettext(
            "%(field)s: %(before)s to %(after)s",
            field=label,
            before=day_in_words(date.fromisoformat(before), language),
            after=day_in_words(date.fromisoformat(after), language),
        )
    if field == "annual_values" and isinstance(before, dict) and isinstance(after, dict):
        language = current_language.get()
        parts = [
            gettext(
                N_("%(year)s: %(before)s to %(after)s"),
                year=year,
                before=format_pounds(int(before.get(year, 0)), language),
                after=format_pounds(int(after.get(year, 0)), language),
            )
            for year in sorted(set(before) | set(after))
            if before.get(year) != after.get(year)
        ]
        return f"{label}: {'; '.join(parts)}" if parts else label
    return label


async def get_public_contract(*, contract_id: int) -> PublicContractOut:
    """What anyone may read of a contract (issue 12, item 8): its parties, value per year, term and status, and each
    approved variation (a published change) with what it changed. Nobody is named."""
    row = await contract_row(None, contract_id)
    years = await year_values(contract_id)
    variations = (
        await ContractVariation.select(
            ContractVariation.id,
            ContractVariation.number,
            ContractVariation.kind,
            ContractVariation.effective_on,
            ContractVariation.version_made,
            ContractVariation.change,
        )
        .where(ContractVariation.contract == contract_id)
        .where(ContractVariation.status == VariationStatus.APPROVED.value)
        .order_by(ContractVariation.number)
    )
    made = [v["version_made"] for v in variations if v["version_made"]]
    wanted = sorted({n for m in made for n in (m - 1, m)})
    particulars: dict[int, dict[str, Any]] = {}
    if wanted:
        for v in await ContractVersion.select(ContractVersion.version, ContractVersion.particulars).where(
            (ContractVersion.contract == contract_id) & ContractVersion.version.is_in(wanted)
        ):
            particulars[v["version"]] = _json(v["particulars"])
    changes = []
    for v in variations:
        kind = VariationKind(v["kind"]) if v["kind"] in set(VariationKind) else None
        after = particulars.get(v["version_made"] or 0)
        before = particulars.get((v["version_made"] or 0) - 1)
        if after is not None and before is not None:
            changed = [_changed_in_words(f.field, f.before, f.after) for f in rules.changes_between(before, after)]
        else:
            changed = [gettext(CHANGED_FIELDS.get(name, name)) for name in _json(v["change"])]
        changes.append(
            PublishedChangeOut(
                number=v["number"],
                kind=v["kind"],
                kind_label=gettext(kind.label) if kind else v["kind"],
                effective_on=v["effective_on"],
                changed=changed,
            )
        )
    status = ContractStatus(row["status"])
    return PublicContractOut(
        id=row["id"],
        reference=row["reference"],
        title=name_in_reading_language(row["title"], row["title_cy"]),
        status=status,
        status_label=gettext(status.label),
        status_tag=status.tag,
        health_board=row["health_board_shown"],
        pcpg=row["pcpg_shown"],
        delivery_vehicle=row["vehicle_name"],
        menu_service=row["menu_shown"] or "",
        start_on=row["start_on"],
        end_on=row["end_on"],
        terminated_on=row["terminated_on"],
        years=years,
        total_value_pence=int(row["total_value_pence"]),
        changes=changes,
    )


def _json(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return value
    return json.loads(value) if value else {}
