"""Outcomes read from accepted returns only (issue 13, item 5): RAG per quarter at the thresholds' edges, the SPC
reading of a long series against the hand-worked example, the note when there are too few quarters, the equity view's
figures per 1,000 population, and scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from accounts.actor import Role
from contracts.tables import Contract, ContractAllocation
from core.errors import NotFound, RuleBroken
from returns.queries import outcomes
from returns.rules import RAG, ReturnStatus
from returns.spc import LimitsStatus, Variation
from tests import commissioning_support as support
from tests import contracts_support_lifecycle as cs
from tests import factories
from tests import returns_support_outcomes as rs
from tests.conftest import make_actor

# SPC.md's worked example (higher is better): mean 81.25, mean moving range 3.6667, limits 71.50 to 91.00; the 7th
# value (66) is below the lower limit (concern) and the last 7 are all above the mean (a shift: improvement).
WORKED = [80, 82, 79, 81, 83, 80, 66, 81, 79, 82, 84, 83, 85, 84, 86, 85]
CENT = Decimal("0.01")


async def _admin():
    return await make_actor(Role.NATIONAL_ADMIN)


async def test_each_quarter_is_rated_at_the_threshold_edges_and_a_submitted_return_is_left_out():
    contract_id = await cs.contract(years=(2027,))
    await rs.set_thresholds(contract_id, green_from="80", red_from="60%", target="90")
    await rs.report(contract_id, {(2027, 1): "80", (2027, 2): "79.99", (2027, 3): "60"})
    await rs.report(contract_id, {(2027, 4): "10"}, status=ReturnStatus.SUBMITTED)
    found = await outcomes.contract_outcomes(actor=await _admin(), contract_id=contract_id, now=cs.at(date(2028, 5, 1)))
    (kpi,) = found.kpis
    assert [(q.period, q.value, q.rag) for q in kpi.quarters] == [
        ("2027-28 Q1", Decimal("80"), RAG.GREEN),  # exactly green_from: green
        ("2027-28 Q2", Decimal("79.99"), RAG.AMBER),
        ("2027-28 Q3", Decimal("60"), RAG.AMBER),  # exactly red_from: still amber
        ("2027-28 Q4", None, RAG.NOT_RATED),  # submitted, not accepted: not counted
    ]
    assert (kpi.latest_rag, kpi.latest_period) == (RAG.AMBER, "2027-28 Q3")
    assert found.quarters_accepted == 3

    # Negative control: once the fourth quarter is accepted, its value counts, just past red_from: red.
    await rs.report(contract_id, {(2027, 4): "59.99"})
    found = await outcomes.contract_outcomes(actor=await _admin(), contract_id=contract_id, now=cs.at(date(2028, 5, 1)))
    assert [(q.value, q.rag) for q in found.kpis[0].quarters][3] == (Decimal("59.99"), RAG.RED)


async def test_lower_is_better_turns_the_same_edges_round():
    contract_id = await cs.contract(years=(2027,), directions=("lower_is_better",))
    await rs.set_thresholds(contract_id, green_from="10", red_from="20")
    await rs.report(contract_id, {(2027, 1): "10", (2027, 2): "10.01", (2027, 3): "20", (2027, 4): "20.01"})
    found = await outcomes.contract_outcomes(actor=await _admin(), contract_id=contract_id, now=cs.at(date(2028, 5, 1)))
    assert [q.rag for q in found.kpis[0].quarters] == [RAG.GREEN, RAG.AMBER, RAG.AMBER, RAG.RED]


async def test_sixteen_accepted_quarters_give_the_worked_examples_limits_and_signals():
    years = (2027, 2028, 2029, 2030)
    contract_id = await cs.contract(years=years)
    await rs.set_thresholds(contract_id, green_from="85", red_from="75", target="85")
    await rs.report(contract_id, dict(zip(rs.quarters(years), WORKED, strict=True)))
    found = await outcomes.contract_outcomes(actor=await _admin(), contract_id=contract_id, now=cs.at(date(2031, 5, 1)))
    (kpi,) = found.kpis
    limits = kpi.spc.limits
    assert limits is not None and kpi.spc.limits_status is LimitsStatus.SETTLED
    assert limits.mean == Decimal("81.25")
    assert (limits.lower.quantize(CENT), limits.upper.quantize(CENT)) == (Decimal("71.50"), Decimal("91.00"))
    concern = [q.period for q in kpi.quarters if q.variation is Variation.CONCERN]
    improvement = [q.period for q in kpi.quarters if q.variation is Variation.IMPROVEMENT]
    assert concern == ["2028-29 Q3"]
    assert improvement == [q.period for q in kpi.quarters[-7:]]
    assert kpi.quarters[6].signal == "Special cause concern: below the lower process limit"
    assert kpi.spc.notes[0].startswith("Limits as NHS England's Making Data Count tools work them out")
    assert "<title" in kpi.chart_svg and "<desc" in kpi.chart_svg
    assert [row.value for row in kpi.table][:7] == ["80", "82", "79", "81", "83", "80", "66"]


async def test_too_few_accepted_quarters_give_no_limits_and_say_so():
    contract_id = await cs.contract(years=(2027,))
    await rs.report(contract_id, {(2027, 2): "70"})
    found = await outcomes.contract_outcomes(actor=await _admin(), contract_id=contract_id, now=cs.at(date(2028, 5, 1)))
    (kpi,) = found.kpis
    assert kpi.spc.limits is None and kpi.spc.limits_status is LimitsStatus.NONE
    assert kpi.spc.notes == [
        "Too few values for process limits: they need at least 2 consecutive quarters with a value, and 12 "
        "quarters before they settle."
    ]
    # Negative control: a second consecutive accepted quarter gives trial limits.
    await rs.report(contract_id, {(2027, 3): "74"})
    found = await outcomes.contract_outcomes(actor=await _admin(), contract_id=contract_id, now=cs.at(date(2028, 5, 1)))
    assert found.kpis[0].spc.limits_status is LimitsStatus.TRIAL


async def test_quarters_not_yet_over_are_not_on_the_chart():
    contract_id = await cs.contract(years=(2027,))
    found = await outcomes.contract_outcomes(
        actor=await _admin(), contract_id=contract_id, now=cs.at(date(2027, 10, 5))
    )
    assert [q.period for q in found.kpis[0].quarters] == ["2027-28 Q1", "2027-28 Q2"]


async def test_a_provider_reads_its_own_contracts_outcomes_and_another_pcpgs_commissioner_finds_none():
    contract_id = await cs.contract(years=(2027,))
    vehicle = await Contract.select(Contract.delivery_vehicle).where(Contract.id == contract_id).first()
    own = await make_actor(Role.PROVIDER, delivery_vehicle_id=vehicle["delivery_vehicle"])
    other_vehicle = await factories.save(factories.DeliveryVehicleFactory(status="approved"))
    stranger = await make_actor(Role.PROVIDER, delivery_vehicle_id=other_vehicle.id)
    cardiff = await make_actor(Role.COMMISSIONER)
    swansea = await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",))
    moment = cs.at(date(2028, 5, 1))
    for reader in (own, cardiff):
        found = await outcomes.contract_outcomes(actor=reader, contract_id=contract_id, now=moment)
        assert found.contract_id == contract_id
    for reader in (stranger, swansea):
        with pytest.raises(NotFound):
            await outcomes.contract_outcomes(actor=reader, contract_id=contract_id, now=moment)


async def test_the_pcpg_view_lists_each_contracts_latest_accepted_rag_with_counts():
    first = await cs.contract(years=(2027,))
    second = await cs.contract(years=(2027,), directions=("higher_is_better", "higher_is_better"), budget_lines={})
    await rs.set_thresholds(first, green_from="80", red_from="60")
    await rs.set_thresholds(second, green_from="80", red_from="60")
    await rs.report(first, {(2027, 1): "90", (2027, 2): "50"})  # latest accepted: Q2, red
    await rs.report(first, {(2027, 3): "95"}, status=ReturnStatus.SUBMITTED)  # not counted
    await rs.report(second, {(2027, 1): "85"})  # first KPI green; the second has no value
    cardiff = await make_actor(Role.COMMISSIONER)
    pcpg = await support.pcpg_id("Cardiff")
    view = await outcomes.pcpg_outcomes(actor=cardiff, pcpg_id=pcpg, financial_year=2027)
    rows = {row.contract_id: row for row in view.items}
    assert view.total == 2
    assert (rows[first].green, rows[first].amber, rows[first].red, rows[first].not_rated) == (0, 0, 1, 0)
    assert rows[first].kpis[0].period == "2027-28 Q2"
    assert (rows[second].green, rows[second].red, rows[second].not_rated) == (1, 0, 1)
    paged = await outcomes.pcpg_outcomes(actor=cardiff, pcpg_id=pcpg, financial_year=2027, sort="-reference", limit=1)
    assert [row.contract_id for row in paged.items] == [max(first, second)] and paged.total == 2
    # Another PCPG's commissioner cannot open Cardiff's view; a year without contracts lists none.
    swansea = await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",))
    with pytest.raises(RuleBroken) as refused:  # a filter of the view, named, not an absent address
        await outcomes.pcpg_outcomes(actor=swansea, pcpg_id=pcpg, financial_year=2027)
    assert refused.value.field == "pcpg"
    assert (await outcomes.pcpg_outcomes(actor=cardiff, pcpg_id=pcpg, financial_year=2030)).total == 0


async def test_the_equity_view_gives_activity_per_1000_where_the_population_is_known_and_lists_the_rest_apart():
    north, east = await factories.cluster_ids("Cardiff North", "Cardiff East")
    known = await cs.contract(years=(2027,), clusters=("Cardiff North",))
    unknown = await cs.contract(years=(2027,), clusters=("Cardiff East",), budget_lines={})
    other_service = await cs.contract(years=(2027,), clusters=("Cardiff North",), budget_lines={})
    service = await rs.same_service(known, unknown)
    await ContractAllocation.update(
        {ContractAllocation.population: 12_000, ContractAllocation.population_source: "Test source"}
    ).where(ContractAllocation.contract == known)
    await rs.set_thresholds(known, green_from="80", red_from="60")
    await rs.report(
        known, {(2027, 1): "70", (2027, 2): "90"}, activity={(2027, 1): {north: 100}, (2027, 2): {north: 150}}
    )
    await rs.report(known, {(2027, 3): "10"}, status=ReturnStatus.SUBMITTED, activity={(2027, 3): {north: 900}})
    await rs.report(unknown, {(2027, 1): "75"}, activity={(2027, 1): {east: 40}})
    await rs.report(other_service, {(2027, 1): "1"}, activity={(2027, 1): {north: 5000}})
    view = await outcomes.equity_view(
        actor=await _admin(), menu_service_id=service, kpi="seen_in_two_days", financial_year=2027
    )
    (north_row,) = view.clusters
    assert (north_row.cluster, north_row.units, north_row.population) == ("Cardiff North", 250, 12_000)
    assert north_row.per_thousand == Decimal("20.8")  # 250 x 1000 / 12000 = 20.83, accepted returns only
    assert north_row.population_basis == "allocation" and "Test source" in north_row.population_note
    assert (north_row.kpi_value, north_row.rag) == (Decimal("90"), RAG.GREEN)
    (east_row,) = view.clusters_without_population
    assert (east_row.cluster, east_row.units, east_row.population, east_row.per_thousand) == (
        "Cardiff East",
        40,
        None,
        None,
    )
    means = {vehicle.contract_id: vehicle.mean for vehicle in view.vehicles}
    assert means == {known: Decimal("80.00"), unknown: Decimal("75.00")}  # not the other service's contract
    # The same KPI asked for by its name finds the same contracts; a KPI the service does not have is refused.
    by_name = await outcomes.equity_view(
        actor=await _admin(), menu_service_id=service, kpi="kpi 1", financial_year=2027
    )
    assert {vehicle.contract_id for vehicle in by_name.vehicles} == {known, unknown}
    with pytest.raises(RuleBroken) as refused:
        await outcomes.equity_view(actor=await _admin(), menu_service_id=service, kpi="nothing", financial_year=2027)
    assert refused.value.field == "kpi"


async def test_the_equity_view_uses_the_clusters_current_population_without_an_allocation_and_keeps_to_scope():
    contract_id = await cs.contract(years=(2027,), clusters=("Cardiff North",), budget_lines={})
    (north,) = await factories.cluster_ids("Cardiff North")
    service = await rs.same_service(contract_id)
    await ContractAllocation.delete().where(ContractAllocation.contract == contract_id)
    await rs.report(contract_id, {(2027, 1): "70"}, activity={(2027, 1): {north: 100}})
    view = await outcomes.equity_view(
        actor=await _admin(), menu_service_id=service, kpi="seen_in_two_days", financial_year=2027
    )
    (row,) = view.clusters
    assert row.population_basis == "cluster" and row.population is not None
    assert row.per_thousand == (Decimal(100_000) / row.population).quantize(Decimal("0.1"))
    swansea = await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",))
    hidden = await outcomes.equity_view(
        actor=swansea, menu_service_id=service, kpi="seen_in_two_days", financial_year=2027
    )
    assert hidden.vehicles == [] and hidden.clusters == []
