"""A contract to vary in tests: made by `make_contract` from a specification covering reference clusters of Cardiff
with known populations, with KPIs, committed on Cardiff's budget lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.actor import Actor, Role
from contracts.schemas.making import ContractIn, ContractYearIn
from contracts.services.making import make_contract
from organisations.tables import Cluster, Pcpg
from tests import commissioning_support as support
from tests import factories
from tests.conftest import make_actor

NORTH = "Cardiff North"  # population 107,230 in the reference data
SOUTH_WEST = "Cardiff South West"  # population 75,000
EAST = "Cardiff East"  # no known population


async def cluster_id(name: str) -> int:
    row = await Cluster.select(Cluster.id).where(Cluster.name == name).first()
    assert row is not None, name
    return int(row["id"])


@dataclass
class Made:
    contract_id: int
    lines: dict[int, Any]  # financial year -> budget line
    proposer: Actor


async def contract(
    *,
    values: dict[int, int] | None = None,
    line_pence: int = 500_000_00,
    clusters: tuple[str, ...] = (NORTH,),
    kpis: int = 1,
    extra_line_years: tuple[int, ...] = (),
    pcpg: str = "Cardiff",
    lines: dict[int, Any] | None = None,
) -> Made:
    """Two years (2027-28 £100,000, 2028-29 £120,000) on lines of £500,000 each, unless told otherwise (`lines`:
    the lines to commit on, by year, shared with other contracts)."""
    values = values or {2027: 100_000_00, 2028: 120_000_00}
    lines = dict(lines or {})
    for year in values:
        if year not in lines:
            lines[year] = await support.budget_line(pcpg=pcpg, year=year, amount_pence=line_pence)
    for year in extra_line_years:
        lines[year] = await support.budget_line(pcpg=pcpg, year=year, amount_pence=line_pence)
    pcpg_id = await support.pcpg_id(pcpg)
    spec = await factories.save(factories.SpecificationFactory(pcpg=pcpg_id))
    for name in clusters:
        await factories.save(
            factories.SpecificationClusterFactory(specification=spec.id, cluster=await cluster_id(name))
        )
    for position in range(kpis):
        await factories.save(
            factories.SpecificationKpiFactory(
                specification=spec.id, position=position, name=f"People seen {position + 1}", target="80"
            )
        )
    award = await factories.save(factories.AwardFactory(specification=spec.id))
    board = await Pcpg.select(Pcpg.health_board).where(Pcpg.id == pcpg_id).first()
    assert board is not None
    maker = await make_actor(Role.COMMISSIONER, pcpg_names=(pcpg,))
    contract_id = await make_contract(
        actor=maker,
        contract=ContractIn(
            specification_id=spec.id,
            award_id=award.id,
            pcpg_id=pcpg_id,
            health_board_id=board["health_board"],
            delivery_vehicle_id=award.delivery_vehicle,
            title="Weight management",
            title_cy="Rheoli pwysau",
            years=[
                ContractYearIn(financial_year=year, value_pence=value, budget_line_id=lines[year].id)
                for year, value in sorted(values.items())
            ],
        ),
        now=support.now(),
    )
    return Made(contract_id, lines, maker)
