"""The menu is cached in the process with ETags; an administrator's edit is served at once."""

from __future__ import annotations


def _kpi_in(kpi: dict) -> dict:
    from menu.schemas import MenuKpiIn

    return {key: kpi[key] for key in MenuKpiIn.__struct_fields__ if key in kpi}


async def test_an_edit_to_the_menu_changes_the_list_and_its_etag_at_once(client_as, menu):
    admin, _ = await client_as("national_admin")
    listed = await admin.get("/api/v1/menu/services?limit=1")
    service = listed.json()["items"][0]
    etag = listed.headers["etag"]
    assert (await admin.get("/api/v1/menu/services?limit=1", headers={"if-none-match": etag})).status_code == 304
    detail = (await admin.get(f"/api/v1/menu/services/{service['id']}")).json()
    edit = {
        key: detail[key]
        for key in (
            "name",
            "name_cy",
            "description",
            "description_cy",
            "category",
            "unit_of_activity",
            "unit_of_activity_cy",
            "price_min_pence",
            "price_max_pence",
            "price_note",
        )
    }
    edit["description"] = "Changed while cached."
    changed = await admin.put(
        f"/api/v1/menu/services/{service['id']}",
        json={**edit, "kpis": [_kpi_in(kpi) for kpi in detail["kpis"]], "change_note": "test"},
    )
    assert changed.status_code == 200, changed.text
    again = await admin.get("/api/v1/menu/services?limit=1", headers={"if-none-match": etag})
    assert again.status_code == 200
    assert again.json()["items"][0]["description"] == "Changed while cached."
    assert (await admin.get(f"/api/v1/menu/services/{service['id']}/versions")).json()[0]["version"] == 2
