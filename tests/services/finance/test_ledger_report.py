"""The finance director's ledger read (finance.queries.ledger_report): every line in scope with its ledger adding up
to the penny, filtered, ordered and paged by the database, with totals per financial year summed there too."""

from __future__ import annotations

import pytest

from accounts.actor import Role
from finance.queries import ledger_report
from finance.schemas import LedgerFilterIn
from organisations.tables import HealthBoard
from tests import ledger_support as support
from tests.conftest import make_actor
from tests.query_count import count_queries

ALL = LedgerFilterIn()


def _adds_up(line) -> bool:
    return (
        line.earmarked_pence + line.committed_unspent_pence + line.actual_pence + line.headroom_pence
        == line.budget_pence
    )


async def test_every_line_adds_up_to_the_penny_with_earmarks_and_commitments_held_and_released():
    world = await support.build_ledger_world()
    report = await ledger_report(actor=await make_actor(Role.NATIONAL_ADMIN), filters=ALL)
    by_id = {line.budget_line_id: line for line in report.items}
    assert set(by_id) == set(world.lines.values())
    for line in report.items:
        assert _adds_up(line), line
        budget, earmarked, committed = await support.held_pence(line.budget_line_id)
        assert (line.budget_pence, line.earmarked_pence, line.committed_pence) == (budget, earmarked, committed)
    cardiff = by_id[world.lines["cardiff_27"]]
    # Released earmarks (£5,000) and commitments (£20,000) no longer count.
    assert (cardiff.earmarked_pence, cardiff.committed_unspent_pence, cardiff.headroom_pence) == (
        30_000_00,
        50_000_00,
        20_000_00,
    )
    assert (cardiff.used_percent, cardiff.warning) == (80, False)
    over = by_id[world.lines["vale_27"]]
    assert (over.headroom_pence, over.used_percent, over.warning) == (-500_00, 150, True)
    assert by_id[world.lines["cardiff_28"]].headroom_pence == 100_000_01 - 33_333_33 - 12_345_67


async def test_the_ledger_moves_as_a_contract_is_varied_and_terminated_and_still_adds_up():
    world = await support.build_ledger_world()
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    line_id = world.lines["cardiff_28"]

    async def shown():
        report = await ledger_report(actor=finance, filters=LedgerFilterIn(financial_year=2028))
        (line,) = report.items
        assert line.budget_line_id == line_id and _adds_up(line)
        return line.committed_unspent_pence, line.headroom_pence

    first = await support.commit(world, "cardiff_28", 10_000_00)
    assert await shown() == (43_333_33, 100_000_01 - 43_333_33 - 12_345_67)
    # Varied down: the commitment is released and a smaller one made.
    await support.release_commitments([first])
    second = await support.commit(world, "cardiff_28", 4_000_00)
    assert await shown() == (37_333_33, 100_000_01 - 37_333_33 - 12_345_67)
    # Terminated: what the contract held goes back to the headroom.
    held = [second] + [
        row["id"]
        for row in await support.BudgetCommitment.select(support.BudgetCommitment.id).where(
            support.BudgetCommitment.budget_line == line_id
        )
    ]
    await support.release_commitments(held)
    assert await shown() == (0, 100_000_01 - 12_345_67)


async def test_a_finance_director_reads_only_their_health_boards_lines():
    world = await support.build_ledger_world()
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    report = await ledger_report(actor=finance, filters=ALL)
    assert {line.budget_line_id for line in report.items} == set(world.lines.values()) - {world.lines["swansea_27"]}
    assert {line.health_board for line in report.items} == {"Cardiff and Vale University Health Board"}
    # Asking for another board's lines by filter finds nothing: the scope is in the same SQL condition.
    swansea = await HealthBoard.select(HealthBoard.id).where(HealthBoard.name.like("Swansea%")).first()
    other = await ledger_report(actor=finance, filters=LedgerFilterIn(health_board_id=swansea["id"]))
    assert (other.items, other.total, other.years) == ([], 0, [])
    elsewhere = await make_actor(Role.FINANCE_DIRECTOR, health_board_name="Swansea Bay University Health Board")
    assert [line.budget_line_id for line in (await ledger_report(actor=elsewhere, filters=ALL)).items] == [
        world.lines["swansea_27"]
    ]


