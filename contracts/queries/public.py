"""A contract's public page (issue 12, item 8): its parties, value per year, term and status, and its published
changes (approved variations) with what each changed, as contracts.queries.variations.published_changes words them.
Nobody is named: no proposer, no decider, no username, and no free text (reasons, notes) that could name a person."""

from __future__ import annotations

from contracts.queries.contracts import contract_row, year_values
from contracts.queries.variations import published_changes
from contracts.rules import ContractStatus
from contracts.schemas.contract import PublicContractOut
from core.i18n import gettext, name_in_reading_language


async def get_public_contract(*, contract_id: int) -> PublicContractOut:
    """What anyone may read of a contract (issue 12, item 8): its parties, value per year, term and status, and each
    approved variation (a published change) with what it changed. Nobody is named."""
    row = await contract_row(None, contract_id)
    years = await year_values(contract_id)
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
        changes=await published_changes(contract_id),
    )
