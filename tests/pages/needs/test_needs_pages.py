"""The needs pages: a commissioner records a need (the form again with the error summary when an answer is wrong),
links plan priorities from the need's page, and records engagement from the need's, priority's and specification's
pages; in English and Welsh; the list reads as often with many needs as with one."""

from __future__ import annotations

from itertools import count

import pytest

from needs.rules import NeedPriority, NeedSource
from needs.tables import Engagement, Need, NeedCluster
from tests import commissioning_support as commissioning
from tests import factories
from tests import needs_support as support
from tests.conftest import csrf_from, make_actor
from tests.pages.markup import (
    element_ids,
    error_summary_links,
    fields_in_error,
    html_lang,
    not_offered,
    success_banner,
    text_of,
)
from tests.query_count import statements_do_not_grow

_names = count(1)


async def _post(http, path, **values):
    token = csrf_from((await http.get("/sign-in")).text)
    return await http.post(path, data={**values, "_csrf_token": token})


async def test_a_commissioner_records_a_need_and_sees_it_on_its_page(client_as):
    http, _ = await client_as("commissioner")
    form = await http.get("/needs/new")
    assert form.status_code == 200
    clusters = await factories.cluster_ids("Cardiff North", "Cardiff West")
    answers = {
        "title": "Adult obesity",
        "description": "Above the Wales average",
        "source": "collaborative",
        "collaborative": "optometry",
        "cluster_ids": [str(c) for c in clusters],
        "population_affected": "1200",
        "priority": "high",
    }
    assert not_offered(form.text, answers) == set()
    done = await _post(http, "/needs/new", **answers)
    assert done.status_code in (302, 303), done.text
    page = await http.get(done.headers["location"])
    assert "The need is recorded" in (success_banner(page.text) or "")
    text = text_of(page.text)
    assert "Optometry collaborative" in text and "High priority" in text and "1,200" in text
    assert "optometry" not in text  # no stored code on screen
    assert "No plan priority answers this need yet." in text


async def test_wrong_answers_show_the_form_again_with_the_error_summary_and_nothing_is_saved(client_as):
    http, _ = await client_as("commissioner")
    answer = await _post(http, "/needs/new", title="", description="", source="pna", pna_year="twenty", priority="")
    assert answer.status_code == 400
    links = error_summary_links(answer.text)
    assert {"#title", "#description", "#cluster_ids", "#priority", "#pna_year"} <= set(links)
    assert set(link[1:] for link in links) <= element_ids(answer.text)
    assert {"title", "pna_year"} <= fields_in_error(answer.text)
    assert 'value="twenty"' in answer.text  # the answer as typed
    # The source's own rule (the assessment's title and year) lands on its fields too.
    clusters = [str(c) for c in await factories.cluster_ids("Cardiff North")]
    answer = await _post(
        http, "/needs/new", title="X", description="Y", source="pna", cluster_ids=clusters, priority="low"
    )
    assert answer.status_code == 400 and {"#pna_title", "#pna_year"} <= set(error_summary_links(answer.text))
    assert await Need.count() == 0


async def test_the_need_page_links_plan_priorities_and_shows_which_answer_it(client_as):
    http, actor = await client_as("commissioner")
    need = await support.need(actor)
    priority = await support.priority(actor, title="Reduce adult obesity")
    page = await http.get(f"/needs/{need.id}")
    assert "Reduce adult obesity" in page.text and f'value="{priority}"' in page.text
    done = await _post(http, f"/needs/{need.id}/plan-priorities", plan_priority_ids=[str(priority)])
    assert done.status_code in (302, 303)
    page = await http.get(f"/needs/{need.id}")
    answered = page.text.split("Plan priorities answering this need", 1)[1].split("<form", 1)[0]
    assert "Reduce adult obesity" in answered
    wrong = await _post(http, f"/needs/{need.id}/plan-priorities", plan_priority_ids=["999999"])
    assert wrong.status_code == 400 and error_summary_links(wrong.text) == ["#plan_priority_ids"]


