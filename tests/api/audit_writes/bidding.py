"""Writes of commissioning from bids to contract: bids and their attachments, the panel, declarations, scores,
moderation, the notice of intention to award, representations and their answers, and confirmation (API and pages).

The states follow the worked example of tests/bidding_support.py, with the training clock on its dates.
"""

from __future__ import annotations

from functools import partial

import httpx

from accounts.actor import Actor, Role
from commissioning.services import award, evaluation, specifications
from tests import bidding_support as b
from tests.api.audit_writes import Arrange, Users, Write, form
from tests.api.audit_writes.menu import on_the_menu
from tests.conftest import make_actor

SPEC = "{specification_id:int}"
BID = "{bid_id:str}"
AWARD = "{award_id:int}"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BID_JSON = {
    "prices": [{"financial_year": b.FIRST_YEAR, "price_pence": 60_000_00}],
    "answers": [{"criterion": n, "answer": "Our answer"} for n in range(b.CRITERIA)],
    "staff": "2 WTE",
    "start_on": "2027-04-01",
}
BID_FORM = {
    f"price-{b.FIRST_YEAR}": "60000",
    "staff": "2 WTE",
    "day": "1",
    "month": "4",
    "year": "2027",
    "action": "submit",
    **{f"answer-{n}": "Our answer" for n in range(b.CRITERIA)},
}
SCORES_JSON = {"scores": [{"criterion": n, "score": 3, "justification": "Evidence"} for n in range(b.CRITERIA)]}
SCORES_FORM = {**{f"score-{n}": "3" for n in range(b.CRITERIA)}, **{f"why-{n}": "Evidence" for n in range(b.CRITERIA)}}


async def _open() -> b.Tender:
    """A published tender, its bids open (the clock two days after publication)."""
    await on_the_menu()
    deal = await b.tender()
    await b.move_clock(b.BEFORE)
    return deal


async def _bidder(users: Users, deal: b.Tender, *, with_bid: bool) -> tuple[httpx.AsyncClient, Actor, int | None]:
    """A provider's client, the provider, and their submitted bid (if asked for)."""
    bidder = await b.provider("Alpha Care CIC")
    bid_id = await b.bid(bidder, deal) if with_bid else None
    return await users.client(bidder), bidder, bid_id


async def _with_bids() -> tuple[b.Tender, int, int]:
    """Alpha's and Beta's bids in, while bids are open."""
    deal = await _open()
    alpha_bid = await b.bid(await b.provider("Alpha Care CIC"), deal, 70_000_00)
    beta_bid = await b.bid(await b.provider("Beta Wellbeing CIC", "Cardiff West"), deal, 56_000_00)
    return deal, alpha_bid, beta_bid


async def _closed() -> b.Tender:
    """Two bids in; the deadline passed and the evaluation begun (the clock an hour after the deadline)."""
    deal, _, _ = await _with_bids()
    await specifications.begin_evaluation(actor=deal.commissioner, specification_id=deal.id, now=b.AFTER)
    await b.move_clock(b.AFTER)
    return deal


async def _cleared() -> tuple[b.Tender, Actor, int, int]:
    """Two bids in; under evaluation, with a panel of one who declared no conflict."""
    deal, alpha_bid, beta_bid = await _with_bids()
    (member,) = await b.panel(deal, cleared=1)
    await b.move_clock(b.AFTER)
    return deal, member, alpha_bid, beta_bid


async def _scored() -> tuple[b.Tender, int]:
    """Under evaluation, the panel of one has scored both bids; nothing moderated yet."""
    deal, member, alpha_bid, beta_bid = await _cleared()
    await b.score(member, alpha_bid, (4, 4, 3))
    await b.score(member, beta_bid, (3, 3, 3))
    return deal, alpha_bid


async def _evaluated() -> b.Evaluated:
    """The worked example, moderated, ready for the notice of intention to award."""
    await on_the_menu()
    done = await b.evaluated()
    await b.move_clock(b.AWARDED)
    return done


