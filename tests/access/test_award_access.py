"""Who may see an award, make and answer representations, and make the contract during standstill and after."""

from __future__ import annotations

from typing import Any

import pytest

from commissioning.tables import Representation
from tests import bidding_support as b
from tests.access.tender_journey import (
    CARDIFF,
    EVALUATOR,
    NOT_FOUND,
    OK,
    OTHER,
    PROVIDER,
    RECUSED,
    ROLES,
    STATE,
    Check,
    World,
    answers,
    form,
    json,
    run,
    world_of,
)

pytestmark = pytest.mark.usefixtures("menu")

# Phase 3: the notice of intention is issued and standstill runs.


async def _award_world(app: Any) -> World:
    done = await b.evaluated()
    intention = await b.intend(done)
    world = await world_of(
        app,
        done.deal,
        {PROVIDER: done.alpha, OTHER: done.beta, EVALUATOR: done.panel[0], RECUSED: done.panel[1]},
        {"award": intention.id},
    )
    await b.move_clock(b.LAST_DAY_OF_STANDSTILL)
    return world


async def _representations_made(world: World) -> None:
    rows = await Representation.select(Representation.id).order_by(Representation.id)
    world.ids["first"], world.ids["second"] = rows[0]["id"], rows[1]["id"]


async def _standstill_over(world: World) -> None:
    await b.move_clock(b.CONFIRMABLE)


AWARD = [
    Check("GET", "/api/v1/awards/{award}", answers(*ROLES, anonymous=OK)),
    Check("GET", "/awards/{award}", answers(*ROLES, anonymous=OK)),
    # Only an unsuccessful bidder may make a representation: the winner is refused (403, or a message on the page).
    Check("POST", "/api/v1/awards/{award}/representations", answers(OTHER), json(text="Our price was lower")),
    Check(
        "POST",
        "/awards/{award}/representations",
        answers(OTHER, provider=STATE),
        form(text="Our quality was better"),
        then=_representations_made,
    ),
    Check("POST", "/api/v1/representations/{first}/answer", CARDIFF, json(text="Quality carried 60%")),
    Check("POST", "/awards/{award}/representations/{second}/answer", CARDIFF, form(answer="Scored as published")),
    Check(
        "POST",
        "/api/v1/awards/{award}/confirm",
        answers(commissioner=STATE, elsewhere=NOT_FOUND),  # standstill has not ended
        json(),
        then=_standstill_over,
    ),
    Check("POST", "/awards/{award}/confirm", CARDIFF, form()),
]


def test_every_check_names_every_role():
    for check in AWARD:
        assert set(check.expected) == set(ROLES), f"{check.method} {check.path}"


async def test_each_role_gets_the_answer_it_should_during_standstill_and_confirmation(app):
    assert await run(await _award_world(app), AWARD) == {}