async def test_a_reader_sees_the_need_without_the_forms_and_another_pcpg_gets_not_found(client_as):
    owner = await make_actor("commissioner")
    need = await support.need(owner)
    admin, _ = await client_as("national_admin")
    page = await admin.get(f"/needs/{need.id}")
    assert page.status_code == 200 and "Adult obesity" in page.text
    assert "/plan-priorities" not in page.text and "Add an engagement" not in page.text
    other, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    assert (await other.get(f"/needs/{need.id}")).status_code == 404
    assert (await other.get(f"/needs/{need.id}/edit")).status_code == 404
    assert (await other.get(f"/engagement/new?need_id={need.id}")).status_code == 404


async def test_changing_a_need_shows_its_answers_and_saves_the_change(client_as):
    http, actor = await client_as("commissioner")
    need = await support.need(actor)
    form = await http.get(f"/needs/{need.id}/edit")
    assert 'value="Cardiff and Vale Population Needs Assessment"' in form.text
    answers = {
        "title": "Adult obesity in Cardiff",
        "description": need.description,
        "source": "cluster",
        "cluster_ids": [str(c.id) for c in need.clusters],
        "priority": "low",
    }
    done = await _post(http, f"/needs/{need.id}/edit", **answers)
    assert done.status_code in (302, 303), done.text
    row = await Need.select().where(Need.id == need.id).first()
    assert row["title"] == "Adult obesity in Cardiff" and row["priority"] == "low" and row["pna_title"] == ""
    wrong = await _post(http, f"/needs/{need.id}/edit", **{**answers, "title": "", "cluster_ids": []})
    assert wrong.status_code == 400 and {"#title", "#cluster_ids"} <= set(error_summary_links(wrong.text))
    assert await NeedCluster.count() == 1


async def test_the_needs_pages_read_in_welsh(client_as):
    http, actor = await client_as("commissioner")
    need = await support.need(actor, title_cy="Gordewdra oedolion")
    listed = await http.get("/needs?lang=cy")
    assert html_lang(listed.text) == "cy" and "Gordewdra oedolion" in listed.text
    english = await http.get("/needs?lang=en")
    assert "High priority" in english.text and "High priority" not in listed.text
    page = await http.get(f"/needs/{need.id}?lang=cy")
    assert html_lang(page.text) == "cy" and "Gordewdra oedolion" in page.text
    assert "Plan priorities answering this need" not in page.text
    form = await http.get("/needs/new?lang=cy")
    assert "Record a need" not in form.text


async def test_the_list_filters_by_priority_and_source_and_says_when_nothing_matches(client_as):
    http, actor = await client_as("commissioner")
    await support.need(actor, title="Loneliness", source=NeedSource.CLUSTER, priority=NeedPriority.MEDIUM)
    await support.need(actor, title="Obesity")
    page = await http.get("/needs", params={"priority": "medium"})
    assert "Loneliness" in page.text and "Obesity" not in page.text
    page = await http.get("/needs", params={"source": "pna", "priority": "medium"})
    assert "No needs match these choices." in page.text
    page = await http.get("/needs", params={"source": "nonsense", "priority": ""})
    assert page.status_code == 200 and "Loneliness" in page.text and "Obesity" in page.text


async def test_the_needs_list_reads_as_often_with_50_needs_as_with_1(client_as):
    http, _ = await client_as("commissioner")
    pcpg = await support.pcpg_id()
    clusters = await factories.cluster_ids("Cardiff North", "Cardiff West")

    async def add(n: int) -> None:
        saved = await Need.insert(
            *[factories.NeedFactory(pcpg=pcpg, title=f"Need {next(_names):03d}") for _ in range(n)]
        ).returning(Need.id)
        await NeedCluster.insert(*[NeedCluster(need=row["id"], cluster=c) for row in saved for c in clusters])

    few, many = await statements_do_not_grow(http, "/needs", add)
    assert few == many
    assert "Showing 1 to 25 of 50" in (await http.get("/needs")).text


