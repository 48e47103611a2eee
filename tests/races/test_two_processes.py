"""Races between two app processes sharing one database (issue 11: "races with two processes on PostgreSQL"; issue
16: the same on SQLite with `cdv serve --workers 2`).

Twenty requests at once, alternating between two processes (tests/races/processes.py): a vehicle's first bid, an
evaluator's declaration, and publishes whose earmarks compete for one budget line. Each process has its own
connection pool and caches, so only the database's locks and unique indexes keep them apart. What a user notices is
asserted: one success or as many as fit, the rest refused as a conflict (409 problem details), never a 500 nor a
"database is locked".
"""

from __future__ import annotations

import httpx
import msgspec
import pytest

from accounts.actor import Role
from audit.queries import verify_chain
from commissioning.rules import SpecificationStatus
from commissioning.services import evaluation, specifications
from commissioning.tables import Bid, Declaration, Specification
from core.money import format_pounds
from finance import queries as finance_queries
from finance.rules import budget_line_label
from finance.tables import BudgetEarmark
from tests import bidding_support as b
from tests import commissioning_support as support
from tests.conftest import make_actor
from tests.races.processes import Call, TwoApps, statuses

pytestmark = pytest.mark.races

AT_ONCE = 20
PROBLEM = "application/problem+json"


def _refused_as_conflicts(answers: list[httpx.Response]) -> list[dict]:
    """The 409s' problem details, each checked to be one."""
    refused = [answer for answer in answers if answer.status_code == 409]
    for answer in refused:
        assert answer.headers["content-type"].startswith(PROBLEM), answer.text
        assert answer.json()["status"] == 409, answer.text
    return [answer.json() for answer in refused]


async def test_twenty_first_bids_by_one_vehicle_through_two_processes_make_one_bid(two_apps: TwoApps, menu):
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    await b.move_clock(b.BEFORE)
    await two_apps.settle()
    token = await two_apps.token(alpha.username)
    calls = [
        Call("POST", f"/api/v1/specifications/{deal.id}/bids", token, json=_bid_json(70_000_00 + n))
        for n in range(AT_ONCE)
    ]

    answers = await two_apps.at_once(calls)

    two_apps.assert_no_server_errors(answers)
    assert statuses(answers) == {201: 1, 409: AT_ONCE - 1}, two_apps.logs()
    made = next(answer.json() for answer in answers if answer.status_code == 201)
    assert len(_refused_as_conflicts(answers)) == AT_ONCE - 1
    assert await Bid.count() == 1
    stored = await Bid.select(Bid.public_id).first()
    assert stored is not None and stored["public_id"] == made["id"]
    assert (await verify_chain()).intact


async def test_twenty_declarations_by_one_evaluator_through_two_processes_declare_once(two_apps: TwoApps, menu):
    deal = await b.tender()
    await b.bid(await b.provider("Alpha Care CIC"), deal, 70_000_00)
    await specifications.begin_evaluation(actor=deal.commissioner, specification_id=deal.id, now=b.AFTER)
    member = await make_actor(Role.EVALUATOR)
    await evaluation.name_evaluator(
        actor=deal.commissioner, specification_id=deal.id, username=member.username, now=b.AFTER
    )
    await b.move_clock(b.AFTER)
    await two_apps.settle()
    token = await two_apps.token(member.username)
    body = {"conflict": False, "statement": ""}
    calls = [Call("POST", f"/api/v1/specifications/{deal.id}/declarations", token, json=body)] * AT_ONCE

    answers = await two_apps.at_once(calls)

    two_apps.assert_no_server_errors(answers)
    assert statuses(answers) == {201: 1, 409: AT_ONCE - 1}, two_apps.logs()
    assert next(answer.json() for answer in answers if answer.status_code == 201) == {"recused": False}
    assert len(_refused_as_conflicts(answers)) == AT_ONCE - 1
    assert await Declaration.count() == 1
    assert (await verify_chain()).intact


async def test_twenty_publishes_on_one_budget_line_through_two_processes_earmark_only_what_fits(
    two_apps: TwoApps, menu
):
    each = 10_000_000
    fits = 7
    left_over = 3_333_333  # not a whole specification: the eighth is 66,666.67 short
    line = await support.budget_line(amount_pence=fits * each + left_over)
    commissioners = [await make_actor(Role.COMMISSIONER), await make_actor(Role.COMMISSIONER)]
    drafts = [
        (commissioners[n % 2], await support.draft(commissioners[n % 2], [line], value_pence=each))
        for n in range(AT_ONCE)
    ]
    await two_apps.settle()
    tokens = {actor.username: await two_apps.token(actor.username) for actor in commissioners}
    calls = [
        Call("POST", f"/api/v1/specifications/{spec.id}/publish", tokens[actor.username]) for actor, spec in drafts
    ]

    answers = await two_apps.at_once(calls)

    two_apps.assert_no_server_errors(answers)
    assert statuses(answers) == {200: fits, 409: AT_ONCE - fits}, two_apps.logs()
    label = budget_line_label(pcpg="Cardiff", financial_year=line.financial_year, funding_stream="cluster_funding")
    for problem in _refused_as_conflicts(answers):
        assert label in problem["detail"], problem
        assert format_pounds(each - left_over) in problem["detail"], problem
    published = await Specification.count().where(Specification.status == SpecificationStatus.PUBLISHED)
    assert published == fits
    ledger = (await finance_queries.ledgers([line.id]))[line.id]
    assert ledger.earmarked_pence <= ledger.budget_pence
    assert ledger.earmarked_pence == fits * each
    assert ledger.headroom_pence == left_over
    held = await BudgetEarmark.select(BudgetEarmark.amount_pence).where(BudgetEarmark.budget_line == line.id)
    assert sum(row["amount_pence"] for row in held) == ledger.earmarked_pence
    assert ledger.budget_pence == ledger.earmarked_pence + ledger.committed_pence + ledger.headroom_pence
    assert (await verify_chain()).intact


def _bid_json(price_pence: int) -> dict:
    """The API's body for a complete bid (tests/bidding_support.bid_in, as a client sends it)."""
    return msgspec.to_builtins(b.bid_in(price_pence))
