"""Check your answers before the two irreversible steps of a specification (issue 10, bullet 9).

Publishing: the whole draft section by section, each with a Change link naming its section, then the budget effect;
no Publish button while a budget line lacks the headroom, with the line, its link and the shortfall said plainly.
Cancelling: the reason first, then a check page (the specification, the reason with a Change link that keeps it,
the money released per budget line, who will know), then the button that cancels; nothing is written before it,
and the confirmation reads the reason again as if it were typed."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from accounts.actor import Role
from audit.tables import AuditEvent
from commissioning.tables import Specification
from finance.schemas import BudgetLineChangeIn
from finance.services import change_budget_line
from finance.tables import BudgetEarmark
from tests import commissioning_support as support
from tests.conftest import csrf_from, make_actor
from tests.pages.markup import (
    element_ids,
    error_summary_links,
    html_lang,
    links,
    success_banner,
    summary_rows,
    text_of,
    welsh,
)

REASON = "The health board now provides this service itself"
SECTIONS = {
    "particulars": "Title, description and deadline",
    "clusters": "Clusters covered",
    "money": "Term, maximum values and budget lines",
    "kpis": "Outcome measures (KPIs)",
    "criteria": "Evaluation criteria and weights",
}


def _changes(page: str) -> dict[str, str]:
    """Each Change link's target and what a screen reader hears for it."""
    return {href: text for href, text in links(page) if text.startswith(("Change", "Newid"))}


async def _open_then_post(
    http: httpx.AsyncClient, form_path: str, post_path: str, data: dict[str, str]
) -> httpx.Response:
    page = await http.get(form_path)
    assert page.status_code == 200, page.text[:500]
    return await http.post(post_path, data={**data, "_csrf_token": csrf_from(page.text)})


async def _still_held(spec_id: int) -> int:
    return await BudgetEarmark.count().where(
        (BudgetEarmark.specification == spec_id) & BudgetEarmark.released_at.is_null()
    )


# Publishing


async def test_the_publish_check_shows_each_section_with_a_change_link_that_names_it(client_as, menu):
    http, actor = await client_as("commissioner")
    lines = await support.lines_for_term()
    spec = await support.draft(actor, lines)

    page = await http.get(f"/specifications/{spec.id}/publish")
    assert page.status_code == 200
    changes = _changes(page.text)
    for section, name in SECTIONS.items():
        assert changes[f"/specifications/{spec.id}/edit/{section}"] == f"Change ({name})"
    for number, criterion in enumerate(spec.criteria):
        assert changes[f"/specifications/{spec.id}/descriptors/{number}"] == (
            f"Change (Scoring descriptors: {criterion.title})"
        )
    rows = dict(summary_rows(page.text))
    assert rows["Title in English"] == spec.title
    assert rows["Title in Welsh"] == spec.title_cy
    assert rows["Clusters"] == "Cardiff North Cardiff West"
    assert rows["2027-28"] == "£200,000.00 from Cardiff, 2027-28, Cluster funding"
    assert rows["2028-29"] == "£200,000.00 from Cardiff, 2028-29, Cluster funding"
    assert rows["Total"] == "£400,000.00"
    assert rows["Bid deadline"] != "Not set"
    assert "Effect on the budget" in page.text
    assert "publish-button" in element_ids(page.text)

    # Once published there is nothing to check or change, and no button.
    published = await support.published(actor, lines)
    after = await http.get(f"/specifications/{published.id}/publish")
    assert "nothing to publish" in text_of(after.text)
    assert _changes(after.text) == {}
    assert "publish-button" not in element_ids(after.text)


async def test_the_publish_check_reads_in_welsh(client_as, menu):
    http, actor = await client_as("commissioner")
    spec = await support.draft(actor, await support.lines_for_term())
    page = await http.get(f"/specifications/{spec.id}/publish?lang=cy")
    assert page.status_code == 200 and html_lang(page.text) == "cy"
    assert welsh("Check the specification before you publish it") in text_of(page.text)
    changes = _changes(page.text)
    assert changes[f"/specifications/{spec.id}/edit/clusters"] == f"{welsh('Change')} ({welsh('Clusters covered')})"
    assert "Change (" not in " ".join(changes.values())
    rows = dict(summary_rows(page.text))
    assert welsh("Cluster funding") in rows["2027-28"]
    assert "Cluster funding" not in rows["2027-28"]


