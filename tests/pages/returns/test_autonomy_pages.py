"""The vehicle's autonomy page (issue 15, item 5): the tier in words with why, the override with its error summary
and check-your-answers page, lifting it, the vehicle's own view in English and Welsh, and a light return's form
without narrative, risks or workforce."""

from __future__ import annotations

from datetime import date

import httpx

from contracts.autonomy_rules import AutonomyTier
from contracts.tables import VehicleTier
from returns.autonomy.services import set_tier_override
from returns.tables import DeliveryReturn
from tests import contracts_support_lifecycle as cs
from tests import returns_support_autonomy as rs
from tests.conftest import csrf_from
from tests.pages.markup import (
    error_summary_links,
    fields_in_error,
    form_field_names,
    html_lang,
    success_banner,
    summary_rows,
    table_rows,
    text_of,
    welsh,
)


async def _post(http: httpx.AsyncClient, path: str, page: str, data: dict[str, str]) -> httpx.Response:
    form = await http.get(page)
    assert form.status_code == 200
    return await http.post(path, data={**data, "_csrf_token": csrf_from(form.text)})


async def test_a_commissioner_sets_the_tier_after_checking_it_and_can_lift_it(as_user):
    await cs.clock_on(date(2027, 5, 10))
    v = await rs.vehicle()
    http = await as_user(v.commissioner)
    page_path = f"/delivery-vehicles/{v.id}/autonomy"
    shown = await http.get(page_path)
    assert shown.status_code == 200, shown.text[:500]
    rows = dict(summary_rows(shown.text))
    assert rows["Tier in Q1 2027-28"] == "Standard"
    assert rows["Returns"] == "Quarterly, full"
    text = text_of(shown.text)
    assert "Maturity level 3 or higher in Governance (no level confirmed yet)" in text and "Missing" in text
    assert "No tier has been decided yet" in text

    empty = await _post(http, f"{page_path}/override", page_path, {"reason": ""})
    assert empty.status_code == 400
    assert error_summary_links(empty.text) == ["#tier", "#reason"]

    check = await _post(http, f"{page_path}/override", page_path, {"tier": "high", "reason": "Excellent review"})
    assert check.status_code == 200
    checked = dict(summary_rows(check.text))
    assert checked["Tier from Q2 2027-28"].startswith("High autonomy")
    assert checked["Reason"].startswith("Excellent review")
    assert await VehicleTier.count() == 0, "the check writes nothing"

    done = await _post(
        http, f"{page_path}/override", page_path, {"tier": "high", "reason": "Excellent review", "confirm": "yes"}
    )
    assert done.status_code in (302, 303) and done.headers["location"] == page_path
    after = await http.get(page_path)
    assert "The tier is set" in (success_banner(after.text) or "")
    assert dict(summary_rows(after.text))["Tier from Q2 2027-28"].startswith("High autonomy")
    history = table_rows(after.text)
    assert history[0][:3] == ["Q2 2027-28", "High autonomy", "Set by a commissioner"]
    assert history[0][4] == "Excellent review"

    no_reason = await _post(http, f"{page_path}/lift", page_path, {"lift_reason": " "})
    assert no_reason.status_code == 400 and "lift_reason" in fields_in_error(no_reason.text)
    lifted = await _post(http, f"{page_path}/lift", page_path, {"lift_reason": "Review over"})
    assert lifted.status_code in (302, 303)
    assert table_rows((await http.get(page_path)).text)[0][2] == "Override lifted"


async def test_the_vehicle_reads_its_tier_in_welsh_without_the_override_form(as_user):
    v = await rs.vehicle()
    await set_tier_override(
        actor=v.commissioner, delivery_vehicle_id=v.id, tier=AutonomyTier.EARNED, reason="Good", now=rs.IN_Q1
    )
    http = await as_user(v.manager)
    page = await http.get(f"/delivery-vehicles/{v.id}/autonomy?lang=cy")
    assert page.status_code == 200 and html_lang(page.text) == "cy"
    assert welsh("Autonomy and reporting") in text_of(page.text)
    assert welsh("Earned autonomy") in text_of(page.text)
    assert "tier" not in form_field_names(page.text) and "lift_reason" not in form_field_names(page.text)
    commissioner = await as_user(v.commissioner)  # negative control: the commissioner is offered the form
    assert "tier" in form_field_names((await commissioner.get(f"/delivery-vehicles/{v.id}/autonomy")).text)


async def test_a_light_return_form_asks_no_narrative_risks_or_workforce(as_user):
    await cs.clock_on(date(2027, 5, 10))
    v = await rs.vehicle()
    first = await DeliveryReturn.select(DeliveryReturn.id).where(DeliveryReturn.contract == v.contract_id).first()
    assert first is not None
    http = await as_user(v.manager)
    full = await http.get(f"/returns/{first['id']}/edit")
    assert full.status_code == 200 and "narrative" in form_field_names(full.text)
    await DeliveryReturn.update({DeliveryReturn.light: True}).where(DeliveryReturn.id == first["id"])
    light = await http.get(f"/returns/{first['id']}/edit")
    names = form_field_names(light.text)
    assert "narrative" not in names and "risks" not in names and not any(n.startswith("workforce:") for n in names)
    assert "spend_pence" in names
    assert "This is a light return" in text_of(light.text)


async def test_a_half_yearly_return_is_named_by_the_quarters_it_covers(as_user):
    from returns.services.schedule import sync_returns

    v = await rs.vehicle()
    await rs.tier_row(v.id, "high", (2027, 1))
    await sync_returns(actor=v.commissioner, contract_id=v.contract_id, now=rs.IN_Q1)
    http = await as_user(v.manager)
    listed = text_of((await http.get("/returns")).text)
    assert "Quarters 1 to 2 of 2027-28" in listed and "Quarter 1 of 2027-28" not in listed
    half = (
        await DeliveryReturn.select(DeliveryReturn.id)
        .where((DeliveryReturn.contract == v.contract_id) & (DeliveryReturn.quarter == 2))
        .first()
    )
    assert half is not None
    page = await http.get(f"/returns/{half['id']}")
    assert "quarters 1 to 2 of 2027-28 (a half-yearly return)" in text_of(page.text)
