"""Tenders, bids, panels, scores and awards for the tests of bids, evaluation and award, made through the app's own
services.

The dates of the worked example: published on Tuesday 1 December 2026, bids close on Monday 14 December at noon,
evaluation the same afternoon, the notice of intention to award on Friday 18 December 2026, so standstill runs over
Christmas, Boxing Day (observed Monday 28 December) and New Year's Day and ends on Monday 4 January 2027; the contract
can be made from Tuesday 5 January 2027.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from accounts.actor import Actor, Role
from administration.tables import ClockSetting
from commissioning.schemas import (
    AwardIn,
    AwardOut,
    BidAnswerIn,
    BidIn,
    BidPriceIn,
    DeclarationIn,
    ModerationIn,
    ScoreIn,
    ScoresIn,
)
from commissioning.services import award, bids, evaluation, specifications
from tests import commissioning_support as support
from tests import factories
from tests.api.conftest import sign_in_directly
from tests.conftest import make_actor

PUBLISHED = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 12, 14, 12, 0, tzinfo=UTC)
BEFORE = PUBLISHED + timedelta(days=2)
AFTER = DEADLINE + timedelta(hours=1)
AWARDED = datetime(2026, 12, 18, 10, 0, tzinfo=UTC)
STANDSTILL_ENDS = date(2027, 1, 4)
LAST_DAY_OF_STANDSTILL = datetime(2027, 1, 4, 15, 0, tzinfo=UTC)
CONFIRMABLE = datetime(2027, 1, 5, 10, 0, tzinfo=UTC)
FIRST_YEAR = support.FIRST_YEAR
CRITERIA = 3  # the standard criteria: weights 30, 20 and 10, with a price weight of 40


@dataclass
class Tender:
    commissioner: Actor
    spec: Any
    lines: list[Any]
    deadline: datetime | None

    @property
    def id(self) -> int:
        return int(self.spec.id)


async def tender(
    *,
    years: int = 1,
    max_pence: int = 80_000_00,
    published: datetime = PUBLISHED,
    deadline: datetime | None = DEADLINE,
    route: str = "competitive",
    commissioner: Actor | None = None,
) -> Tender:
    """A published specification of Cardiff PCPG for Cardiff North and West, each year on its own budget line."""
    commissioner = commissioner or await make_actor(Role.COMMISSIONER)
    lines = await support.lines_for_term(years=years, amount_pence=100_000_00 * 10)
    spec = await support.published(
        commissioner,
        lines,
        at=published,
        value_pence=max_pence,
        procurement_route=route,
        bid_deadline_at=deadline if route == "competitive" else None,
    )
    return Tender(commissioner=commissioner, spec=spec, lines=lines, deadline=deadline)


async def provider(name: str, cluster: str = "Cardiff North", *, status: str = "approved", **user: Any) -> Actor:
    """A provider user of a new delivery vehicle of that name."""
    vehicle = await factories.create_vehicle(cluster_names=(cluster,), name=name, status=status)
    return await make_actor(Role.PROVIDER, delivery_vehicle_id=vehicle.id, **user)


def bid_in(*prices: int, submit: bool = True, answers: int = CRITERIA, staff: str = "2 WTE link workers") -> BidIn:
    """Prices for each year from 2027-28 in turn, an answer to each criterion, and the declared capacity."""
    return BidIn(
        prices=[BidPriceIn(financial_year=FIRST_YEAR + n, price_pence=p) for n, p in enumerate(prices)],
        answers=[BidAnswerIn(criterion=n, answer=f"Our answer to criterion {n + 1}") for n in range(answers)],
        staff=staff,
        start_on=date(2027, 4, 1),
        submit=submit,
    )


async def bid(bidder: Actor, deal: Tender, *prices: int, at: datetime = BEFORE, submit: bool = True) -> str:
    """The bid's public id, as every bid route takes it."""
    return await bids.save_bid(
        actor=bidder, specification_id=deal.id, data=bid_in(*(prices or (70_000_00,)), submit=submit), now=at
    )


async def panel(deal: Tender, *, cleared: int = 2, conflicted: int = 0, at: datetime = AFTER) -> list[Actor]:
    """Begin the evaluation and name the panel; each declares (the conflicted ones are recused). Cleared first."""
    await specifications.begin_evaluation(actor=deal.commissioner, specification_id=deal.id, now=at)
    members = []
    for n in range(cleared + conflicted):
        member = await make_actor(Role.EVALUATOR)
        await evaluation.name_evaluator(
            actor=deal.commissioner, specification_id=deal.id, username=member.username, now=at
        )
        await evaluation.declare_interests(
            actor=member,
            specification_id=deal.id,
            data=DeclarationIn(conflict=n >= cleared, statement="A former colleague" if n >= cleared else ""),
            now=at,
        )
        members.append(member)
    return members


