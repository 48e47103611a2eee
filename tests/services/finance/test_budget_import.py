"""Budget lines from a file: previewed as new, changed or unchanged; applied whole in one operation with its audit;
refused whole, nothing written, with the row and column of every problem (form, scope, what a line already holds)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from accounts.actor import Role
from audit.tables import AuditEvent
from core.errors import Conflict, NotFound, RuleBroken
from finance import budget_file, budget_import, queries
from finance.schemas import EarmarkRequest
from finance.services import earmark_budget
from finance.tables import BudgetImport, BudgetLine
from tests import commissioning_support as support
from tests import factories
from tests.conftest import make_actor
from tests.query_count import count_queries

HEAD = "PCPG,Financial year,Funding stream,Amount (£),Note\n"


def _csv(*rows: str, head: str = HEAD) -> bytes:
    return (head + "".join(row + "\n" for row in rows)).encode("utf-8")


def _xlsx(*rows: tuple[Any, ...]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["PCPG", "Financial year", "Funding stream", "Amount (£)", "Note"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def _lines() -> list[tuple[str, int, str, int, str]]:
    rows = await BudgetLine.select(
        BudgetLine.pcpg.name,
        BudgetLine.financial_year,
        BudgetLine.funding_stream,
        BudgetLine.amount_pence,
        BudgetLine.note,
    ).order_by(BudgetLine.id)
    return [tuple(row.values()) for row in rows]  # type: ignore[misc]


async def _apply(actor: Any, content: bytes) -> Any:
    lines, problems = await budget_import.read_file(content)
    return await budget_import.import_budget_lines(actor=actor, lines=lines, now=support.now(), problems=problems)


async def _refusal(actor: Any, content: bytes) -> dict[str, str]:
    with pytest.raises(RuleBroken) as refused:
        await _apply(actor, content)
    return refused.value.params.get("problems", {})


async def test_a_file_sets_up_new_lines_changes_others_and_says_which_before_anything_is_written():
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    await support.budget_line(pcpg="Cardiff", year=2027, amount_pence=100_000_00)
    await support.budget_line(pcpg="Vale of Glamorgan", year=2027, amount_pence=50_000_00)
    content = _csv(
        "Cardiff,2027-28,Cluster funding,125000,Recurrent",
        "Vale of Glamorgan,2027-28,Cluster funding,50000.00,",
        'Vale of Glamorgan,2027/28,Health board core,"£1,250.50",',
        "Cardiff,2027-28,Regional Integration Fund,,",
    )
    lines, problems = await budget_import.read_file(content)
    preview = await budget_import.preview_budget_lines(actor=finance, lines=lines, problems=problems)
    assert [(i.row, i.label, i.change, i.before_pence, i.after_pence) for i in preview.items] == [
        (2, "Cardiff, 2027-28, Cluster funding", "changed", 100_000_00, 125_000_00),
        (3, "Vale of Glamorgan, 2027-28, Cluster funding", "unchanged", 50_000_00, 50_000_00),
        (4, "Vale of Glamorgan, 2027-28, Health board core", "new", None, 1_250_50),
    ]
    assert (preview.new, preview.changed, preview.unchanged, preview.applied) == (1, 1, 1, False)
    assert len(await _lines()) == 2, "a preview writes nothing"

    done = await _apply(finance, content)
    assert done.applied
    assert await _lines() == [
        ("Cardiff", 2027, "cluster_funding", 125_000_00, "Recurrent"),
        ("Vale of Glamorgan", 2027, "cluster_funding", 50_000_00, ""),
        ("Vale of Glamorgan", 2027, "hb_core", 1_250_50, ""),
    ]
    events = await AuditEvent.select(AuditEvent.action, AuditEvent.before, AuditEvent.actor_username).where(
        AuditEvent.action == "budget_lines.imported"
    )
    assert len(events) == 2, "one event per line set up or changed, none for the unchanged"
    assert {event["actor_username"] for event in events} == {finance.username}


async def test_an_excel_workbook_is_read_as_the_csv_is_with_its_numbers_as_typed():
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    done = await _apply(finance, _xlsx(("Cardiff", "2027-28", "cluster funding", 1234.56, None)))
    assert (done.new, done.items[0].after_pence) == (1, 1_234_56)
    assert await _lines() == [("Cardiff", 2027, "cluster_funding", 1_234_56, "")]


async def test_a_file_with_problems_is_refused_whole_naming_each_row_and_column_and_nothing_is_written():
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    problems = await _refusal(
        finance,
        _csv(
            "Cardiff,2027-28,Cluster funding,1000,",
            "Atlantis,2027-28,Cluster funding,1000,",
            "Cardiff,2027-29,Cluster funding,1000,",
            "Cardiff,2027-28,Pocket money,1000,",
            "Cardiff,2028-29,Cluster funding,-5,",
            "Cardiff,2027-28,Cluster funding,2000,",
        ),
    )
    assert set(problems) == {"file.A3", "file.B4", "file.C5", "file.D6", "file.A7"}
    assert problems["file.A3"].startswith("Row 3, column A: ")
    assert "row 2" in problems["file.A7"]
    assert await _lines() == []
    assert await AuditEvent.count().where(AuditEvent.action == "budget_lines.imported") == 0


async def test_a_finance_director_cannot_set_lines_for_another_health_boards_pcpg():
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    problems = await _refusal(
        finance, _csv("Cardiff,2027-28,Cluster funding,1000,", "Swansea Bay,2027-28,Cluster funding,1000,")
    )
    assert list(problems) == ["file.A3"]
    assert "not in your health board" in problems["file.A3"]
    assert await _lines() == []
    admin = await make_actor(Role.NATIONAL_ADMIN)
    assert (await _apply(admin, _csv("Swansea Bay,2027-28,Cluster funding,1000,"))).new == 1


async def test_no_line_goes_below_what_is_already_held_on_it():
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    line = await support.budget_line(pcpg="Cardiff", year=2027, amount_pence=100_000_00)
    specification = await factories.save(factories.SpecificationFactory(pcpg=await support.pcpg_id("Cardiff")))
    await earmark_budget(
        actor=await make_actor(Role.COMMISSIONER),
        specification_id=int(specification.id),
        requests=[EarmarkRequest(budget_line_id=line.id, financial_year=2027, amount_pence=60_000_00)],
        now=support.now(),
    )
    problems = await _refusal(finance, _csv("Cardiff,2027-28,Cluster funding,59999.99,"))
    assert problems == {
        "file.D2": "Row 2, column D: the budget cannot be less than the £60,000.00 already earmarked, committed or "
        "spent"
    }
    assert (await _apply(finance, _csv("Cardiff,2027-28,Cluster funding,60000,"))).changed == 1


@pytest.mark.parametrize(
    "content",
    [
        _csv("Cardiff,2027-28,Cluster funding,1000,", head="Section,Item,Value,Unit,Code (do not change)\n"),
        b"",
        b"%PDF-1.7 not a spreadsheet",
    ],
    ids=["another template", "empty", "a PDF"],
)
async def test_a_file_that_is_not_the_template_is_refused_as_such(content):
    with pytest.raises(RuleBroken) as refused:
        await budget_import.read_file(content)
    assert refused.value.field == "file"
    assert "template" in refused.value.message and "problems" not in refused.value.params


async def test_a_template_in_welsh_is_read_as_one_in_english():
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    head = "PCPG,Blwyddyn ariannol,Ffrwd ariannu,Swm (£),Nodyn\n"
    from core.i18n import translations

    assert translations("cy").gettext("Financial year") == "Blwyddyn ariannol"
    welsh_stream = translations("cy").gettext("Cluster funding")
    done = await _apply(finance, _csv(f"Caerdydd,2027-28,{welsh_stream},1000,", head=head))
    assert done.items[0].label == "Cardiff, 2027-28, Cluster funding"


async def test_the_template_lists_the_finance_directors_pcpgs_with_what_is_set_and_reads_back_unchanged():
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    await support.budget_line(pcpg="Cardiff", year=2027, amount_pence=100_000_00)
    lines = await queries.template_lines(actor=finance, financial_year=2027)
    assert {line.pcpg for line in lines} == {"Cardiff", "Vale of Glamorgan"}
    assert len(lines) == 8
    for content in (budget_file.template_csv(lines), budget_file.template_xlsx(lines, 2027, support.now())):
        done = await budget_import.preview_budget_lines(
            actor=finance, lines=(await budget_import.read_file(content))[0]
        )
        assert (done.new, done.changed, done.unchanged) == (0, 0, 1)
    sheet = load_workbook(io.BytesIO(budget_file.template_xlsx(lines, 2027, support.now()))).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["PCPG", "Financial year", "Funding stream", "Amount (£)", "Note"]


async def test_a_kept_check_is_its_users_only_and_confirming_refuses_when_the_lines_moved_since():
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    line = await support.budget_line(pcpg="Cardiff", year=2027, amount_pence=100_000_00)
    import_id, preview = await budget_import.check_budget_file(
        actor=finance, content=_csv("Cardiff,2027-28,Cluster funding,125000,"), filename="lines.csv", now=support.now()
    )
    assert await BudgetLine.count() == 1 and await BudgetImport.count() == 1
    other = await make_actor(Role.FINANCE_DIRECTOR)
    with pytest.raises(NotFound):
        await budget_import.preview_kept(actor=other, import_id=import_id, now=support.now())
    await BudgetLine.update({BudgetLine.amount_pence: 110_000_00}).where(BudgetLine.id == line.id)
    with pytest.raises(Conflict):
        await budget_import.confirm_budget_file(
            actor=finance, import_id=import_id, seen=preview.fingerprint, now=support.now()
        )
    assert (await queries.ledgers([line.id]))[line.id].budget_pence == 110_000_00
    _, fresh = await budget_import.preview_kept(actor=finance, import_id=import_id, now=support.now())
    await budget_import.confirm_budget_file(
        actor=finance, import_id=import_id, seen=fresh.fingerprint, now=support.now()
    )
    assert (await queries.ledgers([line.id]))[line.id].budget_pence == 125_000_00
    with pytest.raises(Conflict):
        await budget_import.confirm_budget_file(
            actor=finance, import_id=import_id, seen=fresh.fingerprint, now=support.now()
        )


async def test_a_preview_reads_the_same_few_times_whatever_the_files_length():
    admin = await make_actor(Role.NATIONAL_ADMIN)
    for pcpg in ("Cardiff", "Vale of Glamorgan", "Swansea Bay"):
        await support.budget_line(pcpg=pcpg, year=2027, amount_pence=1_000_00)
    short = _csv("Cardiff,2027-28,Cluster funding,1000,")
    long = _csv(
        *[
            f"{pcpg},{year}-{(year + 1) % 100},{stream},1000,"
            for pcpg in ("Cardiff", "Vale of Glamorgan", "Swansea Bay")
            for year in (2027, 2028)
            for stream in ("Cluster funding", "Other", "Health board core")
        ]
    )
    counted = []
    for content in (short, long):
        lines, problems = await budget_import.read_file(content)
        with count_queries() as reads:
            preview = await budget_import.preview_budget_lines(actor=admin, lines=lines, problems=problems)
        counted.append((len(preview.items), reads.total))
    assert counted[0][0] == 1 and counted[1][0] == 18
    assert counted[0][1] == counted[1][1], counted