async def test_engagement_is_recorded_from_a_need_with_the_error_summary_when_wrong(client_as):
    http, actor = await client_as("commissioner")
    need = await support.need(actor)
    form = await http.get(f"/engagement/new?need_id={need.id}")
    assert form.status_code == 200 and "Adult obesity" in form.text
    answers = {
        "kind": "llais_consultation",
        "held_on-day": "1",
        "held_on-month": "11",
        "held_on-year": "2026",
        "people_reached": "30",
        "groups_reached": "Carers",
        "what_they_said": "Evening sessions",
        "what_changed": "Evening sessions added",
    }
    assert not_offered(form.text, answers) == set()
    wrong = await _post(http, f"/engagement/new?need_id={need.id}", **{**answers, "held_on-month": "13", "kind": ""})
    assert wrong.status_code == 400 and {"#held_on", "#kind"} <= set(error_summary_links(wrong.text))
    assert await Engagement.count() == 0
    done = await _post(http, f"/engagement/new?need_id={need.id}", **answers)
    assert done.status_code in (302, 303) and done.headers["location"] == f"/needs/{need.id}"
    page = await http.get(f"/needs/{need.id}")
    text = text_of(page.text)
    assert "Llais (formerly Community Health Council) consultation, 1 November 2026" in text
    assert "30 people took part: Carers" in text and "Change this engagement" in text


async def test_a_plan_priority_lists_its_engagement_with_a_link_to_add_one(client_as):
    http, actor = await client_as("commissioner")
    priority = await support.priority(actor)
    page = await http.get("/plans")
    assert f"/engagement/new?plan_priority_id={priority}" in page.text
    await support.engagement(actor, plan_priority_id=priority, what_they_said="Closer to home")
    page = await http.get("/plans")
    assert "Closer to home" in page.text
    public = await http.__class__(transport=http._transport, base_url="http://testserver").get("/plans")
    assert "Closer to home" in public.text and "/engagement/new" not in public.text


@pytest.mark.usefixtures("menu")
async def test_the_public_specification_page_says_you_said_we_did_without_personal_data(client_as):
    http, actor = await client_as("commissioner")
    priority = await support.priority(actor)
    need = await support.need(actor)
    from needs.schemas import NeedPrioritiesIn
    from needs.services import needs

    await needs.link_plan_priorities(
        actor=actor, need_id=need.id, data=NeedPrioritiesIn(plan_priority_ids=[priority]), now=support.NOW
    )
    spec = await commissioning.published(actor, await commissioning.lines_for_term(), plan_priority_id=priority)
    own = await http.get(f"/specifications/{spec.id}")
    assert f"/engagement/new?specification_id={spec.id}" in own.text
    await support.engagement(actor, need_id=need.id, what_they_said="About the need", groups_reached="Young carers")
    await support.engagement(actor, specification_id=spec.id, what_they_said="About the service")
    public = await http.__class__(transport=http._transport, base_url="http://testserver").get(
        f"/specifications/{spec.id}"
    )
    section = text_of(public.text.split("You said, we did", 1)[1].split("Document", 1)[0])
    assert "About the need" in section and "About the service" in section and "Young carers" in section
    assert "14 people took part" in section
    assert actor.username not in public.text and "/engagement/" not in public.text
    welsh = await http.get(f"/specifications/{spec.id}?lang=cy")
    assert "You said, we did" not in welsh.text


@pytest.mark.parametrize(
    ("role", "shown"),
    [("commissioner", True), ("national_admin", True), ("finance_director", False), ("provider", False)],
)
async def test_the_needs_link_is_in_the_header_of_commissioners_and_national_admins(client_as, role, shown):
    http, _ = await client_as(role)
    page = await http.get("/dashboard")
    assert ('href="/needs"' in page.text) is shown
