"""Publishing: every gap blocks it, field by field; the money is earmarked on every year's line in the same
transaction, all or nothing; a shortfall refuses it naming the line, the year and the amount."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import msgspec
import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from commissioning.queries import specifications as specification_queries
from commissioning.schemas import SpecificationChangeIn, YearIn
from commissioning.services import specifications
from core.errors import Conflict, NotFound, RuleBroken
from finance import queries as finance_queries
from finance.tables import BudgetEarmark
from menu.services import retire_menu_service
from tests import commissioning_support as support
from tests.conftest import make_actor


async def _publish(commissioner: Any, spec_id: int) -> Any:
    return await specifications.publish_specification(actor=commissioner, specification_id=spec_id, now=support.now())


async def _status(commissioner: Any, spec_id: int) -> str:
    return (
        await specification_queries.get_specification(actor=commissioner, specification_id=spec_id, now=support.now())
    ).status


async def _earmarked(line_id: int) -> int:
    return (await finance_queries.ledgers([line_id]))[line_id].earmarked_pence


async def _refused_and_unchanged(error: type[Exception], commissioner: Any, spec_id: int) -> Any:
    events_before = await AuditEvent.count()
    with pytest.raises(error) as refused:
        await _publish(commissioner, spec_id)
    assert await BudgetEarmark.count().where(BudgetEarmark.specification == spec_id) == 0
    assert await AuditEvent.count() == events_before
    assert await _status(commissioner, spec_id) == "draft"
    return refused.value


async def test_publishing_earmarks_each_years_maximum_on_its_line_and_opens_the_specification(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term(amount_pence=50_000_000)
    spec = await support.draft(
        commissioner,
        lines,
        years=[
            YearIn(financial_year=2027, max_value_pence=12_000_000, budget_line_id=lines[0].id),
            YearIn(financial_year=2028, max_value_pence=15_000_000, budget_line_id=lines[1].id),
        ],
    )
    result = await _publish(commissioner, spec.id)
    assert result.specification.status == "published"
    assert result.specification.published_at is not None
    assert result.warnings == []
    held = await BudgetEarmark.select().where(BudgetEarmark.specification == spec.id).order_by(BudgetEarmark.id)
    assert [(row["budget_line"], row["financial_year"], row["amount_pence"], row["released_at"]) for row in held] == [
        (lines[0].id, 2027, 12_000_000, None),
        (lines[1].id, 2028, 15_000_000, None),
    ]
    assert await _earmarked(lines[0].id) == 12_000_000
    assert (await finance_queries.ledgers([lines[1].id]))[lines[1].id].headroom_pence == 35_000_000


async def test_publishing_is_audited_for_the_specification_and_each_budget_line(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term()
    spec = await support.draft(commissioner, lines)
    await _publish(commissioner, spec.id)
    events = (
        await AuditEvent.select()
        .where(AuditEvent.action.is_in(["specification.published", "budget.earmarked"]))
        .output(load_json=True)
    )
    published = [e for e in events if e["action"] == "specification.published"]
    earmarked = [e for e in events if e["action"] == "budget.earmarked"]
    assert [(e["entity_type"], e["entity_id"]) for e in published] == [("Specification", str(spec.id))]
    assert published[0]["before"] == {"status": "draft"}
    assert published[0]["after"]["status"] == "published"
    assert published[0]["after"]["earmarked_pence"] == 40_000_000
    assert sorted(e["entity_id"] for e in earmarked) == sorted(str(line.id) for line in lines)
    assert all(e["after"]["specification_id"] == spec.id for e in earmarked)


async def test_a_line_reaching_90_percent_is_reported_as_a_warning(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term(amount_pence=20_000_000)
    spec = await support.draft(
        commissioner,
        lines,
        years=[
            YearIn(financial_year=2027, max_value_pence=18_000_000, budget_line_id=lines[0].id),
            YearIn(financial_year=2028, max_value_pence=17_999_999, budget_line_id=lines[1].id),
        ],
    )
    result = await _publish(commissioner, spec.id)
    assert result.warnings == [lines[0].id]


async def _make_incomplete(commissioner: Any, spec: Any, lines: list[Any], gap: str) -> None:
    changes: dict[str, Any] = {
        "title": {"title": ""},
        "title_cy": {"title_cy": " "},
        "description": {"description": ""},
        "description_cy": {"description_cy": ""},
        "cluster_ids": {"cluster_ids": []},
        "years": {"years": [{"financial_year": 2027, "max_value_pence": 1_000_000, "budget_line_id": lines[0].id}]},
        "years-no-line": {
            "years": [
                {"financial_year": 2027, "max_value_pence": 1_000_000, "budget_line_id": lines[0].id},
                {"financial_year": 2028, "max_value_pence": 1_000_000, "budget_line_id": None},
            ]
        },
        "years-zero": {
            "years": [
                {"financial_year": 2027, "max_value_pence": 0, "budget_line_id": lines[0].id},
                {"financial_year": 2028, "max_value_pence": 1_000_000, "budget_line_id": lines[1].id},
            ]
        },
        "kpis": {"kpis": []},
        "criteria": {"criteria": [], "price_weight": 100},
        "bid_deadline_at": {"bid_deadline_at": None},
    }[gap]
    await specifications.update_specification(
        actor=commissioner,
        specification_id=spec.id,
        changes=msgspec.convert(changes, SpecificationChangeIn),
        now=support.now(),
    )


@pytest.mark.parametrize(
    ("gap", "field", "message"),
    [
        ("title", "title", "Enter the title in English"),
        ("title_cy", "title_cy", "Enter the title in Welsh"),
        ("description", "description", "Enter the description in English"),
        ("description_cy", "description_cy", "Enter the description in Welsh"),
        ("cluster_ids", "cluster_ids", "Select the clusters the service covers"),
        ("years", "years", "Give a maximum value for each financial year of the term"),
        ("years-no-line", "years", "Choose the budget line each year draws on"),
        ("years-zero", "years", "Each year's maximum value must be more than £0"),
        ("kpis", "kpis", "Set at least one KPI"),
        ("criteria", "criteria", "Set at least one quality criterion"),
        ("bid_deadline_at", "bid_deadline_at", "Set the bid deadline"),
    ],
)
async def test_each_gap_blocks_publication_with_a_problem_named_by_its_field(menu, gap, field, message):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term()
    spec = await support.draft(commissioner, lines)
    await _make_incomplete(commissioner, spec, lines, gap)
    refused = await _refused_and_unchanged(RuleBroken, commissioner, spec.id)
    assert refused.params["problems"] == {field: message}
    assert (refused.field, refused.message) == (field, message)
    assert await _earmarked(lines[0].id) == 0


async def test_an_empty_draft_lists_every_problem_at_once(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await specifications.create_specification(
        actor=commissioner,
        data=await support.specification_in([], cluster_ids=[], years=[], bid_deadline_at=None),
        now=support.now(),
    )
    refused = await _refused_and_unchanged(RuleBroken, commissioner, spec.id)
    assert set(refused.params["problems"]) == {"cluster_ids", "years", "bid_deadline_at"}


async def test_a_draft_whose_deadline_passed_while_it_was_written_cannot_be_published(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    written = support.now() - timedelta(days=5)
    spec = await support.draft(
        commissioner, await support.lines_for_term(), at=written, deadline=written + timedelta(days=1)
    )
    refused = await _refused_and_unchanged(RuleBroken, commissioner, spec.id)
    assert refused.params["problems"] == {"bid_deadline_at": "The bid deadline must be in the future"}


async def test_readiness_shows_the_same_problems_before_trying(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term()
    spec = await support.draft(commissioner, lines)
    assert (await specifications.readiness(actor=commissioner, specification_id=spec.id, now=support.now())).items == {}
    await _make_incomplete(commissioner, spec, lines, "kpis")
    problems = await specifications.readiness(actor=commissioner, specification_id=spec.id, now=support.now())
    assert problems.items == {"kpis": "Set at least one KPI"}


async def test_a_shortfall_on_any_year_refuses_the_whole_publication_and_earmarks_nothing(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    roomy = await support.budget_line(year=2027, amount_pence=50_000_000)
    tight = await support.budget_line(year=2028, amount_pence=15_000_000)
    spec = await support.draft(commissioner, [roomy, tight], value_pence=20_000_000)
    refused = await _refused_and_unchanged(Conflict, commissioner, spec.id)
    assert refused.params["budget_line_id"] == tight.id
    assert refused.params["financial_year"] == 2028
    assert refused.params["shortfall_pence"] == 5_000_000
    assert refused.params["year"] == "2028-29"
    assert refused.params["shortfall"] == "£50,000.00"
    assert refused.params["line"] == "Cardiff, 2028-29, Cluster funding"
    assert await _earmarked(roomy.id) == 0, "the year that fitted is not held either"
    assert await BudgetEarmark.count() == 0


async def test_a_line_already_earmarked_by_another_specification_has_only_its_headroom_left(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term(years=1, amount_pence=30_000_000)
    await support.published(commissioner, lines, value_pence=20_000_000)
    second = await support.draft(commissioner, lines, value_pence=10_000_001)
    refused = await _refused_and_unchanged(Conflict, commissioner, second.id)
    assert refused.params["shortfall_pence"] == 1
    exact = await support.draft(commissioner, lines, value_pence=10_000_000)
    assert (await _publish(commissioner, exact.id)).specification.status == "published"
    assert (await finance_queries.ledgers([lines[0].id]))[lines[0].id].headroom_pence == 0


async def test_a_maximum_equal_to_the_whole_budget_fits(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    [line] = await support.lines_for_term(years=1, amount_pence=30_000_000)
    spec = await support.draft(commissioner, [line], value_pence=30_000_000)
    assert (await _publish(commissioner, spec.id)).specification.status == "published"
    assert await _earmarked(line.id) == 30_000_000


async def test_publishing_twice_is_refused_and_earmarks_once(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term()
    spec = await support.published(commissioner, lines)
    events_before = await AuditEvent.count()
    with pytest.raises(Conflict) as refused:
        await _publish(commissioner, spec.id)
    assert refused.value.params["status"] == "published"
    assert await BudgetEarmark.count() == 2
    assert await AuditEvent.count() == events_before


async def test_a_cancelled_draft_cannot_be_published(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await support.draft(commissioner, await support.lines_for_term())
    await specifications.cancel_specification(
        actor=commissioner, specification_id=spec.id, reason="Not needed", now=support.now()
    )
    with pytest.raises(Conflict):
        await _publish(commissioner, spec.id)
    assert await BudgetEarmark.count() == 0


async def test_a_draft_whose_menu_service_was_retired_since_cannot_be_published(menu):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await support.draft(commissioner, await support.lines_for_term())
    await retire_menu_service(
        actor=await make_actor(Role.NATIONAL_ADMIN),
        menu_service_id=spec.menu_service_id,
        reason="Replaced",
        now=support.now(),
    )
    await _refused_and_unchanged(Conflict, commissioner, spec.id)


@pytest.mark.parametrize(
    ("role", "scope"),
    [(Role.COMMISSIONER, {"pcpg_names": ("Swansea Bay",)}), (Role.NATIONAL_ADMIN, {}), (Role.FINANCE_DIRECTOR, {})],
)
async def test_only_the_pcpgs_commissioners_can_publish(menu, role, scope):
    commissioner = await make_actor(Role.COMMISSIONER)
    spec = await support.draft(commissioner, await support.lines_for_term())
    outsider = await make_actor(role, **scope)
    events_before = await AuditEvent.count()
    with pytest.raises(NotFound):
        await _publish(outsider, spec.id)
    assert await BudgetEarmark.count() == 0
    assert await AuditEvent.count() == events_before
    assert await _status(commissioner, spec.id) == "draft"
