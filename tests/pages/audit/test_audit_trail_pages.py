"""The audit trail as a person reads it (issue 10, item 11): each event a sentence in their language, filters by UK
days, kind of event, person and record, sign-ins apart unless asked for, and a CSV of what the filters show; a
commissioner never meets another PCPG's events, in the page, its lists, the CSV or the API."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from accounts.actor import Actor, Role
from accounts.services.sign_in import sign_in
from accounts.tables import User
from audit.tables import AuditEvent
from core.cache import EVERY_CACHED_READ
from finance.schemas import BudgetLineChangeIn
from finance.services import change_budget_line
from organisations.tables import DeliveryVehicle
from tests import commissioning_support as support
from tests import factories
from tests.browser.plain_words import codes_in_text
from tests.conftest import PASSWORD, make_actor
from tests.pages.markup import error_summary_links, table_rows, text_of, welsh
from tests.pages.test_filter_forms import get_forms, submissions
from tests.query_count import statements_do_not_grow, statements_for

PUBLISHED = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # 1 December 2026 at 10:00 (GMT)
CHANGED = datetime(2027, 7, 1, 23, 30, tzinfo=UTC)  # 2 July 2027 at 00:30 in the UK (BST)
SIGNED_IN = datetime(2027, 7, 2, 8, 0, tzinfo=UTC)
CODES = ("specification.published", "budget_line.changed", "user.signed_in", "BudgetLine", "cluster_funding", "#")


@dataclass
class Trail:
    anna: Actor  # commissioner of Cardiff
    rhys: Actor  # finance director of Cardiff and Vale
    sian: Actor  # commissioner of Swansea Bay
    admin: Actor
    cardiff_reference: str
    swansea_reference: str


@pytest.fixture
async def trail(menu: None) -> Trail:
    """Cardiff and Swansea Bay each publish a specification on 1 December 2026; Cardiff's budget line is changed just
    after midnight (UK time) on 2 July 2027, and Anna signs in that morning."""
    admin = await make_actor(Role.NATIONAL_ADMIN, full_name="Alys Morgan")
    anna = await make_actor(Role.COMMISSIONER, username="anna", full_name="Anna Price")
    rhys = await make_actor(Role.FINANCE_DIRECTOR, full_name="Rhys Jones")
    sian = await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",), full_name="Siân Davies")
    cardiff_line = await support.budget_line(actor=admin, amount_pence=500_000_00)
    swansea_line = await support.budget_line(pcpg="Swansea Bay", actor=admin, amount_pence=400_000_00)
    cardiff = await support.published(anna, [cardiff_line], at=PUBLISHED, value_pence=80_000_00)
    swansea = await support.published(
        sian, [swansea_line], at=PUBLISHED, pcpg="Swansea Bay", clusters=("Afan", "Penderi"), value_pence=50_000_00
    )
    await change_budget_line(
        actor=rhys, budget_line_id=cardiff_line.id, data=BudgetLineChangeIn(amount_pence=120_000_00), now=CHANGED
    )
    await sign_in(username="anna", password=PASSWORD, now=SIGNED_IN)
    return Trail(anna, rhys, sian, admin, cardiff.reference, swansea.reference)


def _visible(page: str) -> str:
    """The text a person reads (not the page's scripts)."""
    return text_of(re.sub(r"<script.*?</script>", " ", page, flags=re.S))


def _rows(page: str) -> list[list[str]]:
    """Each event's When, Who, What and Record (without the headings a small screen shows in each cell)."""
    cells = re.sub(r'<span class="nhsuk-table-responsive__heading"[^>]*>.*?</span>', "", page, flags=re.S)
    return table_rows(cells)


def _said(page: str) -> list[str]:
    return [row[2] for row in _rows(page)]


def _options(page: str, name: str) -> dict[str, str]:
    """A select's options: the words shown by the value sent."""
    found = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)
    assert found, name
    return {
        value: text_of(text) for value, text in re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', found[0])
    }


async def _page(http: httpx.AsyncClient, **query: Any) -> str:
    answer = await http.get("/audit", params={"lang": "en", **query})
    assert answer.status_code == 200, answer.text[:500]
    return answer.text


