"""Who may read and write PCPG plans and their priorities (API and pages): open data; a PCPG's commissioners
write them."""

from __future__ import annotations

import pytest

from tests.access.cardiff_world import (
    CARDIFF_COMMISSIONER,
    COMMISSIONERS,
    ROLES,
    Route,
    World,
    area,
    cardiff,
    everyone,
    form,
    json,
    only,
    wrong_answers_to_reads,
    wrong_answers_to_write,
)


def _clusters(world: World) -> list[int]:
    return world.cluster_ids


ROUTES = [
    Route("GET", "/plans", everyone()),
    Route("GET", "/plans/new", only(*COMMISSIONERS)),
    Route(
        "POST", "/plans/new", only(*COMMISSIONERS), form(first_financial_year="2026", title="Plan", title_cy="Cynllun")
    ),
    Route("GET", "/plans/{plan}/priorities/new", CARDIFF_COMMISSIONER),
    Route(
        "POST",
        "/plans/{plan}/priorities/new",
        CARDIFF_COMMISSIONER,
        form(title="Frailty", need="Ageing population", cluster_ids=lambda w: [str(c) for c in _clusters(w)]),
    ),
    Route("GET", "/api/v1/plans", everyone()),
    Route(
        "POST",
        "/api/v1/plans",
        CARDIFF_COMMISSIONER,
        json(pcpg_id=cardiff, first_financial_year=2026, title="Plan"),
    ),
    Route(
        "POST",
        "/api/v1/plans/{plan}/priorities",
        CARDIFF_COMMISSIONER,
        json(title="Frailty", need="Ageing population", cluster_ids=_clusters),
    ),
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
