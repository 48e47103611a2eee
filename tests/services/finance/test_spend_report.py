"""The spend report (finance.spend.spend_report): the ledger's money by one or two groupings, summed by the database,
every grouping adding back to the ledger's totals to the penny, scoped like the ledger, with per-head figures that
count only clusters with a known population."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest

from accounts.actor import Role
from core.errors import NotAllowed, RuleBroken
from finance.queries import ledger_report
from finance.schemas import LedgerFilterIn
from finance.spend.queries import read_group_by, spend_report
from finance.spend.schemas import GROUPINGS, SpendFilterIn
from organisations.tables import Cluster
from tests import spend_support as support
from tests.conftest import make_actor
from tests.query_count import count_queries

MONEY = ("budget_pence", "earmarked_pence", "committed_unspent_pence", "actual_pence", "headroom_pence")


async def _ledger_totals(actor: Any, **filters: Any) -> dict[str, int]:
    report = await ledger_report(actor=actor, filters=LedgerFilterIn(**filters), limit=None)
    return {field: sum(getattr(year, field) for year in report.years) for field in MONEY}


def _summed(report: Any) -> dict[str, int]:
    return {field: sum(getattr(row, field) for row in report.rows) for field in MONEY}


def _row(report: Any, *labels: str) -> Any:
    found = [row for row in report.rows if [key.label for key in row.keys] == list(labels)]
    assert len(found) == 1, [[key.label for key in row.keys] for row in report.rows]
    return found[0]


async def test_every_grouping_and_every_pair_sums_back_to_the_ledger_to_the_penny():
    await support.build_spend_world()
    for role in (Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR, Role.COMMISSIONER):
        actor = await make_actor(role)
        ledger = await _ledger_totals(actor)
        assert ledger["actual_pence"] > 0 and ledger["committed_unspent_pence"] > 0
        for group_by in [[name] for name in GROUPINGS] + [list(pair) for pair in combinations(GROUPINGS, 2)]:
            report = await spend_report(actor=actor, filters=SpendFilterIn(group_by=group_by))
            assert _summed(report) == ledger, (role, group_by)
            assert {field: getattr(report.totals, field) for field in MONEY} == ledger
            for row in report.rows:
                parts = row.earmarked_pence + row.committed_unspent_pence + row.actual_pence + row.headroom_pence
                assert parts == row.budget_pence, (group_by, row)


async def test_by_cluster_contracts_money_is_each_clusters_and_the_rest_is_held_for_the_pcpg():
    await support.build_spend_world()
    admin = await make_actor(Role.NATIONAL_ADMIN)
    report = await spend_report(actor=admin, filters=SpendFilterIn(group_by=["cluster"], to_year=2027))
    north = _row(report, "Cardiff North")
    # Committed £10,000.01 + £3,333.33; paid 3 x £2,500.01 + £3,333.34 (the withheld quarter is not spent).
    assert (north.committed_pence, north.actual_pence, north.committed_unspent_pence) == (
        13_333_34,
        10_833_37,
        2_499_97,
    )
    assert north.budget_pence == north.committed_pence and north.earmarked_pence == north.headroom_pence == 0
    assert (north.population, north.clusters_without_population) == (107_230, [])
    assert north.actual_per_head_pence == 10  # £10,833.37 / 107,230 people = 10.1p
    east = _row(report, "Cardiff East")
    assert (east.population, east.actual_per_head_pence, east.clusters_without_population) == (
        None,
        None,
        ["Cardiff East"],
    )
    held = _row(report, "Held for the PCPG, not yet given to a contract")
    assert held.held_for_pcpg and held.keys[0].value is None
    assert held.earmarked_pence == 30_000_00 + 9_500_00 + 7_777_77  # every 2027 earmark still held
    assert "Cardiff East" in report.clusters_without_population
    assert "Cardiff North" not in report.clusters_without_population


async def test_a_pcpgs_per_head_counts_only_clusters_with_a_known_population_and_names_the_others():
    await support.build_spend_world()
    admin = await make_actor(Role.NATIONAL_ADMIN)
    report = await spend_report(actor=admin, filters=SpendFilterIn(group_by=["pcpg"], from_year=2027, to_year=2027))
    cardiff = _row(report, "Cardiff")
    assert (cardiff.population, cardiff.clusters_with_population) == (107_230 + 75_000, 2)
    assert cardiff.clusters_without_population == ["Cardiff East"]
    # Only the money given to Cardiff North and Cardiff South West is divided by their population.
    counted = (10_833_37 + 7_500_00, 13_333_34 + 10_000_00)
    assert cardiff.actual_per_head_pence == round(counted[0] / 182_230)
    assert cardiff.committed_per_head_pence == round(counted[1] / 182_230)
    assert cardiff.actual_pence == 3 * 7_500_01 + 6_666_66  # every payment, Cardiff East's too
    swansea = _row(report, "Swansea Bay")
    assert swansea.population_as_of == ["2018-10"] and swansea.population_dates == "October 2018"
    assert swansea.actual_per_head_pence == round(1_234_56 / 50_654)
    vale = _row(report, "Vale of Glamorgan")
    assert (vale.population, vale.actual_per_head_pence, vale.clusters_without_population) == (
        None,
        None,
        ["Central Vale"],
    )


async def test_a_population_changed_is_read_at_once_and_an_undated_one_says_so():
    await support.build_spend_world()
    admin = await make_actor(Role.NATIONAL_ADMIN)
    # Reference rows outlive a test (they are not emptied), so the population is put back however the test ends.
    await Cluster.update({Cluster.population: 40_000}).where(Cluster.name == "Cardiff East")
    try:
        report = await spend_report(actor=admin, filters=SpendFilterIn(group_by=["cluster"], to_year=2027))
    finally:
        await Cluster.update({Cluster.population: None}).where(Cluster.name == "Cardiff East")
    east = _row(report, "Cardiff East")
    assert (east.population, east.clusters_without_population, east.populations_undated) == (40_000, [], 1)
    assert east.population_dates == "no date given by the source"
    assert "Cardiff East" not in report.clusters_without_population


async def test_menu_service_and_delivery_vehicle_rows_come_from_the_contracts():
    world = await support.build_spend_world()
    admin = await make_actor(Role.NATIONAL_ADMIN)
    report = await spend_report(actor=admin, filters=SpendFilterIn(group_by=["menu_service", "delivery_vehicle"]))
    labels = {tuple(key.label for key in row.keys) for row in report.rows}
    assert ("Weight management", "North Cardiff Health CIC") in labels
    # The falls contract names no menu version itself: its specification's is used.
    falls = _row(report, "Falls prevention", "Vale Wellbeing CIC")
    assert falls.keys[0].value == world.services["falls"] and falls.keys[1].value == world.vehicles["vale"]
    assert falls.committed_pence == 3_333_33 * 2 + 20_000_99 + 600_00
    assert falls.actual_pence == 6_666_66 + 5_001_00 + 200_00  # not the payment on no line
    assert ("Weight management", "Vale Wellbeing CIC") not in labels


async def test_money_not_split_by_cluster_is_named_apart_when_grouping_by_cluster():
    await support.build_spend_world()
    admin = await make_actor(Role.NATIONAL_ADMIN)
    report = await spend_report(actor=admin, filters=SpendFilterIn(group_by=["cluster"], from_year=2028))
    unsplit = _row(report, "Given to contracts, not split by cluster")
    assert unsplit.not_split_by_cluster and not unsplit.held_for_pcpg
    assert (unsplit.committed_pence, unsplit.actual_pence) == (
        33_333_33 + 99,
        1_00,
    )  # the ledger world's commitment had no split


async def test_scope_a_finance_director_their_board_a_commissioner_their_pcpgs_a_provider_refused():
    await support.build_spend_world()
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    boards = await spend_report(actor=finance, filters=SpendFilterIn(group_by=["health_board"]))
    assert [row.keys[0].label for row in boards.rows] == ["Cardiff and Vale University Health Board"]
    pcpgs = await spend_report(actor=await make_actor(Role.COMMISSIONER), filters=SpendFilterIn(group_by=["pcpg"]))
    assert [row.keys[0].label for row in pcpgs.rows] == ["Cardiff"]
    clusters = await spend_report(actor=finance, filters=SpendFilterIn(group_by=["cluster"]))
    assert "CityHealth" not in {row.keys[0].label for row in clusters.rows}
    with pytest.raises(NotAllowed):
        await spend_report(actor=await make_actor(Role.PROVIDER), filters=SpendFilterIn(group_by=["pcpg"]))


async def test_filters_select_lines_by_year_range_stream_and_pcpg():
    await support.build_spend_world()
    admin = await make_actor(Role.NATIONAL_ADMIN)
    years = await spend_report(
        actor=admin, filters=SpendFilterIn(group_by=["financial_year"], from_year=2028, to_year=2028)
    )
    assert [(row.keys[0].value, row.keys[0].label) for row in years.rows] == [(2028, "2028-29")]
    assert years.totals.budget_pence == 100_000_01
    streams = await spend_report(
        actor=admin, filters=SpendFilterIn(group_by=["funding_stream"], funding_stream="hb_core")
    )
    assert [(row.keys[0].label, row.earmarked_pence) for row in streams.rows] == [("Health board core", 9_500_00)]
    cardiff = (await support._pcpg("Cardiff"))["id"]
    by_pcpg = await spend_report(actor=admin, filters=SpendFilterIn(group_by=["pcpg"], pcpg_id=cardiff))
    assert [row.keys[0].label for row in by_pcpg.rows] == ["Cardiff"]
    with pytest.raises(RuleBroken) as refused:
        await spend_report(actor=admin, filters=SpendFilterIn(group_by=["pcpg"], from_year=2028, to_year=2027))
    assert refused.value.field == "to_year"


def test_group_by_takes_one_or_two_groupings_repeated_or_as_a_comma_list():
    assert read_group_by(["pcpg,financial_year"]) == ["pcpg", "financial_year"]
    assert read_group_by(["cluster", " funding_stream "]) == ["cluster", "funding_stream"]
    for wrong in ([], ["pcpg,pcpg"], ["pcpg", "cluster", "health_board"], ["contract"], [""]):
        with pytest.raises(RuleBroken) as refused:
            read_group_by(wrong)
        assert refused.value.field == "group_by", wrong


async def test_the_report_reads_with_the_same_statements_however_many_commitments_and_payments():
    world = await support.build_spend_world()
    admin = await make_actor(Role.NATIONAL_ADMIN)
    filters = SpendFilterIn(group_by=["cluster", "delivery_vehicle"])
    with count_queries() as few:
        await spend_report(actor=admin, filters=filters)
    for year in range(2040, 2070):
        await support.commit_split(world, "cardiff_27", "weight", {"Cardiff North": 1_00, "Cardiff East": 2_00})
        await support.pay(
            world, "cardiff_27", "weight", {"Cardiff North": 50, "Cardiff South West": 1_00}, quarter=1, year=year
        )
    with count_queries() as many:
        report = await spend_report(actor=admin, filters=filters)
    assert report.totals.actual_pence > 0
    assert few.total == many.total == 3, many