async def scored_but_for_a_silent_member() -> tuple[Tender, str, Actor]:
    """One bid, scored by the one member who declared; a second member named who never declares (issue 10 bug 2)."""
    deal = await tender()
    alpha_bid = await bid(await provider("Alpha Care CIC"), deal)
    [scorer] = await panel(deal, cleared=1)
    silent = await make_actor(Role.EVALUATOR)
    await evaluation.name_evaluator(
        actor=deal.commissioner, specification_id=deal.id, username=silent.username, now=AFTER
    )
    await score(scorer, alpha_bid, (4, 4, 3))
    return deal, alpha_bid, silent


async def score(member: Actor, bid_id: str, scores: tuple[int, ...], at: datetime = AFTER) -> None:
    await evaluation.score_bid(
        actor=member,
        bid_id=bid_id,
        data=ScoresIn(
            scores=[ScoreIn(criterion=n, score=s, justification=f"Evidence for {s}") for n, s in enumerate(scores)]
        ),
        now=at,
    )


async def moderate(deal: Tender, bid_id: str, scores: tuple[int, ...], at: datetime = AFTER) -> None:
    for criterion, value in enumerate(scores):
        await evaluation.moderate(
            actor=deal.commissioner,
            bid_id=bid_id,
            data=ModerationIn(criterion=criterion, score=value, reason="Panel consensus"),
            now=at,
        )


@dataclass
class Evaluated:
    """The worked example, moderated: Alpha 70,000 with quality 4, 4, 3 (46 + 32 = 78) ranks above Beta 56,000
    with 3, 3, 3 (36 + 40 = 76)."""

    deal: Tender
    alpha: Actor
    beta: Actor
    alpha_bid: str
    beta_bid: str
    panel: list[Actor] = field(default_factory=list)


async def evaluated(
    *,
    published: datetime = PUBLISHED,
    deadline: datetime = DEADLINE,
    bid_at: datetime = BEFORE,
    evaluate_at: datetime = AFTER,
    **user: Any,
) -> Evaluated:
    deal = await tender(published=published, deadline=deadline)
    alpha = await provider("Alpha Care CIC", "Cardiff North", **user)
    beta = await provider("Beta Wellbeing CIC", "Cardiff West")
    alpha_bid = await bid(alpha, deal, 70_000_00, at=bid_at)
    beta_bid = await bid(beta, deal, 56_000_00, at=bid_at + timedelta(minutes=1))
    members = await panel(deal, at=evaluate_at)
    for member in members:
        await score(member, alpha_bid, (4, 4, 3), at=evaluate_at)
        await score(member, beta_bid, (3, 3, 3), at=evaluate_at)
    await moderate(deal, alpha_bid, (4, 4, 3), at=evaluate_at)
    await moderate(deal, beta_bid, (3, 3, 3), at=evaluate_at)
    return Evaluated(deal, alpha, beta, alpha_bid, beta_bid, members)


async def intend(done: Evaluated, at: datetime = AWARDED) -> AwardOut:
    return await award.award_specification(
        actor=done.deal.commissioner,
        specification_id=done.deal.id,
        data=AwardIn(rationale="Highest total score", bid_id=done.alpha_bid),
        now=at,
    )


async def move_clock(to: datetime) -> None:
    """The training clock, as PUT /api/v1/admin/clock sets it (an offset from real time), without an audit event."""
    await ClockSetting.delete(force=True)
    exact = to - datetime.now(UTC)
    await ClockSetting(
        offset_seconds=int(exact.total_seconds()),
        offset_microseconds=exact // timedelta(microseconds=1),
        set_at=datetime.now(UTC),
        set_by_username="test",
    ).save()


@pytest.fixture
async def as_user(app: Any) -> AsyncIterator[Callable[[Actor | None], Awaitable[httpx.AsyncClient]]]:
    """`http = await as_user(actor)`: a client signed in as that user (session and token); None for the public."""
    opened: list[httpx.AsyncClient] = []

    async def make(actor: Actor | None) -> httpx.AsyncClient:
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
        opened.append(http)
        if actor is not None:
            await sign_in_directly(http, actor)
        return http

    yield make
    for http in opened:
        await http.aclose()
