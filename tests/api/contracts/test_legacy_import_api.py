"""POST /api/v1/contracts/import: `dry_run=true` says what the file would change and writes nothing; without it the
whole file is applied, or refused whole as an RFC 9457 problem listing each problem with its row and column. The
contract brought in reads on its API and adds up on the ledger; the open data leaves it out and stays valid."""

from __future__ import annotations

import pytest

from audit.tables import AuditEvent
from contracts.tables import Contract
from tests import contracts_support_legacy as files
from tests.api.opendata.support import build_open_data
from tests.opendata_validation import problems

URL = "/api/v1/contracts/import"
PROBLEM = "application/problem+json"

pytestmark = pytest.mark.usefixtures("menu")


def _upload(content: bytes, name: str = "contracts.csv") -> dict[str, tuple[str, bytes]]:
    return {"file": (name, content)}


async def test_a_dry_run_previews_and_writes_nothing_then_the_file_is_applied(client_as):
    http, _ = await client_as("commissioner")
    world = await files.world()
    content = files.csv_file([files.row(world["service"])], [files.kpi()])
    events = await AuditEvent.count()
    preview = await http.post(URL, params={"dry_run": "true"}, files=_upload(content))
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body["new"], body["changed"], body["unchanged"], body["applied"]) == (1, 0, 0, False)
    assert body["items"][0]["total_value_pence"] == 36_000_00 and body["items"][0]["committed_pence"] == (
        3_000_00 * files.quarters_left() + 12_000_00
    )
    assert await Contract.count() == 0 and await AuditEvent.count() == events

    applied = await http.post(URL, files=_upload(files.xlsx_file([files.row(world["service"])], [files.kpi()])))
    assert applied.status_code == 200, applied.text
    contract_id = applied.json()["items"][0]["contract_id"]
    contract = (await http.get(f"/api/v1/contracts/{contract_id}")).json()
    assert contract["specification_id"] is None and contract["origin"] == "legacy"
    assert contract["former_reference"] == "CV-OLD-1" and contract["status"] == "live"
    assert "What fell due before then was committed and paid outside it" in contract["settled_before"]
    assert [v["source"] for v in contract["versions"]] == ["Brought in from a file"]
    this = files.this_year()
    assert [y["financial_year"] for y in contract["years"]] == [this - 1, this, this + 1]
    this_year_here = 3_000_00 * files.quarters_left()
    assert sum(p["total_pence"] for p in contract["payments"]) == this_year_here + 12_000_00

    ledger = (await http.get(f"/api/v1/budget-lines/{world['lines'][0].id}/ledger")).json()
    assert (ledger["committed_pence"], ledger["headroom_pence"]) == (this_year_here, 100_000_00 - this_year_here)
    again = await http.post(URL, params={"dry_run": "true"}, files=_upload(content))
    assert (again.json()["new"], again.json()["unchanged"]) == (0, 1)


async def test_a_file_with_problems_is_a_422_naming_each_cell_and_nothing_is_written(client_as):
    http, _ = await client_as("commissioner")
    world = await files.world()
    content = files.csv_file(
        [files.row(world["service"]), files.row(world["service"], reference="B", pcpg="Swansea Bay", end="later")]
    )
    answer = await http.post(URL, files=_upload(content))
    assert answer.status_code == 422 and answer.headers["content-type"].startswith(PROBLEM)
    errors = {(e["row"], e["column"]) for e in answer.json()["errors"]}
    assert errors == {(3, "I")}  # a row of form problems is not checked for substance
    swansea = files.csv_file([files.row(world["service"], reference="B", pcpg="Swansea Bay", clusters="Penderi")])
    answer = await http.post(URL, files=_upload(swansea))
    assert answer.status_code == 422
    assert [(e["field"], e["row"], e["column"]) for e in answer.json()["errors"]] == [("file.D2", 2, "D")]
    assert await Contract.count() == 0


async def test_another_file_is_refused_as_not_the_template(client_as):
    http, _ = await client_as("commissioner")
    answer = await http.post(URL, files=_upload(b"PCPG,Financial year,Funding stream,Amount,Note\n"))
    assert answer.status_code == 422
    assert "not the contracts template" in answer.json()["detail"]


async def test_a_finance_director_cannot_bring_in_contracts(client_as):
    http, _ = await client_as("finance_director")
    world = await files.world()
    answer = await http.post(URL, files=_upload(files.csv_file([files.row(world["service"])])))
    assert answer.status_code == 403
    assert await Contract.count() == 0


async def test_the_open_data_leaves_a_contract_made_before_this_service_out_and_stays_valid(client_as, client):
    await build_open_data()
    before = (await client.get("/api/v1/open-data/ocds")).json()
    http, _ = await client_as("commissioner")
    world = await files.world()
    applied = await http.post(URL, files=_upload(files.csv_file([files.row(world["service"])], [files.kpi()])))
    assert applied.status_code == 200, applied.text
    reference = applied.json()["items"][0]["reference"]
    after = (await client.get("/api/v1/open-data/ocds")).json()
    assert problems(after) == []
    assert [r["ocid"] for r in after["releases"]] == [r["ocid"] for r in before["releases"]]
    text = str(after)
    assert reference not in text and files.VEHICLE_NUMBER not in text and "CV-OLD-1" not in text
