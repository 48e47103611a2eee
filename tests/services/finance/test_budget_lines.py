"""Budget lines: set by the health board's finance director (or a national admin), changed but never below what
is held, read through a ledger computed from the rows, scoped to who may see them."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from finance import queries
from finance.schemas import BudgetLineChangeIn, BudgetLineIn, EarmarkRequest
from finance.services import change_budget_line, create_budget_line, earmark_budget, release_earmarks
from finance.tables import BudgetEarmark, BudgetLine
from organisations.tables import HealthBoard
from tests import commissioning_support as support
from tests import factories
from tests.conftest import make_actor

CARDIFF_AND_VALE = "Cardiff and Vale University Health Board"


async def _line_in(
    pcpg: str = "Cardiff", year: int = 2027, stream: str = "cluster_funding", **values: Any
) -> BudgetLineIn:
    return BudgetLineIn(
        pcpg_id=await support.pcpg_id(pcpg),
        financial_year=year,
        funding_stream=stream,  # type: ignore[arg-type]
        amount_pence=values.pop("amount_pence", 30_000_000),
        **values,
    )


async def _specification_id() -> int:
    """Earmarks are held for a specification, which must exist (a foreign key)."""
    return int((await factories.save(factories.SpecificationFactory(pcpg=await support.pcpg_id("Cardiff")))).id)


async def _earmark(line: Any, amount: int, specification_id: int | None = None) -> None:
    await earmark_budget(
        actor=await make_actor(Role.COMMISSIONER),
        specification_id=specification_id or await _specification_id(),
        requests=[EarmarkRequest(budget_line_id=line.id, financial_year=line.financial_year, amount_pence=amount)],
        now=support.now(),
    )


async def test_a_finance_director_sets_a_line_for_a_pcpg_of_their_health_board():
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    line = await create_budget_line(
        actor=finance, data=await _line_in("Vale of Glamorgan", note=" Recurrent "), now=support.now()
    )
    assert (line.pcpg, line.health_board, line.financial_year_label) == (
        "Vale of Glamorgan",
        CARDIFF_AND_VALE,
        "2027-28",
    )
    assert (line.funding_stream, line.amount_pence, line.note) == ("cluster_funding", 30_000_000, "Recurrent")
    assert line.updated_by == finance.username
    [event] = await AuditEvent.select().where(AuditEvent.action == "budget_line.created")
    assert event["entity_id"] == str(line.id)
    assert event["health_board_id"] == await factories.reference_id(HealthBoard, CARDIFF_AND_VALE)
    assert event["pcpg_id"] == await support.pcpg_id("Vale of Glamorgan")


async def test_a_finance_director_cannot_set_a_line_for_another_health_board():
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    with pytest.raises(NotAllowed):
        await create_budget_line(actor=finance, data=await _line_in("Swansea Bay"), now=support.now())
    assert await BudgetLine.count() == 0
    assert await AuditEvent.count() == 0


async def test_a_national_admin_sets_a_line_for_any_health_board():
    admin = await make_actor(Role.NATIONAL_ADMIN)
    line = await create_budget_line(actor=admin, data=await _line_in("Swansea Bay"), now=support.now())
    assert line.health_board == "Swansea Bay University Health Board"


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.PROVIDER, Role.EVALUATOR])
async def test_other_roles_cannot_set_a_budget_line(role):
    actor = await make_actor(role)
    with pytest.raises(NotAllowed):
        await create_budget_line(actor=actor, data=await _line_in(), now=support.now())
    assert await BudgetLine.count() == 0


async def test_an_unknown_pcpg_is_refused_beside_the_pcpg_field():
    admin = await make_actor(Role.NATIONAL_ADMIN)
    data = BudgetLineIn(pcpg_id=999_999, financial_year=2027, funding_stream="hb_core", amount_pence=1)
    with pytest.raises(RuleBroken) as refused:
        await create_budget_line(actor=admin, data=data, now=support.now())
    assert refused.value.field == "pcpg_id"


async def test_a_second_line_for_the_same_pcpg_year_and_stream_is_a_conflict():
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    await create_budget_line(actor=finance, data=await _line_in(), now=support.now())
    with pytest.raises(Conflict) as refused:
        await create_budget_line(actor=finance, data=await _line_in(amount_pence=1), now=support.now())
    assert refused.value.field == "funding_stream"
    assert refused.value.params["year"] == "2027-28"
    assert await BudgetLine.count() == 1
    # Another stream, year or PCPG is a different line.
    await create_budget_line(actor=finance, data=await _line_in(stream="regional_integration_fund"), now=support.now())
    await create_budget_line(actor=finance, data=await _line_in(year=2028), now=support.now())
    await create_budget_line(actor=finance, data=await _line_in("Vale of Glamorgan"), now=support.now())
    assert await BudgetLine.count() == 4


async def test_the_ledger_of_a_new_line_is_all_headroom():
    line = await support.budget_line(amount_pence=30_000_000)
    ledger = line.ledger
    assert (ledger.budget_pence, ledger.earmarked_pence, ledger.committed_pence, ledger.actual_pence) == (
        30_000_000,
        0,
        0,
        0,
    )
    assert (ledger.headroom_pence, ledger.used_percent, ledger.warning) == (30_000_000, 0, False)


async def test_the_ledger_is_computed_from_the_earmarks_held_and_leaves_out_released_ones():
    line = await support.budget_line(amount_pence=30_000_000)
    first, second = await _specification_id(), await _specification_id()
    await _earmark(line, 10_000_000, specification_id=first)
    await _earmark(line, 5_000_000, specification_id=second)
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    ledger = (await queries.get_budget_line(actor=finance, budget_line_id=line.id)).ledger
    assert (ledger.earmarked_pence, ledger.headroom_pence, ledger.used_percent) == (15_000_000, 15_000_000, 50)
    await release_earmarks(actor=finance, specification_id=first, now=support.now())
    ledger = (await queries.get_budget_line(actor=finance, budget_line_id=line.id)).ledger
    assert (ledger.earmarked_pence, ledger.headroom_pence) == (5_000_000, 25_000_000)


async def test_the_ledger_warns_once_90_percent_of_the_line_is_used():
    line = await support.budget_line(amount_pence=10_000_000)
    await _earmark(line, 8_999_999)
    admin = await make_actor(Role.NATIONAL_ADMIN)
    assert (await queries.get_budget_line(actor=admin, budget_line_id=line.id)).ledger.warning is False
    await _earmark(line, 1)
    ledger = (await queries.get_budget_line(actor=admin, budget_line_id=line.id)).ledger
    assert (ledger.used_percent, ledger.warning) == (90, True)


async def test_an_earmark_that_takes_a_line_to_90_percent_is_reported_as_a_warning():
    line = await support.budget_line(amount_pence=10_000_000)
    warnings = await earmark_budget(
        actor=await make_actor(Role.COMMISSIONER),
        specification_id=await _specification_id(),
        requests=[EarmarkRequest(budget_line_id=line.id, financial_year=2027, amount_pence=9_000_000)],
        now=support.now(),
    )
    assert warnings == [line.id]


async def test_an_earmark_past_the_headroom_is_refused_naming_the_line_year_and_shortfall_and_holds_nothing():
    first = await support.budget_line(year=2027, amount_pence=10_000_000)
    second = await support.budget_line(year=2028, amount_pence=10_000_000)
    with pytest.raises(Conflict) as refused:
        await earmark_budget(
            actor=await make_actor(Role.COMMISSIONER),
            specification_id=await _specification_id(),
            requests=[
                EarmarkRequest(budget_line_id=first.id, financial_year=2027, amount_pence=5_000_000),
                EarmarkRequest(budget_line_id=second.id, financial_year=2028, amount_pence=12_500_000),
            ],
            now=support.now(),
        )
    params = refused.value.params
    assert (params["budget_line_id"], params["financial_year"], params["shortfall_pence"]) == (
        second.id,
        2028,
        2_500_000,
    )
    assert (params["year"], params["shortfall"]) == ("2028-29", "£25,000.00")
    assert params["line"] == "Cardiff, 2028-29, Cluster funding", "named in words, never by its id"
    assert await BudgetEarmark.count() == 0, "the year that fitted is not held either"


async def test_the_amount_can_be_changed_and_the_change_is_audited():
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    line = await create_budget_line(actor=finance, data=await _line_in(), now=support.now())
    changed = await change_budget_line(
        actor=finance,
        budget_line_id=line.id,
        data=BudgetLineChangeIn(amount_pence=45_000_000, note="In-year allocation"),
        now=support.now(),
    )
    assert (changed.amount_pence, changed.note, changed.ledger.headroom_pence) == (
        45_000_000,
        "In-year allocation",
        45_000_000,
    )
    [event] = await AuditEvent.select().where(AuditEvent.action == "budget_line.changed").output(load_json=True)
    assert event["before"] == {"amount_pence": 30_000_000}
    assert event["after"]["amount_pence"] == 45_000_000


async def test_the_amount_cannot_go_below_what_is_earmarked_and_the_refusal_names_that_amount():
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    line = await create_budget_line(actor=finance, data=await _line_in(amount_pence=30_000_000), now=support.now())
    await _earmark(line, 12_345_600)
    with pytest.raises(Conflict) as refused:
        await change_budget_line(
            actor=finance, budget_line_id=line.id, data=BudgetLineChangeIn(amount_pence=12_345_599), now=support.now()
        )
    assert refused.value.field == "amount_pence"
    assert refused.value.params["amount"] == "£123,456.00"
    assert (await queries.get_budget_line(actor=finance, budget_line_id=line.id)).amount_pence == 30_000_000
    exactly = await change_budget_line(
        actor=finance, budget_line_id=line.id, data=BudgetLineChangeIn(amount_pence=12_345_600), now=support.now()
    )
    assert exactly.ledger.headroom_pence == 0


async def test_a_finance_director_of_another_health_board_cannot_change_the_line():
    line = await support.budget_line()
    swansea = await make_actor(Role.FINANCE_DIRECTOR, health_board_name="Swansea Bay University Health Board")
    commissioner = await make_actor(Role.COMMISSIONER)
    for actor in (swansea, commissioner):
        with pytest.raises(NotFound):
            await change_budget_line(
                actor=actor, budget_line_id=line.id, data=BudgetLineChangeIn(amount_pence=1), now=support.now()
            )
    assert (await BudgetLine.select(BudgetLine.amount_pence).first())["amount_pence"] == line.amount_pence


async def test_each_role_reads_only_the_lines_in_its_scope():
    cardiff = await support.budget_line(pcpg="Cardiff")
    vale = await support.budget_line(pcpg="Vale of Glamorgan")
    swansea = await support.budget_line(pcpg="Swansea Bay")

    async def visible(role: Role, **scope: Any) -> set[int]:
        actor = await make_actor(role, **scope)
        return {line.id for line in (await queries.list_budget_lines(actor=actor)).items}

    assert await visible(Role.NATIONAL_ADMIN) == {cardiff.id, vale.id, swansea.id}
    assert await visible(Role.FINANCE_DIRECTOR) == {cardiff.id, vale.id}
    assert await visible(Role.FINANCE_DIRECTOR, health_board_name="Swansea Bay University Health Board") == {swansea.id}
    assert await visible(Role.COMMISSIONER) == {cardiff.id}
    assert await visible(Role.COMMISSIONER, pcpg_names=("Swansea Bay", "Vale of Glamorgan")) == {vale.id, swansea.id}
    commissioner = await make_actor(Role.COMMISSIONER)
    with pytest.raises(NotFound):
        await queries.get_budget_line(actor=commissioner, budget_line_id=vale.id)
    for role in (Role.PROVIDER, Role.EVALUATOR):
        with pytest.raises(NotAllowed):
            await queries.list_budget_lines(actor=await make_actor(role))


async def test_lines_are_listed_by_year_then_pcpg_and_can_be_filtered():
    await support.budget_line(pcpg="Vale of Glamorgan", year=2028)
    await support.budget_line(pcpg="Cardiff", year=2028)
    await support.budget_line(pcpg="Cardiff", year=2027)
    admin = await make_actor(Role.NATIONAL_ADMIN)
    page = await queries.list_budget_lines(actor=admin)
    assert [(line.financial_year, line.pcpg) for line in page.items] == [
        (2027, "Cardiff"),
        (2028, "Cardiff"),
        (2028, "Vale of Glamorgan"),
    ]
    only_2028 = await queries.list_budget_lines(actor=admin, financial_year=2028, limit=1, offset=1)
    assert (only_2028.total, [line.pcpg for line in only_2028.items]) == (2, ["Vale of Glamorgan"])
