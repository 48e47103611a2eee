"""The annual performance rating (issue 13, item 6): the commissioner of the contract's PCPG rates every KPI for a
year that has ended (or the termination year), once; changing a year's ratings is asked for explicitly and kept in
the trail; everyone else is refused and nothing is written."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from contracts.services import lifecycle
from core.errors import Conflict, NotFound, RuleBroken
from returns.queries.ratings import get_ratings
from returns.rules import PerformanceRatingKind
from returns.schemas.ratings import KpiRatingIn, PerformanceRatingsIn
from returns.services.ratings import rate_performance
from returns.tables import PerformanceRating
from tests import contracts_support_lifecycle as cs
from tests import returns_support_reminders as rs
from tests.conftest import make_actor

AFTER_THE_YEAR = cs.at(date(2028, 4, 3))
GOOD, INADEQUATE = PerformanceRatingKind.GOOD, PerformanceRatingKind.INADEQUATE


def _ratings(kpi_ids, rating=GOOD, *, year=2027, replace=False, note=""):
    return PerformanceRatingsIn(
        financial_year=year,
        ratings=[KpiRatingIn(contract_kpi_id=k, rating=rating, note=note) for k in kpi_ids],
        replace=replace,
    )


async def test_the_commissioner_rates_every_kpi_of_a_year_that_has_ended_and_the_trail_says_so():
    commissioner = await make_actor(Role.COMMISSIONER)
    held = await rs.held(years=(2027, 2028), directions=("higher_is_better", "lower_is_better"))
    kpis = await rs.kpis(held.contract_id)
    await rate_performance(
        actor=commissioner, contract_id=held.contract_id, ratings=_ratings(kpis, note="Steady"), now=AFTER_THE_YEAR
    )
    rows = await PerformanceRating.select().where(PerformanceRating.contract == held.contract_id)
    assert sorted((r["financial_year"], r["contract_kpi"], r["rating"], r["note"]) for r in rows) == [
        (2027, k, "good", "Steady") for k in kpis
    ]
    event = await AuditEvent.select().where(AuditEvent.action == "performance_rating.recorded").first()
    assert event["entity_type"] == "Contract" and event["actor_username"] == commissioner.username


async def test_a_year_not_yet_ended_is_refused_and_nothing_is_written():
    commissioner = await make_actor(Role.COMMISSIONER)
    held = await rs.held(years=(2027, 2028))
    kpis = await rs.kpis(held.contract_id)
    with pytest.raises(RuleBroken) as refused:
        await rate_performance(
            actor=commissioner, contract_id=held.contract_id, ratings=_ratings(kpis, year=2028), now=AFTER_THE_YEAR
        )
    assert refused.value.field == "financial_year"
    with pytest.raises(RuleBroken):  # the last day of the year: not yet ended
        await rate_performance(
            actor=commissioner, contract_id=held.contract_id, ratings=_ratings(kpis), now=cs.at(date(2028, 3, 31))
        )
    assert await PerformanceRating.count() == 0


async def test_a_terminated_contracts_last_year_is_rated_on_termination():
    commissioner = await make_actor(Role.COMMISSIONER)
    held = await rs.held(years=(2027, 2028))
    kpis = await rs.kpis(held.contract_id)
    in_term = cs.at(date(2027, 6, 1))
    with pytest.raises(RuleBroken):
        await rate_performance(actor=commissioner, contract_id=held.contract_id, ratings=_ratings(kpis), now=in_term)
    await lifecycle.terminate_contract(
        actor=commissioner, contract_id=held.contract_id, terminated_on=date(2027, 8, 15), reason="Closed", now=in_term
    )
    await rate_performance(actor=commissioner, contract_id=held.contract_id, ratings=_ratings(kpis), now=in_term)
    assert await PerformanceRating.count() == 1


async def test_every_kpi_is_rated_once():
    commissioner = await make_actor(Role.COMMISSIONER)
    held = await rs.held(directions=("higher_is_better", "lower_is_better"))
    first, second = await rs.kpis(held.contract_id)
    for kpi_ids in ([first], [first, first], [first, second, 999_999]):
        with pytest.raises(RuleBroken) as refused:
            await rate_performance(
                actor=commissioner, contract_id=held.contract_id, ratings=_ratings(kpi_ids), now=AFTER_THE_YEAR
            )
        assert refused.value.field == "ratings"
    assert await PerformanceRating.count() == 0


async def test_a_rated_year_is_changed_only_when_asked_and_the_trail_keeps_what_it_was():
    commissioner = await make_actor(Role.COMMISSIONER)
    held = await rs.held()
    kpis = await rs.kpis(held.contract_id)
    await rate_performance(actor=commissioner, contract_id=held.contract_id, ratings=_ratings(kpis), now=AFTER_THE_YEAR)
    with pytest.raises(Conflict):
        await rate_performance(
            actor=commissioner, contract_id=held.contract_id, ratings=_ratings(kpis, INADEQUATE), now=AFTER_THE_YEAR
        )
    assert [r["rating"] for r in await PerformanceRating.select()] == ["good"]
    await rate_performance(
        actor=commissioner,
        contract_id=held.contract_id,
        ratings=_ratings(kpis, INADEQUATE, replace=True),
        now=AFTER_THE_YEAR,
    )
    assert [r["rating"] for r in await PerformanceRating.select()] == ["inadequate"]
    changed = (
        await AuditEvent.select()
        .where(AuditEvent.action == "performance_rating.changed")
        .output(load_json=True)
        .first()
    )
    assert changed["before"]["ratings"] == {"KPI 1": "good"}
    assert changed["after"]["ratings"] == {"KPI 1": "inadequate"}


@pytest.mark.parametrize("who", ["other_commissioner", "provider", "finance_director", "national_admin"])
async def test_only_a_commissioner_of_the_contracts_pcpg_rates_it(who):
    held = await rs.held()
    kpis = await rs.kpis(held.contract_id)
    actor = {
        "other_commissioner": lambda: make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",)),
        "provider": lambda: make_actor(Role.PROVIDER, delivery_vehicle_id=held.vehicle_id),
        "finance_director": lambda: make_actor(Role.FINANCE_DIRECTOR),
        "national_admin": lambda: make_actor(Role.NATIONAL_ADMIN),
    }[who]
    with pytest.raises(NotFound):
        await rate_performance(
            actor=await actor(), contract_id=held.contract_id, ratings=_ratings(kpis), now=AFTER_THE_YEAR
        )
    assert await PerformanceRating.count() == 0


async def test_the_form_is_prefilled_from_the_years_accepted_quarters():
    commissioner = await make_actor(Role.COMMISSIONER)
    held = await rs.held()
    await rs.set_thresholds(held.contract_id, green_from="80", red_from="60")
    await rs.accepted(held.contract_id, {1: "80", 2: "59.9", 3: "60", 4: "90"})  # green, red, amber, green
    ratings = await get_ratings(actor=commissioner, contract_id=held.contract_id, now=AFTER_THE_YEAR)
    (year,) = ratings.years
    assert ratings.can_rate and year.rateable and not year.rated
    (kpi,) = year.kpis
    assert [(q.quarter, q.rag.value) for q in kpi.quarters] == [(1, "green"), (2, "red"), (3, "amber"), (4, "green")]
    assert kpi.suggested is PerformanceRatingKind.REQUIRES_IMPROVEMENT
    provider_view = await get_ratings(actor=held.english, contract_id=held.contract_id, now=AFTER_THE_YEAR)
    assert not provider_view.can_rate
