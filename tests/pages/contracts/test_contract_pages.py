"""The contract pages: the list each reader sees (filtered without JavaScript, sorted, paged, with an empty state),
a contract's page with its sections and action links, in English and Welsh, and its public page, which names nobody."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

from accounts.actor import Actor
from contracts.queries import variations as variation_queries
from contracts.rules import VariationKind
from contracts.schemas.variation import DecisionIn, VariationIn, YearValueIn
from contracts.services import variations as variation_services
from contracts.tables import Contract
from tests import commissioning_support, factories
from tests import contracts_support_read as support
from tests import contracts_support_variations as cs
from tests.conftest import make_actor
from tests.pages.markup import links, summary_rows, table_rows, text_of, welsh


async def _reference(contract_id: int) -> str:
    row = await Contract.select(Contract.reference).where(Contract.id == contract_id).first()
    assert row is not None
    return str(row["reference"])


def _listed(page: str) -> list[str]:
    """The contracts' titles, as the list links them, in order."""
    return [text for href, text in links(page) if re.fullmatch(r"/contracts/\d+", href)]


async def test_a_provider_sees_my_contracts_with_its_own_contract_only(client_as):
    mine = await factories.create_vehicle()
    theirs = await factories.create_vehicle()
    own = await support.contract(vehicle_id=mine.id, title="Ours")
    other = await support.contract(vehicle_id=theirs.id, title="Theirs")
    http, _ = await client_as("provider", delivery_vehicle_id=mine.id)
    page = (await http.get("/contracts")).text
    assert "<h1>My contracts</h1>" in page
    assert ("/contracts", "My contracts") in links(page)
    assert _listed(page) == ["Ours"]
    assert (await http.get(f"/contracts/{own}")).status_code == 200
    assert (await http.get(f"/contracts/{other}")).status_code == 404


async def test_a_finance_director_never_sees_another_health_boards_contract(client_as):
    cardiff = await support.contract(pcpg="Cardiff", title="Cardiff one")
    swansea = await support.contract(pcpg="Swansea Bay", title="Swansea one")
    http, _ = await client_as("finance_director")
    page = (await http.get("/contracts")).text
    assert _listed(page) == ["Cardiff one"]
    assert ("/contracts", "Contracts") in links(page)
    assert (await http.get(f"/contracts/{cardiff}")).status_code == 200
    assert (await http.get(f"/contracts/{swansea}")).status_code == 404


async def test_an_evaluator_has_no_contracts_page_nor_link(client_as):
    http, _ = await client_as("evaluator")
    assert (await http.get("/contracts")).status_code == 403
    assert ("/contracts", "Contracts") not in links((await http.get("/dashboard")).text)


async def test_the_filter_form_works_without_javascript_and_says_when_nothing_matches(client_as):
    await support.contract(title="Alpha", years={2027: 10_000_00})
    await support.contract(title="Bravo", years={2029: 10_000_00})
    http, _ = await client_as("commissioner")
    everything = (await http.get("/contracts?status=&financial_year=&service=&pcpg=&sort=title")).text
    assert _listed(everything) == ["Alpha", "Bravo"]
    backwards = (await http.get("/contracts?sort=-title")).text
    assert _listed(backwards) == ["Bravo", "Alpha"]
    year = (await http.get("/contracts?financial_year=2029")).text
    assert _listed(year) == ["Bravo"]
    none = (await http.get("/contracts?status=live")).text
    assert _listed(none) == []
    assert "No contracts match these filters." in text_of(none)


async def test_a_reader_with_no_contract_is_told_how_one_is_made(client_as):
    http, _ = await client_as("commissioner")
    page = text_of((await http.get("/contracts")).text)
    assert "There are no contracts to show yet." in page


async def test_the_list_is_paged_in_25s(client_as):
    by = await make_actor("commissioner")
    for _ in range(26):
        await support.contract(by=by)
    http, _ = await client_as("commissioner")
    first = (await http.get("/contracts")).text
    assert len(_listed(first)) == 25
    assert "Showing 1 to 25 of 26" in text_of(first)
    second = (await http.get("/contracts?offset=25")).text
    assert len(_listed(second)) == 1


async def test_the_contract_page_has_its_sections_and_the_commissioners_action_links(client_as):
    by = await make_actor("commissioner", full_name="Gareth Price")
    vehicle = await factories.create_vehicle(name="Bay Health CIC")
    contract_id = await support.contract(vehicle_id=vehicle.id, by=by, years={2027: 40_000_01})
    http, _ = await client_as("commissioner")
    page = (await http.get(f"/contracts/{contract_id}")).text
    rows = dict(summary_rows(page))
    assert rows["Provider (delivery vehicle)"] == "Bay Health CIC"
    assert rows["Contracting authority"] == "Cardiff and Vale University Health Board"
    for heading in (
        "Particulars",
        "Allocations by cluster",
        "KPIs",
        "Activity plan",
        "Payment schedule",
        "Reporting schedule",
        "History",
    ):
        assert f">{heading}</h2>" in page
    assert (f"/contracts/{contract_id}/mobilise", "Confirm mobilisation: the service is live") in links(page)
    assert (f"/contracts/{contract_id}/terminate", "Terminate the contract") in links(page)
    assert "Gareth Price" in page and by.username not in text_of(page)
    provider, _ = await client_as("provider", delivery_vehicle_id=vehicle.id)
    read_only = (await provider.get(f"/contracts/{contract_id}")).text
    assert f"/contracts/{contract_id}/mobilise" not in read_only