async def _in_standstill() -> tuple[b.Evaluated, int]:
    """The notice of intention issued to Alpha; standstill's last day."""
    await on_the_menu()
    done = await b.evaluated()
    intention = await b.intend(done)
    await b.move_clock(b.LAST_DAY_OF_STANDSTILL)
    return done, intention.id


async def _represented() -> tuple[b.Evaluated, int, int]:
    """In standstill, with Beta's representation lodged."""
    done, award_id = await _in_standstill()
    representation = await award.lodge_representation(
        actor=done.beta, award_id=award_id, text="Our price was lower", now=b.LAST_DAY_OF_STANDSTILL
    )
    return done, award_id, representation


async def _standstill_over() -> tuple[b.Evaluated, int]:
    done, award_id = await _in_standstill()
    await b.move_clock(b.CONFIRMABLE)
    return done, award_id


# Bids


async def _create_bid(users: Users) -> Write:
    deal = await _open()
    http, bidder, _ = await _bidder(users, deal, with_bid=False)
    send = partial(http.post, f"/api/v1/specifications/{deal.id}/bids", json=BID_JSON)
    return Write(send, "bid.submitted", bidder.username)


async def _replace_bid(users: Users) -> Write:
    deal = await _open()
    http, bidder, bid_id = await _bidder(users, deal, with_bid=True)
    return Write(partial(http.put, f"/api/v1/bids/{bid_id}", json=BID_JSON), "bid.submitted", bidder.username)


async def _withdraw(users: Users) -> Write:
    deal = await _open()
    http, bidder, bid_id = await _bidder(users, deal, with_bid=True)
    return Write(partial(http.post, f"/api/v1/bids/{bid_id}/withdraw"), "bid.withdrawn", bidder.username)


async def _attach(users: Users) -> Write:
    deal = await _open()
    http, bidder, bid_id = await _bidder(users, deal, with_bid=True)
    files = {"file": ("plan.pdf", PDF, "application/pdf")}
    send = partial(http.post, f"/api/v1/bids/{bid_id}/attachments", files=files)
    return Write(send, "bid.attachment_added", bidder.username)


async def _bid_page(users: Users) -> Write:
    deal = await _open()
    http, bidder, _ = await _bidder(users, deal, with_bid=False)
    send = partial(http.post, f"/specifications/{deal.id}/bid", data=await form(http, **BID_FORM))
    return Write(send, "bid.submitted", bidder.username)


async def _submit_checked_page(users: Users) -> Write:
    deal = await _open()
    http, bidder, bid_id = await _bidder(users, deal, with_bid=True)
    send = partial(http.post, f"/bids/{bid_id}/submit", data=await form(http))
    return Write(send, "bid.submitted", bidder.username)


async def _withdraw_page(users: Users) -> Write:
    deal = await _open()
    http, bidder, bid_id = await _bidder(users, deal, with_bid=True)
    send = partial(http.post, f"/bids/{bid_id}/withdraw", data=await form(http))
    return Write(send, "bid.withdrawn", bidder.username)


async def _attach_page(users: Users) -> Write:
    deal = await _open()
    http, bidder, bid_id = await _bidder(users, deal, with_bid=True)
    files = {"file": ("plan.pdf", PDF, "application/pdf")}
    send = partial(http.post, f"/bids/{bid_id}/attachments", data=await form(http), files=files)
    return Write(send, "bid.attachment_added", bidder.username)


# The panel, declarations, scores and moderation


async def _name_evaluator(users: Users) -> Write:
    deal = await _open()
    http, evaluator = await users.client(deal.commissioner), await make_actor(Role.EVALUATOR)
    send = partial(http.post, f"/api/v1/specifications/{deal.id}/panel", json={"username": evaluator.username})
    return Write(send, "panel.member_named", deal.commissioner.username)


async def _name_evaluator_page(users: Users) -> Write:
    deal = await _open()
    http, evaluator = await users.client(deal.commissioner), await make_actor(Role.EVALUATOR)
    data = await form(http, username=evaluator.username)
    return Write(
        partial(http.post, f"/specifications/{deal.id}/panel", data=data),
        "panel.member_named",
        deal.commissioner.username,
    )