async def test_a_commissioner_reads_their_pcpgs_lines_and_a_provider_is_refused():
    world = await support.build_ledger_world()
    commissioner = await make_actor(Role.COMMISSIONER)
    report = await ledger_report(actor=commissioner, filters=ALL)
    assert {line.pcpg for line in report.items} == {"Cardiff"}
    assert report.total == 3 and world.lines["cardiff_27"] in {line.budget_line_id for line in report.items}
    from core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        await ledger_report(actor=await make_actor(Role.PROVIDER), filters=ALL)


async def test_a_national_admin_reads_every_line_and_can_narrow_to_one_health_board():
    world = await support.build_ledger_world()
    admin = await make_actor(Role.NATIONAL_ADMIN)
    assert (await ledger_report(actor=admin, filters=ALL)).total == 5
    swansea = await HealthBoard.select(HealthBoard.id).where(HealthBoard.name.like("Swansea%")).first()
    narrowed = await ledger_report(actor=admin, filters=LedgerFilterIn(health_board_id=swansea["id"]))
    assert [line.budget_line_id for line in narrowed.items] == [world.lines["swansea_27"]]


async def test_the_totals_per_year_are_the_sums_of_every_selected_line_not_only_the_page_shown():
    await support.build_ledger_world()
    admin = await make_actor(Role.NATIONAL_ADMIN)
    everything = await ledger_report(actor=admin, filters=ALL)
    first_page = await ledger_report(actor=admin, filters=ALL, limit=2)
    assert len(first_page.items) == 2 and first_page.total == 5
    assert first_page.years == everything.years
    assert [year.financial_year for year in everything.years] == [2027, 2028]
    for year in everything.years:
        lines = [line for line in everything.items if line.financial_year == year.financial_year]
        assert year.lines == len(lines)
        for field in ("budget_pence", "earmarked_pence", "committed_unspent_pence", "actual_pence", "headroom_pence"):
            assert getattr(year, field) == sum(getattr(line, field) for line in lines), (year.financial_year, field)
        assert year.warnings == sum(line.warning for line in lines)
        parts = year.earmarked_pence + year.committed_unspent_pence + year.actual_pence + year.headroom_pence
        assert parts == year.budget_pence
    assert everything.years[0].warnings == 2  # Cardiff's core line at 95 %, the Vale's over-committed one


async def test_lines_are_ordered_by_pcpg_year_and_stream_and_filtered_by_each():
    await support.build_ledger_world()
    admin = await make_actor(Role.NATIONAL_ADMIN)
    order = [
        (line.pcpg, line.financial_year, line.funding_stream)
        for line in (await ledger_report(actor=admin, filters=ALL)).items
    ]
    assert order == [
        ("Cardiff", 2027, "cluster_funding"),
        ("Cardiff", 2027, "hb_core"),
        ("Cardiff", 2028, "cluster_funding"),
        ("Swansea Bay", 2027, "cluster_funding"),
        ("Vale of Glamorgan", 2027, "regional_integration_fund"),
    ]
    by_stream = await ledger_report(actor=admin, filters=LedgerFilterIn(funding_stream="hb_core"))
    assert [line.funding_stream for line in by_stream.items] == ["hb_core"]
    by_year = await ledger_report(actor=admin, filters=LedgerFilterIn(financial_year=2028))
    assert [line.financial_year for line in by_year.items] == [2028]
    second_page = await ledger_report(actor=admin, filters=ALL, limit=2, offset=2)
    assert [line.pcpg for line in second_page.items] == ["Cardiff", "Swansea Bay"]


async def test_the_ledger_reads_with_the_same_statements_for_50_lines_as_for_5():
    world = await support.build_ledger_world()
    admin = await make_actor(Role.NATIONAL_ADMIN)
    with count_queries() as few:
        await ledger_report(actor=admin, filters=ALL, limit=None)
    for year in range(2030, 2075):
        line_id = await support.line("Cardiff", year, "other", 1_000_00)
        world.lines[f"more_{year}"] = line_id
        await support.commit(world, f"more_{year}", 10_00)
    with count_queries() as many:
        report = await ledger_report(actor=admin, filters=ALL, limit=None)
    assert report.total == 50
    assert few.total == many.total == 2, many
