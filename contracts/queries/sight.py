"""The contracts in a line of sight (issue 15, item 2): those of some PCPGs (or covering one cluster) holding a value
in a financial year, each with the specification it was awarded from (none for one made before this service), read
within the actor's contract scope (contracts/queries/scope.py). One statement."""

from __future__ import annotations

from typing import Any

import msgspec

from accounts.actor import Actor
from contracts.queries.scope import read_scope, scoped
from contracts.rules import ContractStatus
from contracts.tables import Contract, ContractCluster, ContractYear
from core.i18n import gettext, in_reading_language


class ContractSightOut(msgspec.Struct, kw_only=True):
    contract_id: int
    reference: str
    title: str
    delivery_vehicle: str
    status: ContractStatus
    status_label: str
    status_tag: str
    specification_id: int | None
    pcpg_id: int


async def contracts_in_sight(
    *, actor: Actor, pcpg_ids: list[int], cluster_id: int | None, financial_year: int
) -> list[ContractSightOut]:
    """In reference order."""
    c: Any = Contract
    holding = ContractYear.select(ContractYear.contract).where(ContractYear.financial_year == financial_year)
    condition = Contract.pcpg.is_in(pcpg_ids or [-1]) & Contract.id.is_in(holding)
    if cluster_id is not None:
        condition &= Contract.id.is_in(
            ContractCluster.select(ContractCluster.contract).where(ContractCluster.cluster == cluster_id)
        )
    rows = await scoped(
        Contract.select(
            Contract.id,
            Contract.reference,
            in_reading_language(c.title, c.title_cy, alias="shown"),
            c.delivery_vehicle.name.as_alias("vehicle"),
            Contract.status,
            Contract.specification,
            Contract.pcpg,
        )
        .where(condition)
        .order_by(Contract.reference),
        read_scope(actor),
    )
    return [
        ContractSightOut(
            contract_id=row["id"],
            reference=row["reference"],
            title=row["shown"],
            delivery_vehicle=row["vehicle"],
            status=ContractStatus(row["status"]),
            status_label=gettext(ContractStatus(row["status"]).label),
            status_tag=ContractStatus(row["status"]).tag,
            specification_id=row["specification"],
            pcpg_id=row["pcpg"],
        )
        for row in rows
    ]