async def _remove_evaluator(users: Users) -> Write:
    deal, member, _, _ = await _cleared()
    http = await users.client(deal.commissioner)
    send = partial(
        http.post,
        f"/api/v1/specifications/{deal.id}/panel/{member.user_id}/removal",
        json={"reason": "Left the health board"},
    )
    return Write(send, "panel.member_removed", deal.commissioner.username)


async def _remove_evaluator_page(users: Users) -> Write:
    deal, member, _, _ = await _cleared()
    http = await users.client(deal.commissioner)
    data = await form(http, user_id=str(member.user_id), reason="Left the health board")
    return Write(
        partial(http.post, f"/specifications/{deal.id}/panel/removal", data=data),
        "panel.member_removed",
        deal.commissioner.username,
    )


async def _named(users: Users) -> tuple[httpx.AsyncClient, Actor, b.Tender]:
    """Under evaluation; a client of an evaluator named to the panel who has yet to declare."""
    deal = await _closed()
    evaluator = await make_actor(Role.EVALUATOR)
    await evaluation.name_evaluator(
        actor=deal.commissioner, specification_id=deal.id, username=evaluator.username, now=b.AFTER
    )
    return await users.client(evaluator), evaluator, deal


async def _declare(users: Users) -> Write:
    http, evaluator, deal = await _named(users)
    body = {"conflict": False}
    send = partial(http.post, f"/api/v1/specifications/{deal.id}/declarations", json=body)
    return Write(send, "panel.interests_declared", evaluator.username)


async def _declare_page(users: Users) -> Write:
    http, evaluator, deal = await _named(users)
    send = partial(http.post, f"/evaluations/{deal.id}/declaration", data=await form(http, conflict="no"))
    return Write(send, "panel.interests_declared", evaluator.username)


async def _declared(users: Users) -> tuple[httpx.AsyncClient, Actor, b.Tender, int]:
    """Under evaluation; a client of a panel member cleared to score, and a bid to score."""
    deal, member, alpha_bid, _ = await _cleared()
    return await users.client(member), member, deal, alpha_bid


async def _score(users: Users) -> Write:
    http, member, _, bid_id = await _declared(users)
    return Write(partial(http.put, f"/api/v1/bids/{bid_id}/scores", json=SCORES_JSON), "bid.scored", member.username)


async def _score_page(users: Users) -> Write:
    http, member, deal, bid_id = await _declared(users)
    send = partial(http.post, f"/evaluations/{deal.id}/bids/{bid_id}", data=await form(http, **SCORES_FORM))
    return Write(send, "bid.scored", member.username)


async def _moderate(users: Users) -> Write:
    deal, bid_id = await _scored()
    http = await users.client(deal.commissioner)
    body = {"criterion": 0, "score": 3, "reason": "Consensus"}
    send = partial(http.post, f"/api/v1/bids/{bid_id}/moderation", json=body)
    return Write(send, "bid.moderated", deal.commissioner.username)


async def _moderate_page(users: Users) -> Write:
    deal, bid_id = await _scored()
    http = await users.client(deal.commissioner)
    data = await form(http, **{"scores-1-score": "3", "scores-1-reason": "Consensus"})
    send = partial(http.post, f"/specifications/{deal.id}/moderation/{bid_id}", data=data)
    return Write(send, "bid.moderated", deal.commissioner.username)


# The award


async def _award(users: Users) -> Write:
    done = await _evaluated()
    http = await users.client(done.deal.commissioner)
    body = {"bid_id": done.alpha_bid, "rationale": "Highest total score"}
    send = partial(http.post, f"/api/v1/specifications/{done.deal.id}/award", json=body)
    return Write(send, "award.intended", done.deal.commissioner.username)


async def _award_page(users: Users) -> Write:
    done = await _evaluated()
    http = await users.client(done.deal.commissioner)
    data = await form(http, bid_id=str(done.alpha_bid), rationale="Highest total score", confirm="yes")
    send = partial(http.post, f"/specifications/{done.deal.id}/award", data=data)
    return Write(send, "award.intended", done.deal.commissioner.username)


