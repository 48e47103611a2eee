"""The provider's pages for a return (issue 13, items 2 and 8): the list of returns to do, the form with save as
draft (errors in the NHS.UK summary, no JavaScript needed), the upload, the check page with the spend warning, and
the return's page with its history; in English and Welsh."""

from __future__ import annotations

import csv
import io
import re

import httpx
from markupsafe import escape

from returns.tables import ReturnActivity
from tests import returns_support_submission as rs
from tests.conftest import csrf_from
from tests.pages.markup import (
    element_ids,
    error_summary_links,
    fields_in_error,
    html_lang,
    input_value,
    links,
    success_banner,
    table_rows,
    text_of,
    welsh,
)


async def _provider(client_as, **options):
    s = await rs.setting(**options)
    http, _ = await client_as("provider", delivery_vehicle_id=s.vehicle_id)
    http.headers.pop("authorization", None)  # pages: the session cookie, as a browser
    return http, s


def _answers(s: rs.Setting, **changes: str) -> dict[str, str]:
    answers = {
        f"activity:{s.cluster_ids[0]}": "120",
        f"activity:{s.cluster_ids[1]}": "80",
        "spend_pence": "30,000.00",
        f"kpi:{s.kpi_ids[0]}": "87.5",
        f"kpi:{s.kpi_ids[1]}": "12",
        "narrative": "Clinics ran weekly.",
        "risks": "",
        "workforce:allied_health": "2.5",
    }
    return answers | changes


async def _post(http: httpx.AsyncClient, path: str, form_path: str, data: dict[str, str]) -> httpx.Response:
    page = await http.get(form_path)
    assert page.status_code == 200, page.text[:500]
    return await http.post(path, data={**data, "_csrf_token": csrf_from(page.text)})


async def test_the_list_is_the_providers_returns_to_do_and_the_commissioners_delivery_returns(client_as):
    http, s = await _provider(client_as)
    page = await http.get("/returns")
    assert page.status_code == 200
    assert "<h1>Returns to do</h1>" in page.text
    assert ("/returns", "Returns") in links(page.text)
    rows = table_rows(page.text)
    assert len(rows) == 4 and rows[0][1] == "Not started"
    assert f'href="/returns/{s.return_id}"' in page.text
    commissioner, _ = await client_as("commissioner")
    commissioner.headers.pop("authorization", None)
    theirs = await commissioner.get("/returns")
    assert "<h1>Delivery returns</h1>" in theirs.text and ("/returns/review", "Returns to review") in links(theirs.text)
    assert ("/returns", "Returns") not in links(theirs.text)
    welsh_page = await http.get("/returns?lang=cy")
    assert html_lang(welsh_page.text) == "cy" and f"<h1>{escape(welsh('Returns to do'))}</h1>" in welsh_page.text


async def test_bad_figures_show_the_form_again_with_the_error_summary_and_save_nothing(client_as):
    http, s = await _provider(client_as)
    edit = f"/returns/{s.return_id}/edit"
    answer = await _post(
        http,
        edit,
        edit,
        _answers(s, **{f"activity:{s.cluster_ids[0]}": "lots", "spend_pence": "-5", f"kpi:{s.kpi_ids[1]}": "x"})
        | {"action": "save"},
    )
    assert answer.status_code == 400
    assert error_summary_links(answer.text) == [
        f"#activity:{s.cluster_ids[0]}",
        "#spend_pence",
        f"#kpi:{s.kpi_ids[1]}",
    ]
    assert "The spend cannot be negative" in answer.text
    assert fields_in_error(answer.text) >= {"spend_pence", f"kpi:{s.kpi_ids[1]}"}
    assert input_value(answer.text, f"activity:{s.cluster_ids[0]}") == "lots"  # the answers as typed
    assert await ReturnActivity.count().where(ReturnActivity.delivery_return == s.return_id) == 0


