"""The line of sight (lineofsight.queries.line_of_sight): one place and year, from plan priority to specification to
contract, each contract with its KPIs' latest RAG and trend and its money; the gaps named; the place's totals the
spend report's to the penny; scoped to what the reader may see; as many statements for many contracts as for few."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from accounts.actor import Role
from core.errors import NotAllowed, RuleBroken
from finance.spend.queries import spend_report
from finance.spend.schemas import SpendFilterIn
from lineofsight.queries import line_of_sight
from lineofsight.schemas import SightAsk
from organisations.tables import Cluster, HealthBoard, Pcpg
from returns.rules import RAG
from returns.spc import VariationIcon
from tests import factories
from tests import sight_support as support
from tests.conftest import make_actor
from tests.query_count import count_queries

NOW = datetime(2027, 12, 1, 12, tzinfo=UTC)


def _contracts(out) -> list:
    """Every contract the line of sight shows, in the tree or beside it."""
    branches = [s for p in out.priorities_without_need for s in p.specifications]
    branches += [s for n in out.needs for p in n.priorities for s in p.specifications]
    branches += out.specifications_without_priority
    return [c for s in branches for c in s.contracts] + list(out.contracts_without_specification)


async def _sight(actor, **ask):
    return await line_of_sight(actor=actor, ask=SightAsk(financial_year=2027, **ask), now=NOW)


async def test_a_commissioner_follows_a_priority_to_its_contracts_outcomes_and_spend():
    world = await support.build_sight_world()
    commissioner = await make_actor(Role.COMMISSIONER)
    out = await _sight(commissioner, pcpg_id=world.cardiff)
    assert (out.place.name, out.year_label) == ("Cardiff", "2027-28")
    [answered] = [p for p in out.priorities_without_need if p.plan_priority_id == world.answered]
    by_reference = {s.title: s for s in answered.specifications}
    assert set(by_reference) == {"Test specification", "Weight, phase two"}
    [weight] = by_reference["Test specification"].contracts
    assert weight.contract_id == world.spend.contracts["weight"]
    [kpi] = weight.kpis
    assert (kpi.rag, kpi.period, str(kpi.value)) == (RAG.RED, "2027-28 Q3", "40")
    assert kpi.trend in set(VariationIcon) and kpi.trend_label
    assert weight.red_kpis == 1
    # The spend world's weight contract in 2027-28: £30,000.01 committed, three approved payments of £7,500.01.
    assert (weight.money.committed_pence, weight.money.actual_pence) == (30_000_01, 22_500_03)
    falls = [s for s in out.specifications_without_priority for _ in s.contracts]
    assert [c.contract_id for s in falls for c in s.contracts] == [world.spend.contracts["falls"]]


async def test_per_head_counts_only_the_clusters_with_a_known_population_and_names_the_others():
    world = await support.build_sight_world()
    out = await _sight(await make_actor(Role.COMMISSIONER), pcpg_id=world.cardiff)
    [weight] = [
        c
        for p in out.priorities_without_need
        for s in p.specifications
        for c in s.contracts
        if c.contract_id == world.spend.contracts["weight"]
    ]
    clusters = await Cluster.select(Cluster.name, Cluster.population).where(
        Cluster.name.is_in(["Cardiff North", "Cardiff East", "Cardiff South West"])
    )
    known = {row["name"]: row["population"] for row in clusters if row["population"]}
    unknown = sorted(row["name"] for row in clusters if not row["population"])
    assert unknown and known, "the world has clusters of both kinds"
    paid = {"Cardiff North": 3 * 2_500_01, "Cardiff East": 3 * 2_500_00, "Cardiff South West": 3 * 2_500_00}
    people = sum(known.values())
    expected = (2 * sum(paid[name] for name in known) + people) // (2 * people)
    assert weight.money.population == people
    assert weight.money.actual_per_head_pence == expected
    assert weight.money.clusters_without_population == unknown


async def test_the_gaps_are_named():
    world = await support.build_sight_world()
    out = await _sight(await make_actor(Role.COMMISSIONER), pcpg_id=world.cardiff)
    assert [g.item_id for g in out.gaps.priorities_without_specification] == [world.unanswered]
    assert world.draft in [g.item_id for g in out.gaps.specifications_without_contract]
    assert [g.item_id for g in out.gaps.contracts_with_red_kpis] == [world.spend.contracts["weight"]]
    assert all(g.href for g in out.gaps.contracts_with_red_kpis)


async def test_the_places_totals_are_the_spend_reports_to_the_penny():
    world = await support.build_sight_world()
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    out = await _sight(finance, pcpg_id=world.cardiff)
    report = await spend_report(
        actor=finance, filters=SpendFilterIn(group_by=["pcpg"], from_year=2027, to_year=2027, pcpg_id=world.cardiff)
    )
    [row] = report.rows
    assert (out.totals.committed_pence, out.totals.actual_pence) == (row.committed_pence, row.actual_pence)
    assert out.totals.actual_per_head_pence == row.actual_per_head_pence
    assert out.totals.committed_pence > 0


async def test_a_clusters_view_counts_only_what_covers_it_and_its_share_of_the_money():
    world = await support.build_sight_world()
    south_west = world.spend.clusters["Cardiff South West"]
    out = await _sight(await make_actor(Role.COMMISSIONER), cluster_id=south_west)
    contracts = _contracts(out)
    assert [c.contract_id for c in contracts] == [world.spend.contracts["weight"]], "falls does not cover it"
    assert (contracts[0].money.committed_pence, contracts[0].money.actual_pence) == (10_000_00, 7_500_00)
    assert [link.level for link in out.up] == ["health_board", "pcpg"]


async def test_a_health_boards_view_holds_its_pcpgs_and_leads_down_to_them():
    world = await support.build_sight_world()
    board = await HealthBoard.select(HealthBoard.id).where(HealthBoard.short_name == "CAVUHB").first()
    assert board is not None
    out = await _sight(await make_actor(Role.NATIONAL_ADMIN), health_board_id=board["id"])
    contracts = {c.contract_id for c in _contracts(out)}
    assert world.spend.contracts["vale"] in contracts and world.spend.contracts["swansea"] not in contracts
    assert {link.name for link in out.down} >= {"Cardiff", "Vale of Glamorgan"}


async def test_a_place_out_of_sight_is_refused_as_one_that_does_not_exist():
    world = await support.build_sight_world()
    swansea = await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",))
    with pytest.raises(RuleBroken) as refused:
        await _sight(swansea, pcpg_id=world.cardiff)
    with pytest.raises(RuleBroken) as absent:
        await _sight(swansea, pcpg_id=999_999)
    assert (
        (refused.value.field, refused.value.message)
        == (absent.value.field, absent.value.message)
        == (
            "pcpg_id",
            "Choose a place you can see",
        )
    )
    other_board = await make_actor(Role.FINANCE_DIRECTOR, health_board_name="Swansea Bay University Health Board")
    with pytest.raises(RuleBroken):
        await _sight(other_board, cluster_id=world.spend.clusters["Cardiff North"])
    with pytest.raises(NotAllowed):
        await _sight(await make_actor(Role.PROVIDER), pcpg_id=world.cardiff)
    with pytest.raises(RuleBroken) as two:
        await _sight(swansea, pcpg_id=world.cardiff, cluster_id=1)
    assert two.value.field == "cluster_id"


async def test_as_many_statements_for_many_contracts_as_for_few():
    world = await support.build_sight_world()
    commissioner = await make_actor(Role.COMMISSIONER)
    with count_queries() as few:
        shown = len(_contracts(await _sight(commissioner, pcpg_id=world.cardiff)))
    board = await Pcpg.select(Pcpg.health_board).where(Pcpg.id == world.cardiff).first()
    assert board is not None
    for _ in range(8):
        contract = await factories.save(
            factories.ContractFactory(pcpg=world.cardiff, health_board=board["health_board"])
        )
        await factories.save(factories.ContractYearFactory(contract=contract.id, financial_year=2027))
        await factories.save(factories.ContractKpiFactory(contract=contract.id))
        await factories.save(
            factories.ContractClusterFactory(contract=contract.id, cluster=world.spend.clusters["Cardiff North"])
        )
    with count_queries() as many:
        out = await _sight(commissioner, pcpg_id=world.cardiff)
    assert len(_contracts(out)) == shown + 8
    assert many.total == few.total, (str(few), str(many))
