"""Reference data is loaded once per session by conftest and never emptied: these tests leave it as they found it."""

import json
from datetime import UTC, datetime
from typing import Any

from accounts.actor import SYSTEM
from audit.tables import AuditEvent
from organisations.reference import load_reference
from organisations.tables import Cluster, HealthBoard, LocalAuthority, Pcpg, RegionalPartnershipBoard

REFERENCE = [HealthBoard, RegionalPartnershipBoard, LocalAuthority, Pcpg, Cluster]
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def _snapshot() -> dict[str, list[dict]]:
    return {table.__name__: await table.select().order_by(table.id) for table in REFERENCE}


async def test_loading_the_reference_data_again_changes_no_row_and_records_no_change():
    before, events_before = await _snapshot(), await AuditEvent.count()
    counts = await load_reference(actor=SYSTEM, now=NOW)
    assert counts == {
        "health_boards": 7,
        "regional_partnership_boards": 7,
        "local_authorities": 22,
        "pcpgs": 21,
        "clusters": 60,
        "changes": 0,
    }
    assert await _snapshot() == before
    assert await AuditEvent.count() == events_before


async def test_wales_has_7_health_boards_7_rpbs_22_counties_21_pcpgs_and_60_clusters():
    assert [await table.count() for table in REFERENCE] == [7, 7, 22, 21, 60]


async def test_swansea_and_neath_port_talbot_share_the_swansea_bay_pcpg():
    rows = await LocalAuthority.select(LocalAuthority.name, LocalAuthority.pcpg.name.as_alias("pcpg_name")).where(
        LocalAuthority.pcpg.name == "Swansea Bay"
    )
    assert sorted(row["name"] for row in rows) == ["Neath Port Talbot", "Swansea"]
    assert await Pcpg.select(Pcpg.name_cy).where(Pcpg.name == "Swansea Bay").first() == {"name_cy": "Bae Abertawe"}


async def test_every_other_county_has_a_pcpg_of_its_own():
    rows = await LocalAuthority.select(LocalAuthority.pcpg).where(LocalAuthority.pcpg.name != "Swansea Bay")
    assert len(rows) == 20
    assert len({row["pcpg"] for row in rows}) == 20


async def test_33_clusters_have_a_sourced_population_and_the_rest_none():
    rows = await Cluster.select(Cluster.population, Cluster.population_source, Cluster.population_is_estimate)
    with_population = [row for row in rows if row["population"] is not None]
    assert len(with_population) == 33
    assert all(row["population_source"].strip() for row in with_population)
    assert sum(row["population_is_estimate"] for row in with_population) == 7
    assert not any(row["population_is_estimate"] for row in rows if row["population"] is None)


async def test_every_cluster_s_pcpg_and_county_belong_to_its_health_board():
    rows = await Cluster.select(
        Cluster.name,
        Cluster.health_board,
        Cluster.pcpg.health_board.as_alias("pcpg_board"),
        Cluster.local_authority.health_board.as_alias("county_board"),
        Cluster.local_authority.pcpg.as_alias("county_pcpg"),
        Cluster.pcpg,
    )
    assert [row["name"] for row in rows if row["pcpg_board"] != row["health_board"]] == []
    assert [row["name"] for row in rows if row["county_board"] != row["health_board"]] == []
    assert [row["name"] for row in rows if row["county_pcpg"] != row["pcpg"]] == []


async def test_a_changed_reference_row_is_put_back_by_the_next_load_and_the_change_audited():
    row = await LocalAuthority.select(LocalAuthority.id, LocalAuthority.name_cy).first()
    last = await AuditEvent.count()
    try:
        await LocalAuthority.update({LocalAuthority.name_cy: "Rhywle arall"}).where(LocalAuthority.id == row["id"])
        counts = await load_reference(actor=SYSTEM, now=NOW)
    finally:
        await LocalAuthority.update({LocalAuthority.name_cy: row["name_cy"]}).where(LocalAuthority.id == row["id"])
    assert counts["changes"] == 1
    assert await LocalAuthority.select(LocalAuthority.name_cy).where(LocalAuthority.id == row["id"]).first() == {
        "name_cy": row["name_cy"]
    }
    events = await AuditEvent.select(
        AuditEvent.action, AuditEvent.entity_id, AuditEvent.before, AuditEvent.after
    ).where(AuditEvent.sequence > last)
    assert [(event["action"], event["entity_id"]) for event in events] == [("reference.updated", str(row["id"]))]
    assert _json(events[0]["before"]) == {"name_cy": "Rhywle arall"}
    assert _json(events[0]["after"]) == {"name_cy": row["name_cy"]}
