"""GET /api/v1/open-data/ocds: the public OCDS 1.1.5 release package, valid offline, paged, and telling nothing
of sealed bids or of people."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from api.settings import Settings, load_settings
from opendata.export import export_package
from tests import factories as f
from tests.api.opendata.support import PEOPLE, SEALED, build_open_data
from tests.opendata_validation import problems
from tests.query_count import statements_do_not_grow

URL = "/api/v1/open-data/ocds"


def _release(package: dict[str, Any], reference: str) -> dict[str, Any]:
    [found] = [r for r in package["releases"] if r["ocid"].endswith(f"-{reference}")]
    return found


async def test_the_package_is_public_and_valid_offline(client: httpx.AsyncClient) -> None:
    await build_open_data()
    answer = await client.get(URL)
    assert answer.status_code == 200, answer.text
    package = answer.json()
    assert problems(package) == []
    assert package["version"] == "1.1"
    assert [r["ocid"] for r in package["releases"]] == ["ocds-xxxxxx-CDV-OD-0001", "ocds-xxxxxx-CDV-OD-0002"]


async def test_an_awarded_specification_reads_from_planning_to_implementation(client: httpx.AsyncClient) -> None:
    published = await build_open_data()
    release = _release((await client.get(URL)).json(), published.reference)

    assert release["tag"] == ["planning", "tender", "award", "contract", "contractAmendment", "implementation"]
    assert release["buyer"] == {"id": "GB-NHS-7A4", "name": "Cardiff and Vale University Health Board"}
    parties = {p["id"]: p for p in release["parties"]}
    assert parties["GB-NHS-7A4"]["identifier"] == {
        "scheme": "GB-NHS",
        "id": "7A4",
        "legalName": "Cardiff and Vale University Health Board",
    }
    assert parties["GB-NHS-7A4"]["roles"] == ["buyer", "payer"]
    vehicle = parties[f"GB-COH-{published.vehicle_number}"]
    assert vehicle["identifier"]["scheme"] == "GB-COH" and vehicle["roles"] == ["supplier", "payee"]

    budget = release["planning"]["budget"]
    assert budget["amount"] == {"amount": 105000.0, "currency": "GBP"}
    assert [(b["description"], b["amount"]["amount"], b["period"]) for b in budget["budgetBreakdown"]] == [
        (
            "Financial year 2027-28",
            50000.0,
            {"startDate": "2027-04-01T00:00:00+01:00", "endDate": "2028-03-31T23:59:59+01:00"},
        ),
        (
            "Financial year 2028-29",
            55000.0,
            {"startDate": "2028-04-01T00:00:00+01:00", "endDate": "2029-03-31T23:59:59+01:00"},
        ),
    ]

    tender = release["tender"]
    assert tender["status"] == "complete"
    assert tender["value"] == {"amount": 105000.0, "currency": "GBP"}
    assert tender["procurementMethod"] == "open"
    assert tender["awardCriteriaDetails"] == "Quality 60% (Service model 45%, Social value 15%); Price 40%"
    assert tender["tenderPeriod"] == {"startDate": "2026-05-01T10:00:00Z", "endDate": "2026-06-02T12:00:00Z"}
    assert tender["hasEnquiries"] is True

    [award] = release["awards"]
    assert award["status"] == "active" and award["value"]["amount"] == 82000.0
    [contract] = release["contracts"]
    assert contract["id"] == published.contract_reference and contract["awardID"] == award["id"]
    assert contract["status"] == "active"
    metrics = {m["id"]: m for m in contract["agreedMetrics"]}
    assert [o["value"]["amount"] for o in metrics["annualValue"]["observations"]] == [40000.0, 42000.0]
    assert [(o["dimensions"]["observationType"], o["measure"]) for o in metrics["KPI-1"]["observations"]] == [
        ("baseline", 60),
        ("target", 75),
    ]
    [amendment] = contract["amendments"]
    assert amendment["rationale"] == "Extension"
    assert amendment["date"] == "2027-10-01T00:00:00+01:00"
    assert "Payment" in amendment["description"]

    implementation = contract["implementation"]
    assert [(t["value"]["amount"], t["payer"]["id"]) for t in implementation["transactions"]] == [
        (10000.0, "GB-NHS-7A4"),
        (10000.0, "GB-NHS-7A4"),
    ]
    [measured] = implementation["metrics"]
    assert measured["id"] == "KPI-1"
    assert [(o["id"], o["measure"]) for o in measured["observations"]] == [("KPI-1-2027-28-Q1", 68.5)]


async def test_an_open_specification_tells_nothing_of_its_sealed_bid(client: httpx.AsyncClient) -> None:
    published = await build_open_data()
    answer = await client.get(URL)
    release = _release(answer.json(), published.open_reference)
    assert release["tag"] == ["planning", "tender"]
    assert release["tender"]["status"] == "active"
    assert release["tender"]["hasEnquiries"] is False  # its only question is unanswered
    assert "awards" not in release and "contracts" not in release
    assert [p["roles"] for p in release["parties"]] == [["buyer"], ["procuringEntity"]]
    for secret in SEALED.values():
        assert secret not in answer.text
    assert "tenderers" not in answer.text and "numberOfTenderers" not in answer.text


async def test_nobody_is_named_and_drafts_and_unaccepted_figures_stay_out(client: httpx.AsyncClient) -> None:
    published = await build_open_data()
    answer = await client.get(URL)
    for personal in PEOPLE.values():
        assert personal not in answer.text
    assert published.draft_reference not in answer.text
    assert "99.25" not in answer.text  # the submitted, not accepted, return's KPI value
    assert answer.text.count('"amount":10000.0') == 2  # the withheld payment is not a transaction


async def test_pages_follow_the_next_link_in_a_stable_order(client: httpx.AsyncClient) -> None:
    await build_open_data()
    await build_open_data(pcpg_name="Swansea Bay", suffix="B")
    whole = [r["ocid"] for r in (await client.get(URL)).json()["releases"]]
    seen: list[str] = []
    url: str | None = f"{URL}?limit=1"
    while url is not None:
        answer = await client.get(url)
        assert answer.status_code == 200
        package = answer.json()
        assert len(package["releases"]) == 1 and problems(package) == []
        seen += [r["ocid"] for r in package["releases"]]
        link = answer.headers.get("link")
        url = link.split(">")[0].lstrip("<") if link else None
        assert link is None or link.endswith('rel="next"')
    assert seen == whole == sorted(whole) and len(whole) == 4


async def test_a_page_of_releases_costs_the_same_statements_however_many_it_holds(
    client: httpx.AsyncClient,
) -> None:
    made = 0

    async def add(n: int) -> None:
        nonlocal made
        for _ in range(n):
            made += 1
            await build_open_data(pcpg_name=("Cardiff", "Swansea Bay")[made % 2], suffix=f"N{made}")

    few, many = await statements_do_not_grow(client, f"{URL}?limit=200", add, few=1, many=6)
    assert few == many, (few, many)


async def test_a_bad_page_request_is_a_problem_naming_the_parameter(client: httpx.AsyncClient) -> None:
    answer = await client.get(f"{URL}?limit=0")
    assert answer.status_code in (400, 422)
    assert "limit" in answer.text


async def test_the_ocid_prefix_is_a_setting() -> None:
    from api.app import create_app

    await build_open_data()
    settings: Settings = load_settings()
    app = create_app(Settings(**{**settings.__dict__, "ocid_prefix": "ocds-ab12cd"}))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        package = (await http.get(URL)).json()
    assert {r["ocid"] for r in package["releases"]} == {"ocds-ab12cd-CDV-OD-0001", "ocds-ab12cd-CDV-OD-0002"}
    assert all(r["id"].startswith(r["ocid"] + "-") for r in package["releases"])


async def test_the_export_writes_the_same_releases_as_the_api(client: httpx.AsyncClient, tmp_path: Path) -> None:
    await build_open_data()
    await f.save(f.DeliveryVehicleFactory())
    api = (await client.get(URL)).json()
    target = tmp_path / "ocds.json"
    count = await export_package(path=target, prefix="ocds-xxxxxx", uri=target.as_uri(), now=f.NOW)
    written = json.loads(target.read_text())
    assert count == 2 and problems(written) == []
    assert [r["ocid"] for r in written["releases"]] == [r["ocid"] for r in api["releases"]]
    assert written["releases"][0]["contracts"] == api["releases"][0]["contracts"]
    assert not (tmp_path / "ocds.json.partial").exists()


async def test_the_tenders_planning_rationale_is_its_public_engagement_without_people(
    client: httpx.AsyncClient,
) -> None:
    published = await build_open_data()
    package = (await client.get(URL)).json()
    assert problems(package) == []
    rationale = _release(package, published.reference)["planning"]["rationale"]
    assert rationale.startswith("Public and patient engagement while this service was planned (you said, we did).")
    assert "Focus group, 12 March 2026, 18 people (Young carers). You said: Meet us after school" in rationale
    assert "We did: Sessions moved to after 4pm" in rationale
    assert PEOPLE["commissioner"] not in json.dumps(package)
    # A specification with no engagement has no rationale at all (the field is left out, not empty).
    assert "rationale" not in _release(package, published.open_reference)["planning"]