async def test_no_publish_button_while_a_budget_line_lacks_headroom_and_the_page_says_which_and_by_how_much(
    client_as, menu
):
    http, actor = await client_as("commissioner")
    roomy = await support.budget_line(year=2027, amount_pence=50_000_000)
    tight = await support.budget_line(year=2028, amount_pence=15_000_000)
    spec = await support.draft(actor, [roomy, tight])

    page = await http.get(f"/specifications/{spec.id}/publish")
    assert page.status_code == 200
    assert "publish-button" not in element_ids(page.text)
    said = text_of(page.text)
    assert (
        "Cardiff, 2028-29, Cluster funding has £150,000.00 left, but publishing would earmark £200,000.00 on it: "
        "£50,000.00 more than it has."
    ) in said
    assert "Cardiff, 2027-28, Cluster funding has" not in said  # the line with room is not blamed
    assert (f"/budgets/{tight.id}", "Cardiff, 2028-29, Cluster funding") in links(page.text)
    assert (f"/specifications/{spec.id}/edit/money", "Change the maximum values and budget lines") in links(page.text)

    # The finance director adds to the line: the shortfall goes and the button comes.
    admin = await make_actor(Role.NATIONAL_ADMIN)
    await change_budget_line(
        actor=admin, budget_line_id=tight.id, data=BudgetLineChangeIn(amount_pence=25_000_000), now=support.now()
    )
    again = await http.get(f"/specifications/{spec.id}/publish")
    assert "more than it has" not in text_of(again.text)
    assert "publish-button" in element_ids(again.text)


async def test_an_incomplete_draft_links_each_problem_to_the_section_that_puts_it_right(client_as, menu):
    http, actor = await client_as("commissioner")
    lines = await support.lines_for_term()
    spec = await support.draft(actor, lines, cluster_ids=[])
    page = await http.get(f"/specifications/{spec.id}/publish")
    assert (f"/specifications/{spec.id}/edit/clusters", "Select the clusters the service covers") in links(page.text)
    assert dict(summary_rows(page.text))["Clusters"] == "Not set yet"
    assert "publish-button" not in element_ids(page.text)

    complete = await support.draft(actor, lines)
    shown = await http.get(f"/specifications/{complete.id}/publish")
    assert "Before you can publish" not in shown.text
    assert "publish-button" in element_ids(shown.text)


# Cancelling


async def test_cancelling_goes_through_a_check_page_and_nothing_is_written_before_the_confirmation(
    client, client_as, menu
):
    http, actor = await client_as("commissioner")
    spec = await support.published(actor, await support.lines_for_term())
    events = await AuditEvent.count()

    sent = await _open_then_post(
        http, f"/specifications/{spec.id}/cancel", f"/specifications/{spec.id}/cancel", {"reason": REASON}
    )
    assert sent.status_code in (302, 303)
    check_path = sent.headers["location"]
    assert urlsplit(check_path).path == f"/specifications/{spec.id}/cancel/check"
    check = await http.get(check_path)
    assert check.status_code == 200
    said = text_of(check.text)
    assert "Check before you cancel" in said
    rows = dict(summary_rows(check.text))
    assert rows["Reason for cancelling"] == REASON
    assert rows["Specification"] == spec.title
    assert rows["Cardiff, 2027-28, Cluster funding"] == "£200,000.00"
    assert rows["Cardiff, 2028-29, Cluster funding"] == "£200,000.00"
    assert rows["Total released"] == "£400,000.00"
    assert "Nobody is sent a notice or an email about the cancellation." in said
    assert "Delivery vehicles that bid will see in their list of bids that it was cancelled." in said
    assert "cancel-button" in element_ids(check.text)
    assert f'action="/specifications/{spec.id}/cancel"' in check.text and 'name="confirm" value="yes"' in check.text

    # Nothing is written before the confirmation.
    assert await AuditEvent.count() == events
    assert await _still_held(spec.id) == 2
    assert (await Specification.select(Specification.status).first())["status"] == "published"

    # The Change link goes back to the form with the reason as typed.
    change = next(href for href, text in links(check.text) if text == "Change (Your reason)")
    assert parse_qs(urlsplit(change).query)["reason"] == [REASON]
    form = await http.get(change)
    assert f">{REASON}</textarea>" in form.text

    done = await http.post(
        f"/specifications/{spec.id}/cancel",
        data={"reason": REASON, "confirm": "yes", "_csrf_token": csrf_from(check.text)},
    )
    assert done.status_code in (302, 303) and done.headers["location"] == f"/specifications/{spec.id}"
    assert await _still_held(spec.id) == 0
    shown = await http.get(f"/specifications/{spec.id}")
    assert "The specification is cancelled and its earmarks released" in (success_banner(shown.text) or "")
    assert REASON in text_of((await client.get(f"/specifications/{spec.id}")).text)


