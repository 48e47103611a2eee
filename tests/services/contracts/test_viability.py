"""Viability of delivery vehicles on the real database (issue 12, item 7): the thresholds set by a national
administrator (audited; refused for anyone else, writing nothing), and the report counted and summed in SQL: the
forecast drops a contract after its last year, a terminated contract stops after its termination year, the sums
reconcile with the contract years, and each reader sees only the vehicles they may."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from contracts.queries import viability as queries
from contracts.rules import ContractStatus, Viability
from contracts.services.viability import set_viability_thresholds
from contracts.tables import ViabilitySetting
from core.errors import DomainError, NotAllowed, RuleBroken
from tests import contracts_support_viability as v
from tests.conftest import make_actor

NOW = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)


async def _set(services: int = 2, value: int = 100_000_00, role: Role = Role.NATIONAL_ADMIN, **actor: object):
    admin = await make_actor(role, **actor)
    return admin, await set_viability_thresholds(
        actor=admin, min_live_services=services, min_annual_value_pence=value, now=NOW
    )


async def test_the_defaults_are_in_force_until_a_national_administrator_sets_the_thresholds():
    before = await queries.thresholds_in_force()
    assert before.is_default and (before.min_live_services, before.min_annual_value_pence) == (2, 100_000_00)
    admin, after = await _set(3, 250_000_00)
    assert not after.is_default and (after.min_live_services, after.min_annual_value_pence) == (3, 250_000_00)
    assert after.set_by == admin.username and after.set_at == NOW
    events = await AuditEvent.select().where(AuditEvent.action == "viability.thresholds_set")
    assert len(events) == 1 and events[0]["actor_username"] == admin.username
    assert events[0]["entity_type"] == "ViabilitySetting"


async def test_the_newest_setting_is_in_force_and_its_event_records_the_one_it_replaced():
    await _set(3, 250_000_00)
    await _set(4, 300_000_00)
    assert (await queries.thresholds_in_force()).min_live_services == 4
    assert await ViabilitySetting.count() == 2
    last = await AuditEvent.select().order_by(AuditEvent.sequence, ascending=False).first()
    assert last is not None
    before, after = last["before"], last["after"]
    if isinstance(before, str):  # stored as JSON text on SQLite
        import json

        before, after = json.loads(before), json.loads(after)
    assert before["min_live_services"] == 3 and before["min_annual_value_pence"] == 250_000_00
    assert after["min_live_services"] == 4 and after["min_annual_value_pence"] == 300_000_00


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.PROVIDER])
async def test_only_a_national_administrator_sets_the_thresholds_and_a_refusal_writes_nothing(role):
    with pytest.raises(NotAllowed):
        await _set(role=role)
    assert await ViabilitySetting.count() == 0
    assert await AuditEvent.count().where(AuditEvent.action == "viability.thresholds_set") == 0
    await _set()  # negative control: an administrator may
    assert await ViabilitySetting.count() == 1


async def test_thresholds_out_of_range_are_refused_naming_the_field_and_write_nothing():
    with pytest.raises(RuleBroken) as refused:
        await _set(services=0)
    assert refused.value.field == "min_live_services"
    assert await ViabilitySetting.count() == 0


async def _report(financial_year: int = 2027, role: Role = Role.NATIONAL_ADMIN, **scope: object):
    actor = await make_actor(role, **scope)
    return await queries.viability_report(actor=actor, financial_year=financial_year)


def _years(report, name: str) -> list[tuple[int, int, Viability]]:
    vehicle = next(item for item in report.items if item.delivery_vehicle == name)
    return [(y.services, y.value_pence, y.status) for y in vehicle.years]


async def test_the_forecast_drops_a_contract_after_its_last_year():
    alpha = await v.vehicle("Alpha Care CIC")
    await v.contract(alpha, {2027: 60_000_00, 2028: 60_000_00})
    await v.contract(alpha, {2027: 60_000_00, 2028: 60_000_00, 2029: 60_000_00})
    await v.contract(alpha, {2027: 10_000_00})
    report = await _report()
    assert report.years == ["2027-28", "2028-29", "2029-30", "2030-31"]
    assert _years(report, "Alpha Care CIC") == [
        (3, 130_000_00, Viability.VIABLE),  # 3 services (>= 2.4) and £130,000 (>= £120,000)
        (2, 120_000_00, Viability.AT_RISK),  # exactly at the minimum count: at risk
        (1, 60_000_00, Viability.BELOW),
        (0, 0, Viability.BELOW),
    ]
    assert [y.forecast for y in report.items[0].years] == [False, True, True, True]


async def test_a_terminated_contract_stops_counting_after_its_termination_year():
    alpha = await v.vehicle("Alpha Care CIC")
    # Terminated on 15 August 2028 (2028-29's second quarter): two quarters of 2028-29 kept, nothing after.
    await v.contract(
        alpha,
        {2027: 100_003, 2028: 100_003, 2029: 100_003},
        status=ContractStatus.TERMINATED,
        terminated_on=date(2028, 8, 15),
    )
    # Negative control: the same contract still holding money counts in every year of its term.
    beta = await v.vehicle("Beta Wellbeing CIC")
    await v.contract(beta, {2027: 100_003, 2028: 100_003, 2029: 100_003}, status=ContractStatus.SUSPENDED)
    report = await _report()
    assert [(s, value) for s, value, _ in _years(report, "Alpha Care CIC")] == [
        (1, 100_003),
        (1, 50_002),  # quarters of 25,001 + 25,001 (the remainder's pennies go to the first quarters)
        (0, 0),
        (0, 0),
    ]
    assert [(s, value) for s, value, _ in _years(report, "Beta Wellbeing CIC")] == [
        (1, 100_003),
        (1, 100_003),
        (1, 100_003),
        (0, 0),
    ]


async def test_the_reports_sums_reconcile_with_the_contract_years():
    """Odd values and terminations in every quarter: the SQL gives what the pure rule gives from the stored years."""
    vehicles = [await v.vehicle(f"Vehicle {n} CIC") for n in range(3)]
    await v.contract(vehicles[0], {2027: 1_000_001, 2028: 2_000_002})
    await v.contract(vehicles[0], {2028: 3_000_003, 2029: 7}, status=ContractStatus.MOBILISING)
    for n, day in enumerate([date(2027, 4, 1), date(2027, 9, 30), date(2027, 12, 31), date(2028, 1, 1)]):
        await v.contract(vehicles[1], {2027: 999_999 + n, 2028: 5}, status=ContractStatus.TERMINATED, terminated_on=day)
    await v.contract(vehicles[2], {2026: 5_000_00, 2027: 5_000_00}, status=ContractStatus.EXPIRED)
    await v.contract(
        vehicles[2], {2027: 5_000_00}, status=ContractStatus.TERMINATED, terminated_on=date(2027, 3, 31)
    )  # ended the day before it started: it never counts
    expected = await v.expected_by_vehicle_and_year()
    report = await _report()
    assert len(report.items) == 3
    for item in report.items:
        for year in item.years:
            assert (year.services, year.value_pence) == expected.get(
                (item.delivery_vehicle_id, year.financial_year), (0, 0)
            ), (item.delivery_vehicle, year.financial_year_label)
    assert _years(report, "Vehicle 1 CIC")[0][0] == 4


async def test_a_provider_sees_only_its_own_vehicle_and_a_commissioner_is_refused():
    alpha = await v.vehicle("Alpha Care CIC")
    beta = await v.vehicle("Beta Wellbeing CIC")
    await v.contract(beta, {2027: 50_000_00})
    await v.vehicle("Waiting CIC", status="pending")
    everything = await _report()
    assert [item.delivery_vehicle for item in everything.items] == ["Alpha Care CIC", "Beta Wellbeing CIC"]
    assert everything.total == 2, "a vehicle not yet approved is not reported"
    own = await _report(role=Role.PROVIDER, delivery_vehicle_id=alpha)
    assert [item.delivery_vehicle for item in own.items] == ["Alpha Care CIC"] and own.total == 1
    for role in (Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.EVALUATOR):
        with pytest.raises(NotAllowed):
            await _report(role=role)


async def test_the_vehicles_are_sorted_and_paged_by_the_database():
    # Bravo: 3 services, £300,000 (viable); Alpha: 1 service, £50,000 (below); Charlie: 2, £220,000 (at risk).
    for name, value, services in [
        ("Bravo CIC", 100_000_00, 3),
        ("Alpha CIC", 50_000_00, 1),
        ("Charlie CIC", 110_000_00, 2),
    ]:
        vehicle_id = await v.vehicle(name)
        for _ in range(services):
            await v.contract(vehicle_id, {2027: value})
    admin = await make_actor(Role.NATIONAL_ADMIN)

    async def names(sort: str, limit: int = 50, offset: int = 0) -> list[str]:
        report = await queries.viability_report(actor=admin, financial_year=2027, sort=sort, limit=limit, offset=offset)
        return [item.delivery_vehicle for item in report.items]

    assert await names("name") == ["Alpha CIC", "Bravo CIC", "Charlie CIC"]
    assert await names("-value") == ["Bravo CIC", "Charlie CIC", "Alpha CIC"]
    # worst first: below, at risk, viable
    assert await names("status") == ["Alpha CIC", "Charlie CIC", "Bravo CIC"]
    assert await names("-status") == ["Bravo CIC", "Charlie CIC", "Alpha CIC"]
    assert await names("value", limit=1, offset=1) == ["Charlie CIC"]
    with pytest.raises(DomainError) as refused:
        await names("colour")
    assert refused.value.field == "sort"


async def test_the_decision_preview_shows_the_award_moving_the_vehicle_from_at_risk_to_viable():
    alpha = await v.vehicle("Alpha Care CIC")
    await v.contract(alpha, {2027: 50_000_00, 2028: 50_000_00})
    await v.contract(alpha, {2027: 50_000_00})
    preview = await queries.award_preview(vehicle_id=alpha, values={2027: 20_000_00, 2028: 20_000_00})
    assert preview.delivery_vehicle == "Alpha Care CIC"
    assert [(y.financial_year_label, y.status_now, y.status_after) for y in preview.years] == [
        ("2027-28", Viability.AT_RISK, Viability.VIABLE),  # 2 -> 3 services, £100,000 -> £120,000
        ("2028-29", Viability.BELOW, Viability.BELOW),  # 1 -> 2 services but £50,000 -> £70,000
    ]
    assert (preview.years[0].services_after, preview.years[0].value_after_pence) == (3, 120_000_00)
