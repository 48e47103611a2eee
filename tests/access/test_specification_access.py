"""Who may read and change specifications and their clarification questions (API and pages): public once
published; drafts and their forms for the PCPG's commissioners; questions from providers."""

from __future__ import annotations

import pytest

from tests import commissioning_support as support
from tests.access.cardiff_world import (
    CARDIFF_COMMISSIONER,
    COMMISSIONERS,
    DRAFT_READERS,
    PROVIDER,
    ROLES,
    Body,
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

PARTICULARS_FORM = {
    "title": "Weight management",
    "title_cy": "Rheoli pwysau",
    "description": "Support for adults.",
    "description_cy": "Cymorth i oedolion.",
    "procurement_route": "competitive",
    "day": "1",
    "month": "2",
    "year": str(support.now().year + 1),
    "time": "17:00",
}
DESCRIPTORS_FORM = {f"score-{n}-{lang}": f"Score {n}" for n in range(6) for lang in ("en", "cy")}


def _service(world: World) -> int:
    return world.ids["service"]


def _spec_json() -> Body:
    return json(pcpg_id=cardiff, menu_service_id=_service, start_financial_year=2027, term_years=1)


ROUTES = [
    # Specifications through the API
    Route("GET", "/api/v1/specifications", everyone()),
    Route("POST", "/api/v1/specifications", CARDIFF_COMMISSIONER, _spec_json()),
    Route("GET", "/api/v1/specifications/{draft}", DRAFT_READERS),
    Route("GET", "/api/v1/specifications/{published}", everyone()),
    Route("PATCH", "/api/v1/specifications/{draft}", CARDIFF_COMMISSIONER, json(title="Changed")),
    Route("GET", "/api/v1/specifications/{draft}/ledger-effect", CARDIFF_COMMISSIONER),
    Route("POST", "/api/v1/specifications/{draft}/publish", CARDIFF_COMMISSIONER),
    Route("POST", "/api/v1/specifications/{published}/cancel", CARDIFF_COMMISSIONER, json(reason="Not needed")),
    Route("POST", "/api/v1/specifications/{closed}/begin-evaluation", CARDIFF_COMMISSIONER),
    Route("GET", "/api/v1/specifications/{published}/clarifications", everyone()),
    Route("GET", "/api/v1/specifications/{draft}/clarifications", DRAFT_READERS),
    Route("POST", "/api/v1/specifications/{published}/clarifications", only(PROVIDER), json(question="Venues?")),
    Route("POST", "/api/v1/clarifications/{question}/answer", CARDIFF_COMMISSIONER, json(answer="Yes")),
    # Specification pages: public once published; drafts and their forms for the PCPG's commissioners
    Route("GET", "/opportunities", everyone()),
    Route("GET", "/specifications/{published}", everyone()),
    Route("GET", "/specifications/{draft}", DRAFT_READERS),
    Route("GET", "/specifications/{published}/specification.pdf", everyone()),
    Route("GET", "/specifications/{draft}/specification.pdf", DRAFT_READERS),
    Route("GET", "/specifications", only(*COMMISSIONERS)),
    Route("GET", "/specifications/new", only(*COMMISSIONERS)),
    Route(
        "POST",
        "/specifications/new",
        only(*COMMISSIONERS),
        form(
            menu_service_id=lambda w: str(_service(w)),
            start_financial_year="2027",
            term_years="1",
            procurement_route="competitive",
        ),
    ),
    Route("GET", "/specifications/{draft}/edit/particulars", CARDIFF_COMMISSIONER),
    Route("POST", "/specifications/{draft}/edit/particulars", CARDIFF_COMMISSIONER, form(**PARTICULARS_FORM)),
    Route("GET", "/specifications/{draft}/descriptors/0", CARDIFF_COMMISSIONER),
    Route("POST", "/specifications/{draft}/descriptors/0", CARDIFF_COMMISSIONER, form(**DESCRIPTORS_FORM)),
    Route("GET", "/specifications/{draft}/publish", CARDIFF_COMMISSIONER),
    Route("POST", "/specifications/{draft}/publish", CARDIFF_COMMISSIONER, form()),
    Route("GET", "/specifications/{published}/cancel", CARDIFF_COMMISSIONER),
    Route("POST", "/specifications/{published}/cancel", CARDIFF_COMMISSIONER, form(reason="Not needed", confirm="yes")),
    Route("GET", "/specifications/{published}/cancel/check?reason=Not+needed", CARDIFF_COMMISSIONER),
    Route("POST", "/specifications/{closed}/begin-evaluation", CARDIFF_COMMISSIONER, form()),
    Route("POST", "/specifications/{published}/questions", only(PROVIDER), form(question="Venues?")),
    Route(
        "POST",
        "/questions/{question}/answer",
        CARDIFF_COMMISSIONER,
        form(answer="Yes", specification_id=lambda w: str(w.ids["published"])),
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
