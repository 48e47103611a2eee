"""GET /api/v1/contracts/{id}/document: the contract as a PDF in the structure of a national CDV contract, in the
reader's language (issue 12, item 6), for whoever may read the contract and nobody else."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.actor import Role
from contracts.tables import ContractAllocation, ContractKpi, ContractPayment
from core.i18n import day_in_words
from core.money import format_pounds
from tests import bidding_support as b
from tests import contracts_support_document as s
from tests.conftest import make_actor
from tests.pages.markup import welsh

pytestmark = pytest.mark.usefixtures("menu")

SECTIONS = (
    "Particulars",
    "Schedule of services",
    "Payment",
    "Quality requirements",
    "Reporting requirements",
    "Allocations by cluster",
    "Variations",
)
PRICE_RISE = "Prices rose with the NHS pay award"
REJECTED = "A wish nobody approved"


async def _varied() -> s.Made:
    made = await s.made_contract()
    await s.allocate(made.contract_id)
    await s.approve_variation(
        made.contract_id, 1, kind="price_change", reason=PRICE_RISE, effective_on=date(2027, 10, 1)
    )
    await s.approve_variation(
        made.contract_id, 2, kind="extension", reason=REJECTED, effective_on=date(2028, 1, 1), status="rejected"
    )
    return made


async def facts(contract_id: int, language: str = "en") -> list[str]:
    """What the document must state, read from the contract's own rows: each payment (amount and due date), each
    KPI, each allocation."""
    wanted = [format_pounds(v, language) for v in s.VALUES] + [format_pounds(sum(s.VALUES), language)]
    for p in await ContractPayment.select().where(ContractPayment.contract == contract_id):
        wanted += [format_pounds(p["amount_pence"], language), day_in_words(p["due_on"], language)]
    for k in await ContractKpi.select().where(ContractKpi.contract == contract_id):
        wanted.append(k["name_cy"] if language == "cy" else k["name"])
    for a in await ContractAllocation.select().where(ContractAllocation.contract == contract_id):
        wanted += [format_pounds(a["amount_pence"], language), a["population_source"], f"{a['population']:,}"]
    return wanted


async def test_the_contract_pdf_opens_in_numbered_sections_with_its_parties_money_kpis_allocations_and_variations(
    as_user,
):
    made = await _varied()
    http = await as_user(made.commissioner)

    response = await http.get(f"/api/v1/contracts/{made.contract_id}/document")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith(f'attachment; filename="{made.reference}.pdf"')
    text = s.pdf_text(response.content)
    headings = [text.index(f"{n}. {name}") for n, name in enumerate(SECTIONS, start=1)]
    assert headings == sorted(headings), "the sections are numbered in order"
    assert "Cardiff and Vale University Health Board" in text
    assert f"{s.VEHICLE} (Community Interest Company)" in text, "the provider with its legal form, ŵ intact"
    assert f"Companies House number {s.COMPANY_NUMBER}" in text
    assert "Cardiff Pan Cluster Planning Group" in text
    assert "1 April 2027 to 31 March 2029" in text
    missing = [fact for fact in await facts(made.contract_id) if fact not in text]
    assert not missing, missing
    assert "Q4 1 January 2029 to 31 March 2029 30 April 2029" in text, "each quarter's return, due 30 days after"
    assert f"Price change 1 October 2027 {PRICE_RISE}" in text
    assert REJECTED not in text, "only approved variations are part of the contract"
    assert "Version 2" in text and "Variation 1" in text


async def test_the_welsh_pdf_has_welsh_fixed_text_with_its_letters_intact(as_user):
    made = await _varied()
    http = await as_user(made.provider)

    response = await http.get(f"/api/v1/contracts/{made.contract_id}/document?lang=cy")

    assert response.status_code == 200, response.text
    text = s.pdf_text(response.content)
    for n, name in enumerate(SECTIONS, start=1):
        assert f"{n}. {welsh(name)}" in text
    assert welsh(name) != name
    assert "Schedule of services" not in text and "Quality requirements" not in text
    assert "Rhif Tŷ'r Cwmnïau 12345678" in text.replace("’", "'"), "ŷ in the fixed text"
    assert "Gofal Gŵyr" in text, "ŵ in the provider's name"
    assert "1 Ebrill 2027 i 31 Mawrth 2029" in text
    missing = [fact for fact in await facts(made.contract_id, "cy") if fact not in text]
    assert not missing, missing


async def test_the_contract_document_is_for_its_readers_only(as_user):
    made = await _varied()
    other = await b.provider("Another Vehicle CIC")
    elsewhere = await make_actor(Role.FINANCE_DIRECTOR, health_board_name="Swansea Bay University Health Board")
    board = await make_actor(Role.FINANCE_DIRECTOR)
    admin = await make_actor(Role.NATIONAL_ADMIN)
    evaluator = await make_actor(Role.EVALUATOR)
    paths = [
        f"/api/v1/contracts/{made.contract_id}/document",
        f"/contracts/{made.contract_id}/document",
        f"/contracts/{made.contract_id}/document.pdf",
    ]
    for actor, expected in [
        (made.provider, 200),
        (made.commissioner, 200),
        (board, 200),
        (admin, 200),
        (other, 404),
        (elsewhere, 404),
        (evaluator, 403),
    ]:
        http = await as_user(actor)
        for path in paths:
            response = await http.get(path)
            assert response.status_code == expected, (actor.role, path, response.status_code)
    missing = await (await as_user(admin)).get(f"/api/v1/contracts/{made.contract_id + 1}/document")
    assert missing.status_code == 404


async def test_the_document_is_read_with_the_same_number_of_queries_whatever_the_contract_holds(as_user, count_queries):
    made = await s.made_contract()
    http = await as_user(await make_actor(Role.NATIONAL_ADMIN))
    path = f"/api/v1/contracts/{made.contract_id}/document"
    await http.get(path)  # warm: the first request of a session reads what it caches
    with count_queries() as bare:
        assert (await http.get(path)).status_code == 200
    await s.allocate(made.contract_id)
    for number in (1, 2, 3):
        await s.approve_variation(
            made.contract_id, number, kind="correction", reason="x", effective_on=date(2027, 5, 1)
        )
    with count_queries() as full:
        assert (await http.get(path)).status_code == 200
    assert full.total == bare.total, (str(bare), str(full))