async def test_the_cancel_check_reads_in_welsh(client_as, menu):
    http, actor = await client_as("commissioner")
    spec = await support.published(actor, await support.lines_for_term())
    page = await http.get(f"/specifications/{spec.id}/cancel/check?reason={REASON}&lang=cy")
    assert page.status_code == 200 and html_lang(page.text) == "cy"
    said = text_of(page.text)
    assert welsh("Check before you cancel") in said
    assert welsh("Money it releases") in said
    assert welsh("Nobody is sent a notice or an email about the cancellation.") in said
    released = [key for key, _ in summary_rows(page.text) if "2027-28" in key]
    assert released and welsh("Cluster funding") in released[0] and "Cluster funding" not in released[0]
    # The language switch keeps the reason.
    assert f"reason={REASON.replace(' ', '+')}" in page.text


async def test_an_empty_reason_shows_the_form_again_with_the_error_summary(client_as, menu):
    http, actor = await client_as("commissioner")
    spec = await support.published(actor, await support.lines_for_term())
    empty = await _open_then_post(
        http, f"/specifications/{spec.id}/cancel", f"/specifications/{spec.id}/cancel", {"reason": "  "}
    )
    assert empty.status_code == 400
    assert error_summary_links(empty.text) == ["#reason"]
    assert "Give the reason for cancelling" in text_of(empty.text)
    given = await _open_then_post(
        http, f"/specifications/{spec.id}/cancel", f"/specifications/{spec.id}/cancel", {"reason": REASON}
    )
    assert given.status_code in (302, 303)
    assert error_summary_links(given.text) == []


async def test_the_confirmation_reads_the_reason_again_and_refuses_a_blank_or_overlong_one(client_as, menu):
    http, actor = await client_as("commissioner")
    spec = await support.published(actor, await support.lines_for_term())
    check_path = f"/specifications/{spec.id}/cancel/check"
    cancel = f"/specifications/{spec.id}/cancel"
    events = await AuditEvent.count()

    blank = await _open_then_post(http, f"{check_path}?reason=x", cancel, {"reason": "", "confirm": "yes"})
    assert blank.status_code == 400
    assert error_summary_links(blank.text) == ["#reason"]

    overlong = await _open_then_post(http, f"{check_path}?reason=x", cancel, {"reason": "x" * 2001, "confirm": "yes"})
    assert overlong.status_code == 400
    assert "Give the reason in 2,000 characters or fewer" in text_of(overlong.text)
    assert "x" * 2001 in overlong.text  # kept, to shorten

    unchecked = await http.get(f"{check_path}?reason=")
    assert unchecked.status_code == 400
    assert error_summary_links(unchecked.text) == ["#reason"]
    assert "cancel-button" not in element_ids(unchecked.text)

    assert await AuditEvent.count() == events
    assert await _still_held(spec.id) == 2
    good = await _open_then_post(http, f"{check_path}?reason=x", cancel, {"reason": REASON, "confirm": "yes"})
    assert good.status_code in (302, 303)
    assert await _still_held(spec.id) == 0


async def test_cancelling_a_draft_releases_nothing_and_no_bidder_is_named(client_as, menu):
    http, actor = await client_as("commissioner")
    spec = await support.draft(actor, await support.lines_for_term())
    page = await http.get(f"/specifications/{spec.id}/cancel/check?reason={REASON}")
    said = text_of(page.text)
    assert "Nothing is earmarked for this specification, so no money is released." in said
    assert "Delivery vehicles that bid" not in said
    assert "Total released" not in said


async def test_another_pcpgs_commissioner_finds_no_cancel_check(client_as, menu):
    _, actor = await client_as("commissioner")
    spec = await support.published(actor, await support.lines_for_term())
    swansea, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    assert (await swansea.get(f"/specifications/{spec.id}/cancel/check?reason={REASON}")).status_code == 404
    assert (await swansea.get(f"/specifications/{spec.id}/cancel/check?reason=")).status_code == 404
