"""Contracts for the tests of reading them (list, detail, allocations, pages): made by the app's own make_contract,
from a specification and award built with factories, so the rows are the ones a confirmed award makes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from accounts.actor import Actor, Role
from contracts.schemas.making import ContractIn, ContractYearIn
from contracts.services.making import make_contract
from organisations.tables import Cluster, Pcpg
from tests import factories
from tests.commissioning_support import now
from tests.conftest import make_actor

YEARS = {2027: 40_000_01, 2028: 30_000_02}


async def pcpg_id(name: str) -> int:
    return await factories.reference_id(Pcpg, name)


async def known_population_clusters(pcpg: str, count: int = 2) -> list[str]:
    """Clusters of the PCPG with a known population (so the contract splits by population at once)."""
    rows = (
        await Cluster.select(Cluster.name)
        .where((Cluster.pcpg == await pcpg_id(pcpg)) & Cluster.population.is_not_null())
        .order_by(Cluster.name)
    )
    assert len(rows) >= count, f"{pcpg} has fewer than {count} clusters with a population"
    return [row["name"] for row in rows[:count]]


async def unknown_population_cluster(pcpg: str) -> str:
    row = (
        await Cluster.select(Cluster.name)
        .where((Cluster.pcpg == await pcpg_id(pcpg)) & Cluster.population.is_null())
        .first()
    )
    assert row is not None, f"every cluster of {pcpg} has a population"
    return str(row["name"])


async def contract(
    *,
    pcpg: str = "Cardiff",
    vehicle_id: int | None = None,
    years: Mapping[int, int] = YEARS,
    clusters: Sequence[str] | None = None,
    title: str = "Weight management",
    title_cy: str = "Rheoli pwysau",
    menu_version_id: int | None = None,
    priority_title: str | None = None,
    by: Actor | None = None,
) -> int:
    """A contract made as a confirmed award makes one; its KPI is the specification's."""
    pcpg_row = await Pcpg.select(Pcpg.id, Pcpg.health_board).where(Pcpg.name == pcpg).first()
    assert pcpg_row is not None
    if menu_version_id is None:
        menu_version_id = (await factories.save(factories.MenuServiceVersionFactory())).id
    spec_values: dict[str, Any] = {"pcpg": pcpg_row["id"], "menu_service_version": menu_version_id}
    if priority_title is not None:
        plan = await factories.save(factories.PlanFactory(pcpg=pcpg_row["id"]))
        priority = await factories.save(factories.PlanPriorityFactory(plan=plan.id, title=priority_title))
        spec_values["plan_priority"] = priority.id
    spec = await factories.save(factories.SpecificationFactory(**spec_values))
    for cluster_id in await factories.cluster_ids(*(clusters or await known_population_clusters(pcpg))):
        await factories.save(factories.SpecificationClusterFactory(specification=spec.id, cluster=cluster_id))
    await factories.save(
        factories.SpecificationKpiFactory(
            specification=spec.id, baseline="10", target="50", direction="higher_is_better"
        )
    )
    if vehicle_id is None:
        vehicle_id = (await factories.create_vehicle()).id
    award = await factories.save(factories.AwardFactory(specification=spec.id, delivery_vehicle=vehicle_id))
    by = by or await make_actor(Role.COMMISSIONER, pcpg_names=(pcpg,))
    return await make_contract(
        actor=by,
        contract=ContractIn(
            specification_id=spec.id,
            award_id=award.id,
            pcpg_id=pcpg_row["id"],
            health_board_id=pcpg_row["health_board"],
            delivery_vehicle_id=vehicle_id,
            title=title,
            title_cy=title_cy,
            years=[ContractYearIn(financial_year=y, value_pence=v) for y, v in years.items()],
        ),
        now=now(),
    )
