"""The commissioner's review pages (issue 13, items 3 and 8): the queue oldest first, the review page with a comment
box per field, "Query" and "Accept" each after a check page, the correction form with a check page showing what
changes, and the history; the NHS.UK error summary on bad input; English and Welsh."""

from __future__ import annotations

import html
from datetime import date

import httpx

from returns.rules import ReturnStatus
from returns.tables import Payment, ReturnQuery, ReturnVersion
from tests import contracts_support_lifecycle as cs
from tests import returns_support_review as rs
from tests.conftest import csrf_from
from tests.pages.markup import error_summary_links, html_lang, summary_rows, table_rows, text_of, welsh
from web.cookies import FLASH_COOKIE


async def _post(http: httpx.AsyncClient, path: str, form_path: str, data: dict[str, str]) -> httpx.Response:
    page = await http.get(form_path)
    assert page.status_code == 200, page.text[:500]
    return await http.post(path, data={**data, "_csrf_token": csrf_from(page.text)})


async def test_the_queue_lists_submitted_returns_of_the_commissioners_pcpgs_oldest_first(client_as):
    http, commissioner = await client_as("commissioner")
    later = await rs.submitted(commissioner=commissioner)
    earlier = await rs.submitted(commissioner=commissioner, budget_lines={})
    await rs.submit(earlier, rs.figures(earlier), at=cs.at(date(2027, 7, 10)))  # resubmitted: version 2, earlier
    other_http, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))

    page = await http.get("/returns/review")

    assert page.status_code == 200
    rows = table_rows(page.text)
    assert [row[1] for row in rows] == ["Q1 2027-28", "Q1 2027-28"]
    assert page.text.index(f"/returns/{earlier.return_id}/review") < page.text.index(
        f"/returns/{later.return_id}/review"
    )
    assert "Rhys Provider" in rows[0][3]
    assert f"/returns/{later.return_id}/review" not in (await other_http.get("/returns/review")).text


async def test_querying_shows_a_check_page_then_sends_the_comments_per_field(client_as, as_user):
    http, commissioner = await client_as("commissioner")
    found = await rs.submitted(commissioner=commissioner)
    review = f"/returns/{found.return_id}/review"
    page = await http.get(review)
    assert page.status_code == 200
    assert ("Spend", "£24,000.00") in summary_rows(page.text)
    assert "£24,000.00 against the quarter&#39;s share of £30,000.00 (£6,000.00 less)" in page.text
    kpi_row = table_rows(page.text)[0]
    assert kpi_row[0].startswith("People completing") and kpi_row[1:] == ["40", "40", "30", "Green"]
    assert f'id="comment-kpi:{found.kpi_ids[0]}"' in page.text

    nothing = await _post(http, f"/returns/{found.return_id}/query", review, {})
    assert nothing.status_code == 400 and error_summary_links(nothing.text) == [
        f"#comment-activity:{found.cluster_ids[0]}"
    ]

    comments = {
        "comment-spend_pence": "Why so low?",
        f"comment-activity:{found.cluster_ids[0]}": "Which venues?",
    }
    check = await _post(http, f"/returns/{found.return_id}/query", review, comments)
    assert check.status_code == 200
    assert summary_rows(check.text) == [("Activity Cardiff North", "Which venues?"), ("Spend", "Why so low?")]
    assert await ReturnQuery.count() == 0  # nothing written before the confirmation

    sent = await _post(http, f"/returns/{found.return_id}/query", review, {**comments, "confirm": "yes"})

    assert sent.status_code in (302, 303) and sent.headers["location"] == "/returns/review"
    assert sent.cookies.get(FLASH_COOKIE) == "return_queried"
    assert (await rs.status_of(found.return_id))["status"] == ReturnStatus.QUERIED
    provider = await as_user(found.provider)
    history = await provider.get(f"/returns/{found.return_id}/history")
    assert history.status_code == 200
    shown = summary_rows(history.text)
    assert [key for key, _ in shown] == ["Activity Cardiff North", "Spend"]
    assert shown[0][1].startswith("Which venues?") and shown[1][1].startswith("Why so low?")
    assert "25 July 2027" in shown[0][1]


async def test_accepting_is_confirmed_on_a_check_page_and_refused_once_accepted(client_as):
    http, commissioner = await client_as("commissioner")
    found = await rs.submitted(commissioner=commissioner)
    check = await http.get(f"/returns/{found.return_id}/accept")
    assert check.status_code == 200 and 'id="confirm-button"' in check.text

    done = await _post(http, f"/returns/{found.return_id}/accept", f"/returns/{found.return_id}/accept", {})

    assert done.status_code in (302, 303) and done.cookies.get(FLASH_COOKIE) == "return_accepted"
    assert (await rs.status_of(found.return_id))["status"] == ReturnStatus.ACCEPTED
    again = await _post(http, f"/returns/{found.return_id}/accept", f"/returns/{found.return_id}/review", {})
    assert again.status_code == 409 and error_summary_links(again.text) == ["#confirm-button"]
    review = await http.get(f"/returns/{found.return_id}/review")
    assert "comment-spend_pence" not in review.text  # locked: no comment boxes