async def test_save_as_draft_then_continue_to_check_then_submit(client_as):
    http, s = await _provider(client_as)
    base = f"/returns/{s.return_id}"
    saved = await _post(http, f"{base}/edit", f"{base}/edit", _answers(s) | {"action": "save"})
    assert saved.status_code in (302, 303) and saved.headers["location"] == base
    shown = await http.get(base)
    assert "The return is saved as a draft" in (success_banner(shown.text) or "")
    assert input_value((await http.get(f"{base}/edit")).text, "spend_pence") == "30000.00"

    onwards = await _post(
        http, f"{base}/edit", f"{base}/edit", _answers(s, spend_pence="33,000.01") | {"action": "continue"}
    )
    assert onwards.headers["location"] == f"{base}/submit"
    check = await http.get(f"{base}/submit")
    assert "spend-warning" in element_ids(check.text)
    assert "£3,000.01 more than" in text_of(check.text)
    assert f'href="{base}/edit#kpi:{s.kpi_ids[0]}"' in check.text  # a Change link to each answer
    submitted = await _post(http, f"{base}/submit", f"{base}/submit", {})
    assert submitted.status_code in (302, 303)
    page = await http.get(base)
    assert "The return is submitted to the commissioner" in (success_banner(page.text) or "")
    assert "Submitted" in text_of(page.text)
    assert f'<a href="/contracts/{s.contract_id}">' in page.text  # the contract, linked (not its markup as text)
    history = [row for row in table_rows(page.text) if row and row[0] == "1"]
    assert history and history[0][1] == "Submitted"


async def test_the_check_page_names_what_is_missing_and_links_to_it(client_as):
    http, s = await _provider(client_as)
    base = f"/returns/{s.return_id}"
    await _post(http, f"{base}/edit", f"{base}/edit", _answers(s, **{f"kpi:{s.kpi_ids[1]}": ""}) | {"action": "save"})
    refused = await _post(http, f"{base}/submit", f"{base}/submit", {})
    assert refused.status_code == 400
    assert error_summary_links(refused.text) == []  # the links lead to the form, not to this page
    assert f'href="{base}/edit#kpi:{s.kpi_ids[1]}"' in refused.text
    assert "Enter a value for KPI 2" in refused.text


async def test_the_check_page_says_when_the_quarter_is_not_over(client_as):
    http, s = await _provider(client_as, today=rs.IN_Q1)
    check = await http.get(f"/returns/{s.return_id}/submit")
    assert check.status_code == 200
    assert "You can submit this return once its quarter is over" in check.text
    assert f'action="/returns/{s.return_id}/submit"' not in check.text


async def test_the_welsh_form_and_check_page(client_as):
    http, s = await _provider(client_as)
    base = f"/returns/{s.return_id}"
    form = await http.get(f"{base}/edit?lang=cy")
    assert html_lang(form.text) == "cy" and welsh("Save as draft") in text_of(form.text)
    check = await http.get(f"{base}/submit?lang=cy")
    assert welsh("Check your answers before you submit the return") in text_of(check.text)


