"""Changing a draft: only the fields given change; the term trims the years; the weights still sum to 100; only a
draft can change, and only by its PCPG's commissioners."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import msgspec
import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from commissioning.queries import specifications as specification_queries
from commissioning.schemas import SpecificationChangeIn
from commissioning.services import specifications
from core.errors import Conflict, NotFound, RuleBroken
from tests import commissioning_support as support
from tests import factories
from tests.conftest import make_actor


def _changes(**values: Any) -> SpecificationChangeIn:
    return msgspec.convert(values, SpecificationChangeIn)


async def _update(commissioner: Any, spec_id: int, **values: Any) -> Any:
    return await specifications.update_specification(
        actor=commissioner, specification_id=spec_id, changes=_changes(**values), now=support.now()
    )


async def _reread(commissioner: Any, spec_id: int) -> Any:
    return await specification_queries.get_specification(
        actor=commissioner, specification_id=spec_id, now=support.now()
    )


async def _draft(years: int = 2) -> tuple[Any, Any, list[Any]]:
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term(years=years)
    return commissioner, await support.draft(commissioner, lines), lines


async def _refused(error: type[Exception], commissioner: Any, spec: Any, **values: Any) -> Any:
    events_before = await AuditEvent.count()
    with pytest.raises(error) as refused:
        await _update(commissioner, spec.id, **values)
    assert await AuditEvent.count() == events_before
    assert msgspec.to_builtins(await _reread(commissioner, spec.id)) == msgspec.to_builtins(spec), "nothing changed"
    return refused.value


async def test_only_the_fields_given_are_changed(menu):
    commissioner, spec, _ = await _draft()
    changed = await _update(commissioner, spec.id, title="  Weight management  ", clarification_contact="Siân")
    assert (changed.title, changed.clarification_contact) == ("Weight management", "Siân")
    before, after = msgspec.to_builtins(spec), msgspec.to_builtins(changed)
    differences = {key for key in before if before[key] != after[key]}
    assert differences == {"title", "clarification_contact"}


async def test_a_change_is_audited_with_the_fields_before_and_after(menu):
    commissioner, spec, _ = await _draft()
    await _update(commissioner, spec.id, title="Weight management")
    [event] = await AuditEvent.select().where(AuditEvent.action == "specification.changed").output(load_json=True)
    assert (event["entity_id"], event["pcpg_id"]) == (str(spec.id), spec.pcpg_id)
    assert (event["before"], event["after"]) == ({"title": "Obesity"}, {"title": "Weight management"})


async def test_kpis_clusters_and_years_are_replaced_as_a_whole(menu):
    commissioner, spec, lines = await _draft()
    kpi = {"name": "Adults completing", "name_cy": "Oedolion yn cwblhau", "unit": "%", "direction": "higher_is_better"}
    changed = await _update(
        commissioner,
        spec.id,
        kpis=[kpi],
        cluster_ids=await factories.cluster_ids("Cardiff East"),
        years=[
            {"financial_year": 2027, "max_value_pence": 1_500_000, "budget_line_id": lines[0].id},
            {"financial_year": 2028, "max_value_pence": 2_500_000, "budget_line_id": lines[1].id},
        ],
    )
    assert [k.name for k in changed.kpis] == ["Adults completing"]
    assert [c.name for c in changed.clusters] == ["Cardiff East"]
    assert [y.max_value_pence for y in changed.years] == [1_500_000, 2_500_000]
    assert changed.total_max_value_pence == 4_000_000


async def test_shortening_the_term_drops_the_years_beyond_it(menu):
    commissioner, spec, _ = await _draft(years=3)
    changed = await _update(commissioner, spec.id, term_years=1)
    assert changed.term_years == 1
    assert [y.financial_year for y in changed.years] == [2027]


async def test_moving_the_first_year_keeps_only_the_years_still_inside_the_term(menu):
    commissioner, spec, _ = await _draft(years=2)
    changed = await _update(commissioner, spec.id, start_financial_year=2028, term_years=2)
    assert (changed.start_financial_year, changed.term_years) == (2028, 2)
    assert [y.financial_year for y in changed.years] == [2028]


async def test_a_price_weight_that_no_longer_sums_to_100_with_the_criteria_is_refused(menu):
    commissioner, spec, _ = await _draft()
    refused = await _refused(RuleBroken, commissioner, spec, price_weight=50)
    assert (refused.field, refused.message) == (
        "price_weight",
        "The quality weights and the price weight must add up to 100",
    )


async def test_criteria_whose_weights_do_not_sum_to_100_with_the_price_weight_are_refused(menu):
    commissioner, spec, _ = await _draft()
    criteria = msgspec.to_builtins(spec.criteria)
    criteria[0]["weight"] = 35
    refused = await _refused(RuleBroken, commissioner, spec, criteria=criteria)
    assert refused.field == "criteria"


async def test_criteria_and_price_weight_changed_together_to_sum_to_100_are_saved(menu):
    commissioner, spec, _ = await _draft()
    criteria = msgspec.to_builtins(spec.criteria)
    criteria[0]["weight"] = 40
    changed = await _update(commissioner, spec.id, criteria=criteria, price_weight=30)
    assert [c.weight for c in changed.criteria] == [40, 20, 10]
    assert changed.price_weight == 30


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"bid_deadline_at": "2020-01-01T12:00:00+00:00"}, "bid_deadline_at"),
        ({"cluster_ids": "AFAN"}, "cluster_ids"),
        ({"years": [{"financial_year": 2030, "max_value_pence": 1}]}, "years"),
        ({"plan_priority_id": 999_999}, "plan_priority_id"),
    ],
)
async def test_a_change_breaking_a_rule_is_refused_beside_its_field_and_writes_nothing(menu, values, field):
    commissioner, spec, _ = await _draft()
    if values.get("cluster_ids") == "AFAN":
        values = {"cluster_ids": await factories.cluster_ids("Cardiff North", "Afan")}
    refused = await _refused(RuleBroken, commissioner, spec, **values)
    assert refused.field == field


async def test_a_budget_line_of_another_year_is_refused(menu):
    commissioner, spec, lines = await _draft()
    swapped = [
        {"financial_year": 2027, "max_value_pence": 1_000_000, "budget_line_id": lines[1].id},
        {"financial_year": 2028, "max_value_pence": 1_000_000, "budget_line_id": lines[0].id},
    ]
    refused = await _refused(RuleBroken, commissioner, spec, years=swapped)
    assert refused.field == "years"


async def test_a_published_specification_cannot_be_changed(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await support.published(commissioner, await support.lines_for_term())
    refused = await _refused(Conflict, commissioner, spec, title="Changed after publication")
    assert refused.params["status"] == "published"


async def test_a_closed_specification_cannot_be_changed(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    at = support.now() - timedelta(days=10)
    spec = await support.published(commissioner, await support.lines_for_term(), at=at, deadline=at + timedelta(days=1))
    with pytest.raises(Conflict):
        await _update(commissioner, spec.id, title="Changed after the deadline")
    assert (await _reread(commissioner, spec.id)).title == "Obesity"


async def test_a_cancelled_draft_cannot_be_changed(menu):
    commissioner, spec, _ = await _draft()
    await specifications.cancel_specification(
        actor=commissioner, specification_id=spec.id, reason="Not needed", now=support.now()
    )
    with pytest.raises(Conflict):
        await _update(commissioner, spec.id, title="Revived")


async def test_a_commissioner_of_another_pcpg_cannot_change_the_draft(menu):
    _, spec, _ = await _draft()
    swansea = await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",))
    with pytest.raises(NotFound):
        await _update(swansea, spec.id, title="Taken over")
    with pytest.raises(NotFound):
        await _update(swansea, 999_999, title="Nothing here")
    commissioner = await make_actor(Role.COMMISSIONER)
    assert (await _reread(commissioner, spec.id)).title == "Obesity"