async def test_correcting_shows_what_changes_then_makes_a_new_version_and_needs_a_reason(as_user):
    found = await rs.submitted()
    await rs.submit(found, rs.figures(found))  # version 2, still submitted
    from returns.services import review

    await review.accept_return(actor=found.commissioner, return_id=found.return_id, now=cs.at(rs.REVIEW_DAY))
    await Payment(
        contract=found.contract_id,
        financial_year=2027,
        quarter=1,
        amount_pence=30_000_00,
        status="approved",
        decided_at=cs.at(rs.REVIEW_DAY),
        decided_by_username="finance",
    ).save()
    http = await as_user(found.provider)
    form_path = f"/returns/{found.return_id}/correct"
    form = await http.get(form_path)
    assert form.status_code == 200 and "does not change it" in text_of(form.text)
    assert "&lt;p&gt;" not in form.text  # the note's own markup, escaped twice, was shown as text
    answers = {
        "spend_pence": "25,100.00",
        f"activity:{found.cluster_ids[0]}": "130",
        f"activity:{found.cluster_ids[1]}": "80",
        f"kpi:{found.kpi_ids[0]}": "42",
        "narrative": "Groups ran in both clusters.",
        "risks": "",
        "workforce:nursing_midwifery": "2.5",
    }

    no_reason = await _post(http, form_path, form_path, answers)
    assert no_reason.status_code == 400 and error_summary_links(no_reason.text) == ["#reason"]
    bad = await _post(http, form_path, form_path, {**answers, f"kpi:{found.kpi_ids[0]}": "", "reason": "Late"})
    assert bad.status_code == 400 and error_summary_links(bad.text) == [f"#kpi:{found.kpi_ids[0]}"]

    check = await _post(http, form_path, form_path, {**answers, "reason": "A late invoice"})
    assert check.status_code == 200
    assert [
        html.unescape(text_of(li)) for li in check.text.split('id="changes">')[1].split("</ul>")[0].split("<li>")[1:]
    ] == [
        "Activity Cardiff North: 120 -> 130 contacts",
        "Spend: £24,000.00 -> £25,100.00",
        "KPI People completing: 40 -> 42",
    ]
    assert await ReturnVersion.count() == 2

    done = await _post(http, form_path, form_path, {**answers, "reason": "A late invoice", "confirm": "yes"})

    assert done.status_code in (302, 303) and done.headers["location"] == f"/returns/{found.return_id}/history"
    row = await rs.status_of(found.return_id)
    assert (row["version"], row["status"], row["spend_pence"]) == (3, ReturnStatus.ACCEPTED, 25_100_00)
    history = await http.get(f"/returns/{found.return_id}/history")
    assert "Reason: A late invoice" in text_of(history.text)
    assert "Version 3: Corrected after acceptance" in text_of(history.text)
    payment = await Payment.select().first()
    assert payment["amount_pence"] == 30_000_00


async def test_the_pages_read_in_welsh(client_as):
    http, commissioner = await client_as("commissioner")
    found = await rs.submitted(commissioner=commissioner)
    for path in ("/returns/review", f"/returns/{found.return_id}/review", f"/returns/{found.return_id}/history"):
        page = await http.get(path, params={"lang": "cy"})
        assert page.status_code == 200 and html_lang(page.text) == "cy"
    page = await http.get(f"/returns/{found.return_id}/review", params={"lang": "cy"})
    assert welsh("Review the return") in page.text and welsh("Query the return") in page.text
    assert welsh("Review the return") != "Review the return"


async def test_other_parties_are_refused_or_find_nothing(client_as, as_user):
    found = await rs.submitted()
    elsewhere, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    finance, _ = await client_as("finance_director")
    provider = await as_user(found.provider)
    assert (await elsewhere.get(f"/returns/{found.return_id}/review")).status_code == 404
    assert (await elsewhere.get(f"/returns/{found.return_id}/history")).status_code == 404
    assert (await provider.get(f"/returns/{found.return_id}/review")).status_code == 403
    assert (await finance.get(f"/returns/{found.return_id}/accept")).status_code == 403
    assert (await finance.get(f"/returns/{found.return_id}/history")).status_code == 200


async def test_the_history_and_the_queue_read_as_often_with_many_versions_and_returns_as_with_few(as_user):
    from tests.query_count import statements_for

    found = await rs.submitted()
    http = await as_user(found.commissioner)
    history = f"/returns/{found.return_id}/history"
    once = (await statements_for(http, history), await statements_for(http, "/returns/review"))
    for units in range(121, 126):
        await rs.submit(found, rs.figures(found, units=(units, 80)))
    for _ in range(3):
        await rs.submitted(commissioner=found.commissioner, budget_lines={})
    page = await http.get(history)
    assert (
        "Version 6: Submitted" in text_of(page.text) and "Activity Cardiff North: 124 -&gt; 125 contacts" in page.text
    )
    assert (await statements_for(http, history), await statements_for(http, "/returns/review")) == once
