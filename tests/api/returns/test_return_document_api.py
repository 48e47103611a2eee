"""GET /api/v1/returns/{id}/document: the delivery return as a PDF in numbered sections, in the reader's language
(issue 13, item 8), for whoever may read the return and nobody else."""

from __future__ import annotations

from datetime import date

from accounts.actor import Role
from returns.tables import ReturnVersion, ReturnWorkforce
from tests import contracts_support_document as pdf
from tests import contracts_support_lifecycle as cs
from tests import returns_support_document as r
from tests.bidding_support import as_user  # noqa: F401
from tests.conftest import make_actor
from tests.pages.markup import welsh

SECTIONS = (
    "The return",
    "Activity by cluster",
    "Spend",
    "Outcomes",
    "Workforce in post",
    "Narrative, and risks and issues",
    "Queries and versions",
)
EMPTY = (
    "No activity has been reported yet.",
    "No spend has been reported yet.",
    "No KPI value has been reported yet.",
    "No workforce has been reported yet.",
    "No narrative has been given yet.",
    "No risks or issues have been reported yet.",
    "The commissioner has raised no query on this return.",
    "No version has been submitted yet.",
)


async def test_the_return_pdf_opens_in_numbered_sections_with_its_figures_parties_and_people(as_user):  # noqa: F811
    made = await r.made_return()
    http = await as_user(made.commissioner)

    response = await http.get(f"/api/v1/returns/{made.return_id}/document")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith(f'attachment; filename="{made.reference}-2027-Q1.pdf"')
    text = pdf.pdf_text(response.content)
    headings = [text.index(f"{n}. {name}") for n, name in enumerate(SECTIONS, start=1)]
    assert headings == sorted(headings), "the sections are numbered in order"
    missing = [fact for fact in r.facts() if fact not in text]
    assert not missing, missing
    assert "Contracting authority Cardiff and Vale University Health Board" in text
    assert "Cardiff Pan Cluster Planning Group" in text
    assert "Quarter 2027-28 Q1" in text and "1 April 2027 to 30 June 2027" in text
    assert "Version Version 2" in text
    assert f"Submitted 20 July 2027 at 12:00 by {r.PROVIDER_NAME}" in text, "a name, not a username"
    assert made.provider.username not in text and made.commissioner.username not in text
    assert "Units (contacts)" in text and "Cardiff North 1,234" in text
    assert "Spend reported by the provider £31,500.00" in text
    assert "£1,500.00 more than the share (5.0 per cent)" in text
    assert "Reported spend per unit of activity £17.49" in text, "£31,500 over 1,801 contacts"
    assert "People seen within two weeks" in text and "85.5 90 Green" in text
    assert "Days waited count Lower is better 25 8 Red" in text
    assert "70 Not yet set" in text and "Amber" in text
    assert "Total 3.5" in text
    assert f"Spend {r.QUERY} {r.COMMISSIONER_NAME}" in text, "the query's field in words"
    assert text.count("payment") == 2, "reported spend is never called a payment (only the note says it is not one)"
    assert "Payment" not in text
    for words in EMPTY:
        assert words not in text, words


async def test_the_welsh_pdf_has_welsh_headings_and_facts_with_its_letters_intact(as_user):  # noqa: F811
    made = await r.made_return()
    http = await as_user(made.provider)

    response = await http.get(f"/api/v1/returns/{made.return_id}/document?lang=cy")

    assert response.status_code == 200, response.text
    text = pdf.pdf_text(response.content)
    for n, name in enumerate(SECTIONS, start=1):
        assert welsh(name) != name, name
        assert f"{n}. {welsh(name)}" in text
    assert "Activity by cluster" not in text and "Workforce in post" not in text and "Spend reported" not in text
    missing = [fact for fact in r.facts("cy") if fact not in text]
    assert not missing, missing
    assert "Siôn Gŵyn" in text and "Tŷ Gŵyr" in text, "ŵ and ŷ intact"
    assert "1 Ebrill 2027 i 30 Mehefin 2027" in text
    assert "Unedau (cysylltiadau)" in text


async def test_a_return_not_started_says_so_in_plain_words(as_user):  # noqa: F811
    made = await r.made_return(filled=False)
    http = await as_user(made.provider)

    text = pdf.pdf_text((await http.get(f"/api/v1/returns/{made.return_id}/document")).content)

    for words in EMPTY:
        assert words in text, words
    assert "Status Not started" in text and "Version Not submitted yet" in text
    assert "The quarter's share of the annual value £30,000.00" in text
    assert "Not reported Not yet set Not rated" in text


async def test_the_return_document_is_for_its_readers_only(as_user):  # noqa: F811
    made = await r.made_return()
    readers = [
        (made.provider, 200),
        (made.commissioner, 200),
        (await make_actor(Role.FINANCE_DIRECTOR), 200),
        (await make_actor(Role.NATIONAL_ADMIN), 200),
        (await make_actor(Role.PROVIDER, with_vehicle=True), 404),
        (await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",)), 404),
        (await make_actor(Role.FINANCE_DIRECTOR, health_board_name="Swansea Bay University Health Board"), 404),
        (await make_actor(Role.EVALUATOR), 403),
    ]
    paths = [
        f"/api/v1/returns/{made.return_id}/document",
        f"/returns/{made.return_id}/document",
        f"/returns/{made.return_id}/document.pdf",
    ]
    for actor, expected in readers:
        http = await as_user(actor)
        for path in paths:
            response = await http.get(path)
            assert response.status_code == expected, (actor.role, path, response.status_code)
    admin = await as_user(await make_actor(Role.NATIONAL_ADMIN))
    assert (await admin.get(f"/api/v1/returns/{made.return_id + 1000}/document")).status_code == 404
    assert (await admin.get("/returns/99999999999/document")).status_code == 404


async def test_the_document_is_read_with_the_same_number_of_queries_whatever_the_return_holds(
    as_user,  # noqa: F811
    count_queries,
):
    made = await r.made_return()
    http = await as_user(await make_actor(Role.NATIONAL_ADMIN))
    path = f"/api/v1/returns/{made.return_id}/document"
    await http.get(path)  # warm: the first request of a session reads what it caches
    with count_queries() as before:
        assert (await http.get(path)).status_code == 200
    await ReturnWorkforce.insert(ReturnWorkforce(delivery_return=made.return_id, staff_group="other", wte="4"))
    for version in (3, 4):
        await ReturnVersion.insert(
            ReturnVersion(
                delivery_return=made.return_id,
                version=version,
                kind="corrected",
                made_at=cs.at(date(2027, 8, version)),
                made_by_username=made.commissioner.username,
                reason="A figure was wrong",
                figures={},
            )
        )
    with count_queries() as after:
        text = pdf.pdf_text((await http.get(path)).content)
    assert "Total 7.5" in text and text.count("A figure was wrong") == 2
    assert after.total == before.total, (str(before), str(after))
