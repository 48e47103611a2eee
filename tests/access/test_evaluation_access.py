"""Who may declare, score, moderate and give notice of intention to award once bids have closed: the panel's
cleared evaluators, the PCPG's commissioner; the undeclared and the recused see nothing."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.actor import Role
from commissioning.schemas import DeclarationIn, ModerationIn
from commissioning.services import evaluation, specifications
from tests import bidding_support as b
from tests.access.tender_journey import (
    ADMIN,
    CARDIFF,
    COMMISSIONER,
    EVALUATOR,
    FORBIDDEN,
    NOT_FOUND,
    OTHER,
    PANEL,
    PROVIDER,
    RECUSED,
    ROLES,
    SIGNED_IN,
    STATE,
    Check,
    World,
    answers,
    form,
    json,
    run,
    world_of,
)
from tests.conftest import make_actor

pytestmark = pytest.mark.usefixtures("menu")

SCORES_JSON = json(scores=[{"criterion": n, "score": 3, "justification": "Evidence"} for n in range(b.CRITERIA)])
SCORES_FORM = form(**{f"score-{n}": "3" for n in range(b.CRITERIA)}, **{f"why-{n}": "Evidence" for n in range(3)})

# Phase 2: the deadline has passed and evaluation has begun. One evaluator has yet to declare; one declared a conflict.


async def _evaluation_world(app: Any) -> World:
    deal = await b.tender()
    provider = await b.provider("Alpha Care CIC")
    other = await b.provider("Beta Wellbeing CIC", "Cardiff West")
    alpha_bid, beta_bid = await b.bid(provider, deal, 70_000_00), await b.bid(other, deal, 56_000_00)
    await specifications.begin_evaluation(actor=deal.commissioner, specification_id=deal.id, now=b.AFTER)
    panel = {EVALUATOR: await make_actor(Role.EVALUATOR), RECUSED: await make_actor(Role.EVALUATOR)}
    for member in panel.values():
        await evaluation.name_evaluator(
            actor=deal.commissioner, specification_id=deal.id, username=member.username, now=b.AFTER
        )
    await evaluation.declare_interests(
        actor=panel[RECUSED],
        specification_id=deal.id,
        data=DeclarationIn(known_vehicle_ids=[provider.delivery_vehicle_id], conflict=True, statement="A director"),
        now=b.AFTER,
    )
    world = await world_of(
        app, deal, {PROVIDER: provider, OTHER: other, **panel}, {"alpha": alpha_bid, "beta": beta_bid}
    )
    await b.move_clock(b.AFTER)
    return world


async def _moderate_the_rest(world: World) -> None:
    deal_commissioner = world.actors[COMMISSIONER]
    for bid_id, scores in ((world.ids["alpha"], (3, 3, 3)), (world.ids["beta"], (3, 3, 3))):
        for criterion, value in enumerate(scores):
            await evaluation.moderate(
                actor=deal_commissioner,
                bid_id=bid_id,
                data=ModerationIn(criterion=criterion, score=value, reason="Consensus"),
                now=b.AFTER,
            )


OPENED = answers(PROVIDER, COMMISSIONER, ADMIN, others=NOT_FOUND)  # the undeclared and the recused see nothing
EVALUATION = [
    Check("GET", "/api/v1/bids/{alpha}", OPENED),
    Check("GET", "/api/v1/specifications/{spec}/bids", answers(*SIGNED_IN)),
    Check(
        "GET",
        "/api/v1/specifications/{spec}/evaluation",
        answers(COMMISSIONER, ADMIN, elsewhere=NOT_FOUND, evaluator=NOT_FOUND, recused=NOT_FOUND),
    ),
    Check("GET", "/specifications/{spec}/evaluation", CARDIFF),
    Check("GET", "/specifications/{spec}/evaluation-report.pdf", CARDIFF),
    Check("GET", "/evaluations/{spec}", answers(*PANEL)),
    Check("GET", "/evaluations/{spec}/bids/{alpha}", answers(others=FORBIDDEN, evaluator=NOT_FOUND, recused=NOT_FOUND)),
    Check("POST", "/evaluations/{spec}/declaration", answers(EVALUATOR, recused=STATE), form(conflict="no")),
    Check("POST", "/api/v1/specifications/{spec}/declarations", answers(evaluator=STATE, recused=STATE), json()),
    Check("GET", "/api/v1/bids/{alpha}", answers(PROVIDER, COMMISSIONER, ADMIN, EVALUATOR, others=NOT_FOUND)),
    Check("GET", "/evaluations/{spec}/bids/{alpha}", answers(EVALUATOR, recused=NOT_FOUND)),
    # A recused evaluator may not see the bids (the bids' one scope), so to them the bid is absent, as on the page.
    Check("PUT", "/api/v1/bids/{alpha}/scores", answers(EVALUATOR, recused=NOT_FOUND), SCORES_JSON),
    Check("POST", "/evaluations/{spec}/bids/{beta}", answers(EVALUATOR, recused=NOT_FOUND), SCORES_FORM),
    Check(
        "POST",
        "/api/v1/bids/{alpha}/moderation",
        CARDIFF,
        json(criterion=0, score=3, reason="Consensus"),
    ),
    Check(
        "POST",
        "/specifications/{spec}/moderation/{alpha}",
        CARDIFF,
        form(**{"scores-1-score": "3", "scores-1-reason": "Consensus"}),
        then=_moderate_the_rest,
    ),
    Check(
        "POST",
        "/specifications/{spec}/award",
        CARDIFF,
        form(bid_id=lambda w: str(w.ids["alpha"]), rationale="Best", confirm="yes"),  # confirmed on its check page
    ),
    Check(
        "POST",
        "/api/v1/specifications/{spec}/award",
        answers(commissioner=STATE, elsewhere=NOT_FOUND),  # awarded through the page just before
        json(bid_id=lambda w: w.ids["alpha"], rationale="Best"),
    ),
]


def test_every_check_names_every_role():
    for check in EVALUATION:
        assert set(check.expected) == set(ROLES), f"{check.method} {check.path}"


async def test_each_role_gets_the_answer_it_should_during_the_evaluation(app):
    assert await run(await _evaluation_world(app), EVALUATION) == {}