async def test_each_event_reads_as_a_sentence_naming_who_what_and_the_record_in_words(trail, as_user):
    page = await _page(await as_user(trail.anna))
    rows = _rows(page)
    assert [
        "2 July 2027 at 00:30",
        "Rhys Jones",
        ("Rhys Jones set the budget line Cardiff, 2027-28, Cluster funding to £120,000.00 (it was £500,000.00)"),
        "The budget line Cardiff, 2027-28, Cluster funding",
    ] in rows
    assert [
        "1 December 2026 at 10:00",
        "Anna Price",
        f"Anna Price published specification {trail.cardiff_reference}",
        f"Specification {trail.cardiff_reference}",
    ] in rows
    assert (
        "Anna Price earmarked £80,000.00 on the budget line Cardiff, 2027-28, Cluster funding for specification "
        f"{trail.cardiff_reference}" in _said(page)
    )
    shown = text_of(page)
    for code in CODES:
        assert code not in shown, code
    assert codes_in_text(_visible(page)) == []
    assert codes_in_text(_visible(await _page(await as_user(trail.admin), sign_ins="true"))) == []


async def test_welsh_readers_read_the_trail_in_welsh(trail, as_user):
    http = await as_user(trail.anna)
    page = (await http.get("/audit", params={"lang": "cy"})).text
    published = welsh(
        "%(who)s published %(record)s",
        who="Anna Price",
        record=welsh("specification %(reference)s", reference=trail.cardiff_reference),
    )
    assert published in _said(page)
    assert published.startswith("Cyhoeddodd")
    changed = next(row for row in _rows(page) if row[1] == "Rhys Jones")
    assert changed[0] == "2 Gorffennaf 2027 am 00:30"
    assert "Caerdydd, 2027-28, Cyllid clwstwr" in changed[2]
    assert _options(page, "action")["specification.published"] == welsh("Specification published")


async def test_a_commissioner_never_meets_another_pcpgs_events_or_people(trail, as_user):
    anna = await as_user(trail.anna)
    page = await _page(anna)
    assert trail.swansea_reference not in page and "Siân Davies" not in page
    assert "Siân Davies" not in _options(page, "person").values()
    assert "Anna Price" in _options(page, "person").values()
    assert not _rows(await _page(anna, record=trail.swansea_reference))
    download = (await anna.get("/audit/events.csv", params={"lang": "en"})).text
    assert trail.cardiff_reference in download and trail.swansea_reference not in download
    api = (await anna.get("/api/v1/audit/events", params={"limit": 200})).json()
    assert not any(trail.swansea_reference in event["what"] for event in api["items"])
    # Negative control: the national administrator sees both.
    everything = await _page(await as_user(trail.admin))
    assert trail.swansea_reference in everything and "Siân Davies" in _options(everything, "person").values()


async def test_days_are_uk_days_from_and_to_inclusive(trail, as_user):
    http = await as_user(trail.anna)
    second = {
        "from-day": "2",
        "from-month": "7",
        "from-year": "2027",
        "to-day": "2",
        "to-month": "7",
        "to-year": "2027",
    }
    assert [row[1] for row in _rows(await _page(http, **second))] == ["Rhys Jones"]
    first = {**second, "from-day": "1", "to-day": "1"}
    assert _rows(await _page(http, **first)) == []  # 23:30 UTC on 1 July is 2 July in the UK
    december = {"to-day": "1", "to-month": "12", "to-year": "2026"}
    assert {row[1] for row in _rows(await _page(http, **december))} == {"Anna Price"}
    since = {"from-day": "2", "from-month": "7", "from-year": "2027"}
    assert {row[1] for row in _rows(await _page(http, **since))} == {"Rhys Jones"}


async def test_a_day_that_does_not_exist_is_shown_as_an_error_and_the_other_filters_still_apply(trail, as_user):
    http = await as_user(trail.anna)
    page = await _page(http, **{"from-day": "31", "from-month": "2", "from-year": "2027"}, person=trail.rhys.user_id)
    assert error_summary_links(page) == ["#from-day"]
    assert "Enter a real date, like 1 4 2027" in text_of(page)
    assert 'value="31"' in page
    assert {row[1] for row in _rows(page)} == {"Rhys Jones"}
    backwards = {
        "from-day": "2",
        "from-month": "7",
        "from-year": "2027",
        "to-day": "1",
        "to-month": "7",
        "to-year": "2027",
    }
    page = await _page(http, **backwards)
    assert error_summary_links(page) == ["#to-day"]
    assert "The last day must be the same as or after the first day" in text_of(page)


async def test_kinds_of_event_are_chosen_by_their_words(trail, as_user):
    http = await as_user(trail.anna)
    kinds = _options(await _page(http), "action")
    assert kinds["specification.published"] == "Specification published"
    assert kinds["budget_line.changed"] == "Budget changed"
    assert kinds[""] == "All kinds of event"
    assert "user.signed_in" not in kinds  # a commissioner's trail holds no sign-ins (no PCPG)
    page = await _page(http, action="specification.published")
    assert _said(page) == [f"Anna Price published specification {trail.cardiff_reference}"]