async def test_a_national_administrator_is_offered_no_move_it_would_be_refused(client_as):
    """The lifecycle and proposal pages are a commissioner's: a national administrator decides variations only, so
    its contract page links to none of them (each would answer 403)."""
    contract_id = await support.contract(years={2027: 40_000_00})
    http, _ = await client_as("national_admin")
    page = (await http.get(f"/contracts/{contract_id}")).text
    offered = [href for href, _ in links(page) if href.startswith(f"/contracts/{contract_id}/")]
    for slug in ("mobilise", "kpis", "allocations", "terminate", "variations/new"):
        assert f"/contracts/{contract_id}/{slug}" not in offered
        assert (await http.get(f"/contracts/{contract_id}/{slug}")).status_code == 403
    assert f"/contracts/{contract_id}/public" in offered


async def test_the_contract_page_in_welsh_shows_welsh_labels(client_as):
    contract_id = await support.contract(title="Weight management", title_cy="Rheoli pwysau")
    http, _ = await client_as("commissioner")
    page = (await http.get(f"/contracts/{contract_id}?lang=cy")).text
    assert "<h1>Rheoli pwysau</h1>" in page
    for english in ("Particulars", "Payment schedule", "Reporting schedule", "Mobilising", "Terminate the contract"):
        assert welsh(english) != english, english
        assert welsh(english) in text_of(page), english
    assert ">Payment schedule<" not in page
    english = (await http.get(f"/contracts/{contract_id}?lang=en")).text
    assert "<h1>Weight management</h1>" in english


async def _vary(made: cs.Made, change: VariationIn, *, approve_by: Actor | None, note: str = "") -> None:
    """A variation proposed by the contract's commissioner through the real service; approved when `approve_by`."""
    number = await variation_services.propose_variation(
        actor=made.proposer, contract_id=made.contract_id, change=change, now=commissioning_support.now()
    )
    if approve_by is not None:
        await variation_services.approve_variation(
            actor=approve_by,
            contract_id=made.contract_id,
            number=number,
            decision=DecisionIn(note=note),
            now=commissioning_support.now(),
        )


def _values(**years: int) -> list[YearValueIn]:
    return [YearValueIn(financial_year=int(year[1:]), value_pence=pence) for year, pence in years.items()]


async def test_the_public_page_shows_parties_values_and_approved_changes_without_naming_anyone(client):
    made = await cs.contract(extra_line_years=(2029,))
    decider = await make_actor("commissioner", full_name="Gareth Price")
    await _vary(
        made,
        VariationIn(
            kind=VariationKind.EXTENSION,
            reason="Agreed with Mrs Eleri Jones of Llanrumney",
            effective_on=date(2028, 6, 1),
            annual_values=_values(y2027=100_000_00, y2028=120_000_00, y2029=50_000_00),
        ),
        approve_by=decider,
        note="Spoke to Mr Dai Morgan",
    )
    await _vary(
        made,
        VariationIn(
            kind=VariationKind.PRICE_CHANGE,
            reason="Waiting",
            effective_on=date(2028, 4, 1),
            annual_values=_values(y2027=100_000_00, y2028=130_000_00, y2029=50_000_00),
        ),
        approve_by=None,
    )
    page = (await client.get(f"/contracts/{made.contract_id}/public")).text
    rows = dict(summary_rows(page))
    assert rows["Managed by"] == "Cardiff Pan Cluster Planning Group"
    changes = table_rows(page)[-1]
    assert changes[:3] == ["1", "Extension", "1 June 2028"]
    assert "Term ends: 31 March 2029 -> 31 March 2030" in unescape(changes[3])
    assert "Annual value 2029-30: added, £50,000.00" in unescape(changes[3])
    assert "Price change" not in page, "a variation waiting for a decision is not published"
    for personal in (
        made.proposer.username,
        decider.username,
        "Gareth Price",
        "Eleri Jones",
        "Dai Morgan",
        "Llanrumney",
    ):
        assert personal not in page, personal
    assert "£100,000.00" in page


async def test_a_commissioner_sees_its_pcpgs_contracts_only(client_as):
    cardiff = await support.contract(pcpg="Cardiff", title="Cardiff one")
    vale = await support.contract(pcpg="Vale of Glamorgan", clusters=["Central Vale"], title="Vale one")
    http, _ = await client_as("commissioner")
    assert _listed((await http.get("/contracts")).text) == ["Cardiff one"]
    assert (await http.get(f"/contracts/{cardiff}")).status_code == 200
    assert (await http.get(f"/contracts/{vale}")).status_code == 404


async def test_a_published_change_says_what_it_changed_from_and_to_as_the_history_does(client):
    made = await cs.contract()
    colleague = await make_actor("commissioner")
    await _vary(
        made,
        VariationIn(
            kind=VariationKind.PRICE_CHANGE,
            reason="More sessions",
            effective_on=date(2028, 4, 1),
            annual_values=_values(y2027=100_000_00, y2028=135_000_00),
        ),
        approve_by=colleague,
    )
    changed = unescape(text_of((await client.get(f"/contracts/{made.contract_id}/public")).text))
    assert "Annual value 2028-29: £120,000.00 -> £135,000.00" in changed
    assert "Annual value 2027-28" not in changed  # a year that did not change is not listed
    history = await variation_queries.history(actor=colleague, contract_id=made.contract_id)
    assert all(line in changed for line in history[-1].changes), "the same words as the contract's history"
    welsh_page = unescape(text_of((await client.get(f"/contracts/{made.contract_id}/public?lang=cy")).text))
    assert "Annual value 2028-29" not in welsh_page
    assert welsh("Price change") in welsh_page


async def test_the_public_page_of_no_contract_is_not_found(client):
    assert (await client.get("/contracts/999999/public")).status_code == 404
