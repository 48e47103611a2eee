"""Concurrent first writes of a row that may exist once (a vehicle's bid, an evaluator's declaration): one succeeds,
the others are refused as a conflict (409), never a database's unique violation (a 500). Issue 11, item 5.

Each task commits for real on its own connection: on PostgreSQL the existence check and the insert of two
transactions interleave; on SQLite the IMMEDIATE transactions serialise them, so the service's own check refuses.
"""

from __future__ import annotations

import asyncio

import pytest

from accounts.actor import Role
from commissioning.schemas import DeclarationIn
from commissioning.services import bids, evaluation, specifications
from commissioning.tables import Bid, Declaration
from core.errors import Conflict
from tests import bidding_support as b
from tests.conftest import make_actor

pytestmark = pytest.mark.races


def _outcomes(results: list[object]) -> tuple[int, list[type]]:
    succeeded = sum(1 for result in results if not isinstance(result, BaseException))
    return succeeded, [type(result) for result in results if isinstance(result, BaseException)]


async def test_concurrent_first_bids_by_one_vehicle_make_one_bid_and_conflicts(menu):
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    results = await asyncio.gather(
        *[
            bids.make_bid(actor=alpha, specification_id=deal.id, data=b.bid_in(70_000_00 + n), now=b.BEFORE)
            for n in range(6)
        ],
        return_exceptions=True,
    )
    succeeded, refused = _outcomes(results)
    assert succeeded == 1, results
    assert refused == [Conflict] * 5, results
    assert await Bid.count() == 1


async def test_concurrent_declarations_by_one_evaluator_declare_once_and_conflict(menu):
    deal = await b.tender()
    await b.bid(await b.provider("Alpha Care CIC"), deal, 70_000_00)
    await specifications.begin_evaluation(actor=deal.commissioner, specification_id=deal.id, now=b.AFTER)
    member = await make_actor(Role.EVALUATOR)
    await evaluation.name_evaluator(
        actor=deal.commissioner, specification_id=deal.id, username=member.username, now=b.AFTER
    )
    results = await asyncio.gather(
        *[
            evaluation.declare_interests(
                actor=member, specification_id=deal.id, data=DeclarationIn(conflict=False, statement=""), now=b.AFTER
            )
            for _ in range(6)
        ],
        return_exceptions=True,
    )
    succeeded, refused = _outcomes(results)
    assert succeeded == 1, results
    assert refused == [Conflict] * 5, results
    assert await Declaration.count() == 1
