"""Filling in and submitting a return through the API (issue 13, item 2): the draft, the submission with its spend
warning, the template downloaded and uploaded filled in, all or nothing; problems name their field, row and column."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from returns.tables import DeliveryReturn, ReturnActivity, ReturnKpiValue, ReturnWorkforce
from tests import returns_support_submission as rs

API = "/api/v1/returns"


async def _provider(client_as, **options):
    s = await rs.setting(**options)
    http, _ = await client_as("provider", delivery_vehicle_id=s.vehicle_id)
    return http, s


def _fields(response) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


async def test_a_draft_then_a_submission_answers_the_return_version_1(client_as):
    http, s = await _provider(client_as)
    saved = await http.put(f"{API}/{s.return_id}/figures", json=rs.figures_json(s))
    assert saved.status_code == 200, saved.text
    assert saved.json()["delivery_return"]["summary"]["status"] == "draft"
    assert saved.json()["spend_warning"] is None
    submitted = await http.post(f"{API}/{s.return_id}/submit")
    assert submitted.status_code == 200, submitted.text
    body = submitted.json()["delivery_return"]
    assert (body["summary"]["status"], body["summary"]["version"]) == ("submitted", 1)
    assert [v["version"] for v in body["versions"]] == [1]
    assert (await http.post(f"{API}/{s.return_id}/submit")).status_code == 409
    assert (await http.put(f"{API}/{s.return_id}/figures", json=rs.figures_json(s))).status_code == 409


async def test_bad_numbers_are_a_problem_naming_each_figure(client_as):
    http, s = await _provider(client_as)
    body = rs.figures_json(s)
    body["kpi_values"][1]["value"] = "twelve"
    body["workforce"][0]["wte"] = "-2"
    response = await http.put(f"{API}/{s.return_id}/figures", json=body)
    assert response.status_code == 422
    assert _fields(response) == {f"kpi:{s.kpi_ids[1]}", "workforce:allied_health"}
    negative = await http.put(f"{API}/{s.return_id}/figures", json=rs.figures_json(s) | {"spend_pence": -1})
    assert negative.status_code == 422 and "spend_pence" in negative.text
    too_many = rs.figures_json(s)
    too_many["activity"][0]["units"] = 10_000_001
    assert (await http.put(f"{API}/{s.return_id}/figures", json=too_many)).status_code == 422
    assert (await rs.status_of(s.return_id))["status"] == "not_started"


async def test_submitting_an_incomplete_return_names_what_is_missing(client_as):
    http, s = await _provider(client_as)
    body = rs.figures_json(s)
    body["kpi_values"] = body["kpi_values"][:1]
    body["activity"] = body["activity"][1:]
    await http.put(f"{API}/{s.return_id}/figures", json=body)
    response = await http.post(f"{API}/{s.return_id}/submit")
    assert response.status_code == 422
    assert _fields(response) == {f"kpi:{s.kpi_ids[1]}", f"activity:{s.cluster_ids[0]}"}
    assert (await rs.status_of(s.return_id))["status"] == "draft"


async def test_a_quarter_not_over_cannot_be_submitted(client_as):
    http, s = await _provider(client_as, today=rs.IN_Q1)
    await http.put(f"{API}/{s.return_id}/figures", json=rs.figures_json(s))
    response = await http.post(f"{API}/{s.return_id}/submit")
    assert response.status_code == 422 and "quarter is over" in response.text


async def test_another_vehicles_return_is_not_found_and_a_commissioner_may_not_submit(client_as):
    http, s = await _provider(client_as)
    other = await rs.setting(second=True)
    assert (await http.put(f"{API}/{other.return_id}/figures", json=rs.figures_json(other))).status_code == 404
    assert (await http.post(f"{API}/{other.return_id}/submit")).status_code == 404
    assert (await http.get(f"{API}/{other.return_id}/template.csv")).status_code == 404
    commissioner, _ = await client_as("commissioner")
    assert (await commissioner.post(f"{API}/{s.return_id}/submit")).status_code == 403
    assert (await rs.status_of(other.return_id))["status"] == "not_started"


async def test_the_answer_warns_when_the_spend_is_more_than_ten_per_cent_off_the_quarters_share(client_as):
    http, s = await _provider(client_as)
    share = (await http.get(f"{API}/{s.return_id}")).json()["quarter_share_pence"]
    assert share == 30_000_00
    exactly = await http.put(f"{API}/{s.return_id}/figures", json=rs.figures_json(s, spend_pence=33_000_00))
    assert exactly.json()["spend_warning"] is None
    await http.put(f"{API}/{s.return_id}/figures", json=rs.figures_json(s, spend_pence=33_000_01))
    submitted = (await http.post(f"{API}/{s.return_id}/submit")).json()
    assert submitted["delivery_return"]["summary"]["status"] == "submitted"  # a warning, not a refusal
    warning = submitted["spend_warning"]
    assert warning["difference_pence"] == 3_000_01 and "£3,000.01" in warning["message"]


# --- The template, downloaded and uploaded ---


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _filled_csv(template: bytes, values: dict[str, str]) -> bytes:
    """The template with column C set for the rows whose code (column E) is given."""
    rows = _csv_rows(template)
    for row in rows:
        if len(row) > 4 and row[4] in values:
            row[2] = values[row[4]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _good_values(s: rs.Setting) -> dict[str, str]:
    return {
        f"activity:{s.cluster_ids[0]}": "1,250",
        f"activity:{s.cluster_ids[1]}": "0",
        "spend": "29,999.99",
        f"kpi:{s.kpi_ids[0]}": "91.25",
        f"kpi:{s.kpi_ids[1]}": "-4",
        "workforce:nursing_midwifery": "3.5",
        "narrative": "=Weekly clinics",
        "risks": "None new",
    }


async def _saved(return_id: int) -> dict:
    row = await DeliveryReturn.select().where(DeliveryReturn.id == return_id).first()
    activity = await ReturnActivity.select().where(ReturnActivity.delivery_return == return_id)
    kpis = await ReturnKpiValue.select().where(ReturnKpiValue.delivery_return == return_id)
    workforce = await ReturnWorkforce.select().where(ReturnWorkforce.delivery_return == return_id)
    return {
        "status": row["status"],
        "spend_pence": row["spend_pence"],
        "narrative": row["narrative"],
        "risks": row["risks"],
        "activity": {a["cluster"]: a["units"] for a in activity},
        "kpis": {k["contract_kpi"]: k["value"] for k in kpis},
        "workforce": {w["staff_group"]: w["wte"] for w in workforce},
    }


def _expected(s: rs.Setting) -> dict:
    return {
        "status": "draft",
        "spend_pence": 29_999_99,
        "narrative": "=Weekly clinics",
        "risks": "None new",
        "activity": {s.cluster_ids[0]: 1250, s.cluster_ids[1]: 0},
        "kpis": {s.kpi_ids[0]: "91.25", s.kpi_ids[1]: "-4"},
        "workforce": {"nursing_midwifery": "3.5"},
    }


async def test_the_csv_template_lists_the_clusters_and_kpis_and_comes_back_saved_exactly(client_as):
    http, s = await _provider(client_as)
    template = await http.get(f"{API}/{s.return_id}/template.csv")
    assert template.status_code == 200 and template.headers["content-type"].startswith("text/csv")
    assert "attachment" in template.headers["content-disposition"]
    rows = _csv_rows(template.content)
    items = {row[4]: row for row in rows if len(row) > 4}
    assert items[f"kpi:{s.kpi_ids[0]}"][1] == "KPI 1"
    assert {f"activity:{c}" for c in s.cluster_ids} <= set(items)
    upload = _filled_csv(template.content, _good_values(s))
    response = await http.post(f"{API}/{s.return_id}/upload", files={"file": ("return.csv", upload, "text/csv")})
    assert response.status_code == 200, response.text
    assert await _saved(s.return_id) == _expected(s)
    again = await http.get(f"{API}/{s.return_id}/template.csv")
    assert "'=Weekly clinics" in again.text  # pre-filled with the draft, and no cell starts a formula


async def test_the_excel_template_has_an_about_sheet_and_comes_back_saved_exactly(client_as):
    http, s = await _provider(client_as)
    template = await http.get(f"{API}/{s.return_id}/template.xlsx")
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    assert book.sheetnames == ["Return", "About"]
    sheet = book["Return"]
    values = _good_values(s) | {"spend": 29999.99, f"activity:{s.cluster_ids[0]}": 1250, f"kpi:{s.kpi_ids[0]}": 91.25}
    for row in sheet.iter_rows(min_row=1):
        code = row[4].value
        if code in values:
            row[2].value = values[code]
            if code == "narrative":
                row[2].data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    response = await http.post(f"{API}/{s.return_id}/upload", files={"file": ("return.xlsx", buffer.getvalue())})
    assert response.status_code == 200, response.text
    assert await _saved(s.return_id) == _expected(s)


async def test_a_file_with_two_errors_is_refused_whole_naming_both_and_nothing_is_saved(client_as):
    http, s = await _provider(client_as)
    template = (await http.get(f"{API}/{s.return_id}/template.csv")).content
    values = _good_values(s) | {f"activity:{s.cluster_ids[1]}": "lots", f"kpi:{s.kpi_ids[1]}": "12%"}
    upload = _filled_csv(template, values)
    rows = _csv_rows(upload)
    activity_row = next(n for n, row in enumerate(rows, 1) if row[4] == f"activity:{s.cluster_ids[1]}")
    kpi_row = next(n for n, row in enumerate(rows, 1) if row[4] == f"kpi:{s.kpi_ids[1]}")
    response = await http.post(f"{API}/{s.return_id}/upload", files={"file": ("return.csv", upload, "text/csv")})
    assert response.status_code == 422
    messages = sorted(error["message"] for error in response.json()["errors"])
    assert messages == sorted(
        [
            f"Row {activity_row}, column C: enter a whole number of units, from 0 to 10,000,000",
            f"Row {kpi_row}, column C: enter a number, like 87.5",
        ]
    )
    saved = await _saved(s.return_id)
    assert (saved["status"], saved["activity"], saved["kpis"], saved["spend_pence"]) == ("not_started", {}, {}, None)


async def test_another_returns_template_is_refused_as_such(client_as):
    http, s = await _provider(client_as)
    q2 = (
        await DeliveryReturn.select(DeliveryReturn.id)
        .where((DeliveryReturn.contract == s.contract_id) & (DeliveryReturn.quarter == 2))
        .first()
    )["id"]
    other_quarter = (await http.get(f"{API}/{q2}/template.csv")).content
    response = await http.post(f"{API}/{s.return_id}/upload", files={"file": ("q2.csv", other_quarter, "text/csv")})
    assert response.status_code == 422 and "another quarter" in response.text
    not_a_template = b"Section,Item,Value\nActivity,North,12\n"
    response = await http.post(f"{API}/{s.return_id}/upload", files={"file": ("x.csv", not_a_template, "text/csv")})
    assert response.status_code == 422 and "not the template of this return" in response.text
    pdf = b"%PDF-1.4 not a spreadsheet"
    response = await http.post(f"{API}/{s.return_id}/upload", files={"file": ("x.pdf", pdf)})
    assert response.status_code == 422 and "CSV" in response.text
    assert (await rs.status_of(s.return_id))["status"] == "not_started"


async def test_another_contracts_template_is_refused_naming_it(client_as):
    http, s = await _provider(client_as)
    template = (await http.get(f"{API}/{s.return_id}/template.csv")).content
    other = await rs.setting(second=True)
    forged = template.replace(f"contract:{s.contract_id}".encode(), f"contract:{other.contract_id}".encode())
    response = await http.post(f"{API}/{s.return_id}/upload", files={"file": ("x.csv", forged, "text/csv")})
    assert response.status_code == 422 and "another contract" in response.text


async def test_an_upload_without_a_file_part_is_a_problem_naming_file(client_as):
    """As for a bid's attachments: multipart read without the one file expected is a 422 naming `file`."""
    http, s = await _provider(client_as)
    response = await http.post(f"{API}/{s.return_id}/upload", files={"other": ("x.csv", b"a", "text/csv")})
    assert response.status_code == 422 and "file" in _fields(response)