async def test_uploading_the_template_saves_it_and_a_bad_file_is_refused_naming_each_row(client_as):
    http, s = await _provider(client_as)
    base = f"/returns/{s.return_id}"
    upload_page = await http.get(f"{base}/upload")
    assert f'href="{base}/template.xlsx"' in upload_page.text
    template = (await http.get(f"{base}/template.csv")).content
    rows = list(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
    for row in rows:
        if len(row) > 4 and row[4] == f"activity:{s.cluster_ids[0]}":
            row[2] = "many"
        if len(row) > 4 and row[4] == "spend":
            row[2] = "-1"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    token = csrf_from(upload_page.text)
    refused = await http.post(
        f"{base}/upload", data={"_csrf_token": token}, files={"file": ("r.csv", buffer.getvalue().encode())}
    )
    assert refused.status_code == 400
    assert "The file has 2 problems, so nothing was saved" in refused.text
    assert text_of(refused.text).count(", column C: ") == 2
    for row in rows:
        if len(row) > 4 and row[4] == f"activity:{s.cluster_ids[0]}":
            row[2] = "7"
        if len(row) > 4 and row[4] == "spend":
            row[2] = "10"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    saved = await http.post(
        f"{base}/upload", data={"_csrf_token": token}, files={"file": ("r.csv", buffer.getvalue().encode())}
    )
    assert saved.status_code in (302, 303) and saved.headers["location"] == f"{base}/edit"
    assert input_value((await http.get(f"{base}/edit")).text, f"activity:{s.cluster_ids[0]}") == "7"
    no_file = await http.post(f"{base}/upload", data={"_csrf_token": token}, files={"other": ("r.csv", b"x")})
    assert no_file.status_code == 400 and "Choose the file to upload" in no_file.text


async def test_a_template_made_in_welsh_reads_in_welsh_and_uploads_the_same(client_as):
    http, s = await _provider(client_as)
    base = f"/returns/{s.return_id}"
    template = (await http.get(f"{base}/template.csv?lang=cy")).content
    rows = list(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
    assert welsh("Code (do not change)") in rows[3] and welsh("Activity delivered") in {row[0] for row in rows}
    for row in rows:
        if len(row) > 4 and row[4] == "spend":
            row[2] = "1250.50"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    page = await http.get(f"{base}/upload?lang=cy")
    saved = await http.post(
        f"{base}/upload", data={"_csrf_token": csrf_from(page.text)}, files={"file": ("r.csv", buffer.getvalue())}
    )
    assert saved.status_code in (302, 303), saved.text[:300]
    assert input_value((await http.get(f"{base}/edit")).text, "spend_pence") == "1250.50"


async def test_text_holding_nul_is_refused_on_its_field_and_nothing_is_saved(client_as):
    http, s = await _provider(client_as)
    edit = f"/returns/{s.return_id}/edit"
    answer = await _post(http, edit, edit, _answers(s, narrative="Clinics\x00ran") | {"action": "save"})
    assert answer.status_code == 400 and error_summary_links(answer.text) == ["#narrative"]
    assert (await rs.status_of(s.return_id))["narrative"] == ""


async def test_a_spend_past_what_a_return_can_hold_is_refused_on_its_field(client_as):
    http, s = await _provider(client_as)
    edit = f"/returns/{s.return_id}/edit"
    answer = await _post(http, edit, edit, _answers(s, spend_pence="100000000000000000000") | {"action": "save"})
    assert answer.status_code == 400 and error_summary_links(answer.text) == ["#spend_pence"]
    fine = await _post(http, edit, edit, _answers(s, spend_pence="1000000000") | {"action": "save"})  # £1bn: the most
    assert fine.status_code in (302, 303)


async def test_another_vehicles_return_is_not_found_on_every_page(client_as):
    http, s = await _provider(client_as)
    other = await rs.setting(second=True)
    for path in ("", "/edit", "/upload", "/submit", "/template.csv", "/template.xlsx"):
        assert (await http.get(f"/returns/{other.return_id}{path}")).status_code == 404, path
    assert (await http.get(f"/returns/{s.return_id}")).status_code == 200


async def test_a_cluster_with_no_welsh_name_is_marked_english_on_the_welsh_form_not_shown_as_markup(client_as):
    http, s = await _provider(client_as)
    page = await http.get(f"/returns/{s.return_id}/edit", params={"lang": "cy"})
    assert page.status_code == 200 and html_lang(page.text) == "cy"
    assert "&lt;span" not in page.text  # the label's markup escaped twice showed its tags to the reader
    marked = re.findall(r'for="activity:\d+">\s*<span lang="en">[^<]+</span>', page.text)
    assert len(marked) == 2  # each cluster's label, marked as English