async def _represent(users: Users) -> Write:
    done, award_id = await _in_standstill()
    http = await users.client(done.beta)
    send = partial(http.post, f"/api/v1/awards/{award_id}/representations", json={"text": "Our price was lower"})
    return Write(send, "award.representation_lodged", done.beta.username)


async def _represent_page(users: Users) -> Write:
    done, award_id = await _in_standstill()
    http = await users.client(done.beta)
    data = await form(http, text="Our quality was better")
    send = partial(http.post, f"/awards/{award_id}/representations", data=data)
    return Write(send, "award.representation_lodged", done.beta.username)


async def _answer(users: Users) -> Write:
    done, _, representation = await _represented()
    http = await users.client(done.deal.commissioner)
    body = {"text": "Quality carried 60%"}
    send = partial(http.post, f"/api/v1/representations/{representation}/answer", json=body)
    return Write(send, "award.representation_answered", done.deal.commissioner.username)


async def _answer_page(users: Users) -> Write:
    done, award_id, representation = await _represented()
    http = await users.client(done.deal.commissioner)
    data = await form(http, answer="Scored as published")
    send = partial(http.post, f"/awards/{award_id}/representations/{representation}/answer", data=data)
    return Write(send, "award.representation_answered", done.deal.commissioner.username)


async def _confirm(users: Users) -> Write:
    done, award_id = await _standstill_over()
    http = await users.client(done.deal.commissioner)
    send = partial(http.post, f"/api/v1/awards/{award_id}/confirm", json={})
    return Write(send, "award.confirmed", done.deal.commissioner.username)


async def _confirm_page(users: Users) -> Write:
    done, award_id = await _standstill_over()
    http = await users.client(done.deal.commissioner)
    send = partial(http.post, f"/awards/{award_id}/confirm", data=await form(http))
    return Write(send, "award.confirmed", done.deal.commissioner.username)


WRITES: dict[tuple[str, str], Arrange] = {
    ("POST", f"/api/v1/specifications/{SPEC}/bids"): _create_bid,
    ("PUT", f"/api/v1/bids/{BID}"): _replace_bid,
    ("POST", f"/api/v1/bids/{BID}/withdraw"): _withdraw,
    ("POST", f"/api/v1/bids/{BID}/attachments"): _attach,
    ("POST", f"/specifications/{SPEC}/bid"): _bid_page,
    ("POST", f"/bids/{BID}/withdraw"): _withdraw_page,
    ("POST", f"/bids/{BID}/submit"): _submit_checked_page,
    ("POST", f"/bids/{BID}/attachments"): _attach_page,
    ("POST", f"/api/v1/specifications/{SPEC}/panel"): _name_evaluator,
    ("POST", f"/api/v1/specifications/{SPEC}/panel/{{user_id:int}}/removal"): _remove_evaluator,
    ("POST", f"/specifications/{SPEC}/panel"): _name_evaluator_page,
    ("POST", f"/specifications/{SPEC}/panel/removal"): _remove_evaluator_page,
    ("POST", f"/api/v1/specifications/{SPEC}/declarations"): _declare,
    ("POST", f"/evaluations/{SPEC}/declaration"): _declare_page,
    ("PUT", f"/api/v1/bids/{BID}/scores"): _score,
    ("POST", f"/evaluations/{SPEC}/bids/{BID}"): _score_page,
    ("POST", f"/api/v1/bids/{BID}/moderation"): _moderate,
    ("POST", f"/specifications/{SPEC}/moderation/{BID}"): _moderate_page,
    ("POST", f"/api/v1/specifications/{SPEC}/award"): _award,
    ("POST", f"/specifications/{SPEC}/award"): _award_page,
    ("POST", f"/api/v1/awards/{AWARD}/representations"): _represent,
    ("POST", f"/awards/{AWARD}/representations"): _represent_page,
    ("POST", "/api/v1/representations/{representation_id:int}/answer"): _answer,
    ("POST", f"/awards/{AWARD}/representations/{{representation_id:int}}/answer"): _answer_page,
    ("POST", f"/api/v1/awards/{AWARD}/confirm"): _confirm,
    ("POST", f"/awards/{AWARD}/confirm"): _confirm_page,
}