async def test_people_are_chosen_by_name_from_those_in_the_readers_trail(trail, as_user):
    http = await as_user(trail.anna)
    people = _options(await _page(http), "person")
    assert people[str(trail.rhys.user_id)] == "Rhys Jones"
    assert people[str(trail.anna.user_id)] == "Anna Price"
    assert "Alys Morgan" in people.values()  # she set the budget lines
    rows = _rows(await _page(http, person=trail.rhys.user_id))
    assert {row[1] for row in rows} == {"Rhys Jones"}


async def test_records_are_found_by_reference_or_name_and_by_kind(trail, as_user):
    http = await as_user(trail.admin)
    said = _said(await _page(http, record=trail.cardiff_reference.lower()))
    assert f"Anna Price published specification {trail.cardiff_reference}" in said
    assert all(trail.cardiff_reference in sentence for sentence in said)
    assert not any(trail.swansea_reference in sentence for sentence in said)
    budget = _rows(await _page(http, record_type="BudgetLine"))
    assert budget and all(row[3].startswith("The budget line") for row in budget)
    assert {row[3] for row in _rows(await _page(http, record_type="BudgetLine", record="swansea"))} == {
        "The budget line Swansea Bay, 2027-28, Cluster funding"
    }
    types = _options(await _page(http), "record_type")
    assert types["BudgetLine"] == "Budget line" and types["Specification"] == "Specification"
    assert _rows(await _page(http, record="100%_")) == []  # the reader's % and _ are plain characters


async def test_sign_ins_are_left_out_unless_asked_for(trail, as_user):
    http = await as_user(trail.admin)
    signed_in = "Anna Price signed in"
    assert signed_in not in _said(await _page(http))
    assert signed_in in _said(await _page(http, sign_ins="true"))
    assert _said(await _page(http, action="user.signed_in")) == [signed_in]
    page = await _page(http)
    assert 'name="sign_ins"' in page and _options(page, "action")["user.signed_in"] == "Signed in"
    everything = await AuditEvent.count()
    shown = (await http.get("/api/v1/audit/events", params={"sign_ins": "true"})).json()["total"]
    assert shown == everything
    assert (await http.get("/api/v1/audit/events")).json()["total"] == everything - 1


async def test_a_broken_chain_is_shown_to_a_national_admin_by_when_its_first_bad_event_was_recorded(trail, as_user):
    """No number and no hash: the page shows neither for any event (issue 11, item 2), so it names the bad one by
    the time shown in its row, and leaves the details to `cdv audit verify`."""
    http = await as_user(trail.admin)
    assert "The chain of" in text_of(await _page(http))
    await AuditEvent.update({AuditEvent.after: {"amount_pence": 1}}).where(AuditEvent.action == "budget_line.changed")
    summary = re.search(r'<div class="nhsuk-error-summary".*?</div></div>', await _page(http), re.S)
    assert summary is not None
    assert text_of(summary.group(0)) == (
        "The audit chain is broken The first event found changed or out of place was recorded on 2 July 2027 at "
        "00:30. Whoever runs the service can find which event it is, and what is wrong with it, with the command "
        "cdv audit verify."
    )
    welsh_page = (await http.get("/audit", params={"lang": "cy"})).text
    recorded = "The first event found changed or out of place was recorded on %(when)s."
    assert welsh(recorded, when="2 Gorffennaf 2027 am 00:30") in text_of(welsh_page)
    assert "The audit chain is broken" not in text_of(await _page(await as_user(trail.anna)))


async def test_the_csv_holds_the_filtered_events_in_plain_words(trail, as_user):
    http = await as_user(trail.anna)
    page = await _page(http, person=trail.rhys.user_id)
    link = next(href for href in _links(page) if href.startswith("/audit/events.csv"))
    assert f"person={trail.rhys.user_id}" in link
    answer = await http.get(link)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(answer.text.removeprefix("\ufeff"))))
    assert rows == [
        ["When (UK time)", "Who", "What", "Record"],
        [
            "2 July 2027 at 00:30",
            "Rhys Jones",
            "Rhys Jones set the budget line Cardiff, 2027-28, Cluster funding to £120,000.00 (it was £500,000.00)",
            "The budget line Cardiff, 2027-28, Cluster funding",
        ],
    ]
    everything = list(csv.reader(io.StringIO((await http.get("/audit/events.csv?lang=en")).text)))
    assert len(everything) - 1 == (await http.get("/api/v1/audit/events")).json()["total"]
    in_welsh = (await http.get(link.replace("lang=en", "lang=cy") if "lang=" in link else link + "&lang=cy")).text
    assert in_welsh.removeprefix("\ufeff").startswith(",".join([welsh("When (UK time)"), welsh("Who")]))


