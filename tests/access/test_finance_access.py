"""Who may read and set budget lines (API and pages): finance directors and admins set them; commissioners read
their PCPG's; to a finance director of another health board, Cardiff's lines do not exist."""

from __future__ import annotations

import pytest

from tests.access.cardiff_world import (
    FORBIDDEN,
    NOT_THEIRS,
    OTHER_BOARD,
    READERS,
    ROLES,
    SETTERS,
    Body,
    Route,
    area,
    cardiff,
    form,
    json,
    only,
    scoped,
    wrong_answers_to_reads,
    wrong_answers_to_write,
)


def _line_json() -> Body:
    return json(pcpg_id=cardiff, financial_year=2029, funding_stream="hb_core", amount_pence=1_000_000)


ROUTES = [
    Route("GET", "/budgets", only(*READERS)),
    Route("GET", "/budgets/new", only(*SETTERS)),
    Route(
        "POST",
        "/budgets/new",
        only(*SETTERS, **scoped(finance_elsewhere=FORBIDDEN)),
        form(pcpg_id=lambda w: str(cardiff(w)), financial_year="2027", funding_stream="hb_core", amount="1000"),
    ),
    Route("GET", "/budgets/{line}", only(*READERS, **NOT_THEIRS)),
    Route("POST", "/budgets/{line}", only(*SETTERS, **OTHER_BOARD), form(amount="2000000", note="")),
    Route("GET", "/api/v1/budget-lines", only(*READERS)),
    Route("POST", "/api/v1/budget-lines", only(*SETTERS, **scoped(finance_elsewhere=FORBIDDEN)), _line_json()),
    Route("GET", "/api/v1/budget-lines/{line}", only(*READERS, **NOT_THEIRS)),
    Route("GET", "/api/v1/budget-lines/{line}/ledger", only(*READERS, **NOT_THEIRS)),
    Route("PUT", "/api/v1/budget-lines/{line}", only(*SETTERS, **OTHER_BOARD), json(amount_pence=200_000_000)),
    Route("GET", "/finance/ledger", only(*READERS)),
    Route("GET", "/finance/ledger.csv", only(*READERS)),
    Route("GET", "/finance/ledger.xlsx", only(*READERS)),
    Route("GET", "/api/v1/finance/ledger", only(*READERS)),
    Route("GET", "/finance/spend?group_by=cluster", only(*READERS)),
    Route("GET", "/finance/spend.csv?group_by=pcpg", only(*READERS)),
    Route("GET", "/finance/spend.xlsx?group_by=pcpg&group_by=cluster", only(*READERS)),
    Route("GET", "/api/v1/finance/spend?group_by=health_board", only(*READERS)),
    Route("GET", "/api/v1/finance/spend.csv?group_by=financial_year", only(*READERS)),
    Route("GET", "/finance/dashboard", only(*READERS)),
    Route("GET", "/finance/dashboard?year=2027&pcpg={cardiff}", only(*READERS, **NOT_THEIRS)),
    Route("GET", "/finance/dashboard?year=2027&cluster={cardiff_north}", only(*READERS, **NOT_THEIRS)),
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
