"""Who may read and change the menu of services (API and pages): anyone reads it; national admins change it."""

from __future__ import annotations

import pytest

from tests.access.cardiff_world import (
    ADMIN,
    ROLES,
    Route,
    area,
    everyone,
    form,
    json,
    only,
    wrong_answers_to_reads,
    wrong_answers_to_write,
)

SERVICE = {
    "name": "Falls prevention",
    "name_cy": "Atal cwympiadau",
    "description": "Strength and balance classes.",
    "description_cy": "Dosbarthiadau cryfder a chydbwysedd.",
    "category": "frailty_long_term_conditions",
    "unit_of_activity": "participants",
    "unit_of_activity_cy": "cyfranogwyr",
}
SERVICE_KPI = {"name": "Falls", "name_cy": "Cwympiadau", "unit": "count", "direction": "lower_is_better"}
SERVICE_FORM = {**SERVICE, **{f"kpis-0-{key}": value for key, value in SERVICE_KPI.items()}}

ROUTES = [
    Route("GET", "/menu", everyone()),
    Route("GET", "/menu/{service}", everyone()),
    Route("GET", "/menu/new", only(ADMIN)),
    Route("POST", "/menu/new", only(ADMIN), form(code="falls-prevention", **SERVICE_FORM)),
    Route("GET", "/menu/{service}/edit", only(ADMIN)),
    Route("POST", "/menu/{service}/edit", only(ADMIN), form(**SERVICE_FORM)),
    Route("GET", "/menu/{service}/retire", only(ADMIN)),
    Route("POST", "/menu/{service}/retire", only(ADMIN), form(reason="Replaced")),
    Route("GET", "/menu/{service}/sources", only(ADMIN)),
    Route("POST", "/menu/{service}/sources", only(ADMIN), form(source="https://example.org/evidence")),
    Route("GET", "/api/v1/menu/services", everyone()),
    Route("GET", "/api/v1/menu/services/{service}", everyone()),
    Route("GET", "/api/v1/menu/services/{service}/versions", everyone()),
    Route("POST", "/api/v1/menu/services", only(ADMIN), json(code="falls-prevention", kpis=[SERVICE_KPI], **SERVICE)),
    Route("PUT", "/api/v1/menu/services/{service}", only(ADMIN), json(kpis=[SERVICE_KPI], **SERVICE)),
    Route("POST", "/api/v1/menu/services/{service}/retire", only(ADMIN), json(reason="Replaced")),
    Route("PUT", "/api/v1/menu/services/{service}/sources", only(ADMIN), json(source="https://example.org/evidence")),
]

READS = [route for route in ROUTES if route.method == "GET"]
AREAS = sorted({area(route) for route in READS})
WRITES = [route for route in ROUTES if route.method != "GET"]


@pytest.mark.parametrize("area_name", AREAS)
async def test_each_role_gets_the_answer_it_should_from_each_page_and_api_read(app, area_name):
    wrong = await wrong_answers_to_reads(app, READS, area_name)
    assert not wrong, wrong


@pytest.mark.parametrize("route", WRITES, ids=[f"{r.method} {r.path}" for r in WRITES])
async def test_each_role_gets_the_answer_it_should_from_each_write_and_a_refusal_writes_nothing(app, route):
    wrong = await wrong_answers_to_write(app, route)
    assert not wrong, wrong


def test_the_table_names_every_role_for_every_route():
    for route in ROUTES:
        assert set(route.expected) == set(ROLES), f"{route.method} {route.path}"