async def test_the_api_filters_and_downloads_the_same_way(trail, as_user):
    http = await as_user(trail.admin)
    found = (await http.get("/api/v1/audit/events", params={"record": trail.swansea_reference})).json()
    assert found["total"] >= 2
    published = next(event for event in found["items"] if event["action"] == "specification.published")
    assert published["what"] == f"Siân Davies published specification {trail.swansea_reference}"
    assert published["who"] == "Siân Davies" and published["record"] == f"Specification {trail.swansea_reference}"
    by_day = await http.get("/api/v1/audit/events", params={"from_on": "2027-07-02", "to_on": "2027-07-02"})
    assert [event["who"] for event in by_day.json()["items"]] == ["Rhys Jones"]
    backwards = await http.get("/api/v1/audit/events", params={"from_on": "2027-07-02", "to_on": "2027-07-01"})
    assert backwards.status_code == 422
    download = await http.get("/api/v1/audit/events.csv", params={"person": trail.rhys.user_id})
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert len(list(csv.reader(io.StringIO(download.text)))) == 2


async def test_the_filter_form_answers_every_combination_a_browser_can_send(trail, as_user):
    for reader in (trail.admin, trail.anna):
        http = await as_user(reader)
        page = await _page(http)
        form = next(form for form in get_forms(page) if form["action"] == "/audit")
        assert {"action", "person", "record_type"} <= set(form["selects"])  # type: ignore[arg-type]
        assert {"from-day", "to-year", "record"} <= set(form["inputs"])  # type: ignore[arg-type]
        tried = [*submissions(form), {**submissions(form)[0], "sign_ins": "true"}]
        for values in tried:
            answer = await http.get(f"/audit?{urlencode(values)}")
            assert answer.status_code == 200, (values, answer.text[:300])
            assert not error_summary_links(answer.text), values
            csv_answer = await http.get(f"/audit/events.csv?{urlencode(values)}")
            assert csv_answer.status_code == 200, values


async def test_the_page_and_the_csv_read_as_often_with_50_events_as_with_1(as_user, monkeypatch):
    """Names and records are read for a page of events at once: 50 events by 50 people about 50 vehicles cost the
    statements one does."""
    for cached in EVERY_CACHED_READ:  # a busy machine can take a second between two asks
        monkeypatch.setattr(cached, "ttl", 3600.0)
    http = await as_user(await make_actor(Role.NATIONAL_ADMIN))

    async def events(n: int) -> None:
        start = await AuditEvent.count()
        vehicles = await DeliveryVehicle.insert(
            *[factories.DeliveryVehicleFactory(name=f"Vehicle {start + i} CIC") for i in range(n)]
        ).returning(DeliveryVehicle.id)
        people = await User.insert(*[factories.UserFactory(role="commissioner") for _ in range(n)]).returning(
            User.id, User.username
        )
        await AuditEvent.insert(
            *[
                factories.AuditEventFactory(
                    sequence=start + i + 1,
                    action="delivery_vehicle.approved",
                    entity_type="DeliveryVehicle",
                    entity_id=str(vehicle["id"]),
                    actor_user_id=person["id"],
                    actor_username=person["username"],
                    after={"status": "approved", "reason": ""},
                )
                for i, (vehicle, person) in enumerate(zip(vehicles, people, strict=True))
            ]
        )

    few, many = await statements_do_not_grow(http, "/audit", events)
    assert few == many
    page = (await http.get("/audit")).text
    assert len(table_rows(page)) == 50
    assert "approved the delivery vehicle Vehicle 1 CIC" in text_of(page)
    fifty = await statements_for(http, "/audit/events.csv")
    await events(50)
    assert await statements_for(http, "/audit/events.csv") == fifty
    assert len((await http.get("/audit/events.csv")).text.splitlines()) == 101


def _links(page: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', page)]


async def test_a_csv_longer_than_a_batch_holds_every_event_once_newest_first(trail, as_user, monkeypatch):
    """The CSV is read a batch of events at a time (never the whole trail at once): with batches of 3, each event
    still appears once, in the page's order."""
    import audit.queries

    monkeypatch.setattr(audit.queries, "CSV_BATCH", 3)
    http = await as_user(trail.admin)
    listed = (await http.get("/api/v1/audit/events", params={"limit": 200, "sign_ins": "true"})).json()
    assert listed["total"] > 7
    download = await http.get("/audit/events.csv", params={"sign_ins": "true", "lang": "en"})
    rows = list(csv.reader(io.StringIO(download.text.removeprefix("\ufeff"))))[1:]
    assert [row[2] for row in rows] == [event["what"] for event in listed["items"]]
