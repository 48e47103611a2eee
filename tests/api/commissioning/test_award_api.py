"""The evaluation and award API: the panel, declarations, scores and moderation; the evaluation with quality, price
and total scores, the ranking and the tie rule; the notice of intention with its standstill date; representations;
confirmation refused early with a 409 naming the date; direct award values above the maximum refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from accounts.actor import Role
from commissioning.tables import Award
from contracts.tables import Contract
from tests import bidding_support as b
from tests.conftest import make_actor

pytestmark = pytest.mark.usefixtures("menu")

PROBLEM = "application/problem+json"


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    return response.json()


def _scores(*values: int) -> dict[str, Any]:
    return {"scores": [{"criterion": n, "score": s, "justification": "Evidence"} for n, s in enumerate(values)]}


async def test_the_panel_declares_scores_and_the_commissioner_moderates_ranks_and_awards_through_the_api(as_user):
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    beta = await b.provider("Beta Wellbeing CIC", "Cardiff West")
    alpha_bid, beta_bid = await b.bid(alpha, deal, 70_000_00), await b.bid(beta, deal, 56_000_00)
    one, conflicted = await make_actor(Role.EVALUATOR), await make_actor(Role.EVALUATOR)
    commissioner = await as_user(deal.commissioner)

    await b.move_clock(b.BEFORE)
    # Sealed: the evaluation answers as for a specification that does not exist (test_sealed_evaluation.py).
    sealed = _problem(await commissioner.get(f"/api/v1/specifications/{deal.id}/evaluation"), 404)
    assert "bids" not in sealed
    await b.move_clock(b.AFTER)
    assert (await commissioner.post(f"/api/v1/specifications/{deal.id}/begin-evaluation", json={})).status_code in (
        200,
        201,
    )
    for member in (one, conflicted):
        named = await commissioner.post(f"/api/v1/specifications/{deal.id}/panel", json={"username": member.username})
        assert named.status_code == 204, named.text
    assert (
        _problem(
            await commissioner.post(f"/api/v1/specifications/{deal.id}/panel", json={"username": alpha.username}), 422
        )["errors"][0]["field"]
        == "username"
    )

    evaluator, recused = await as_user(one), await as_user(conflicted)
    # Before declaring, no bid exists for the evaluator (the bids' one scope), so scoring one is scoring nothing.
    assert (
        _problem(await evaluator.put(f"/api/v1/bids/{alpha_bid}/scores", json=_scores(4, 4, 3)), 404)["detail"]
        == "No such bid"
    )
    declared = await evaluator.post(f"/api/v1/specifications/{deal.id}/declarations", json={})
    assert (declared.status_code, declared.json()) == (201, {"recused": False})
    conflict = await recused.post(
        f"/api/v1/specifications/{deal.id}/declarations",
        json={"known_vehicle_ids": [alpha.delivery_vehicle_id], "conflict": True, "statement": "Director of Alpha"},
    )
    assert conflict.json() == {"recused": True}
    _problem(await recused.put(f"/api/v1/bids/{alpha_bid}/scores", json=_scores(5, 5, 5)), 404)
    _problem(await recused.get(f"/api/v1/bids/{alpha_bid}"), 404)
    _problem(await recused.get(f"/api/v1/specifications/{deal.id}/evaluation"), 404)

    assert (await evaluator.put(f"/api/v1/bids/{alpha_bid}/scores", json=_scores(4, 4, 3))).status_code == 204
    early = await commissioner.post(
        f"/api/v1/bids/{alpha_bid}/moderation", json={"criterion": 0, "score": 4, "reason": "Consensus"}
    )
    assert "Every evaluator" in _problem(early, 409)["detail"]
    assert (await evaluator.put(f"/api/v1/bids/{beta_bid}/scores", json=_scores(3, 3, 3))).status_code == 204
    for bid_id, scores in ((alpha_bid, (4, 4, 3)), (beta_bid, (3, 3, 3))):
        for criterion, score in enumerate(scores):
            moderated = await commissioner.post(
                f"/api/v1/bids/{bid_id}/moderation", json={"criterion": criterion, "score": score, "reason": "Agreed"}
            )
            assert moderated.status_code == 204, moderated.text

    result = (await commissioner.get(f"/api/v1/specifications/{deal.id}/evaluation")).json()
    assert [
        (x["bid_id"], x["delivery_vehicle"], x["quality_score"], x["price_score"], x["total_score"], x["rank"])
        for x in result["bids"]
    ] == [
        (alpha_bid, "Alpha Care CIC", 46.0, 32.0, 78.0, 1),
        (beta_bid, "Beta Wellbeing CIC", 36.0, 40.0, 76.0, 2),
    ]
    assert "quality score" in result["tie_rule"] and "earlier submission" in result["tie_rule"]
    assert (result["all_scored"], result["all_moderated"], result["price_weight"]) == (True, True, 40)
    assert [c["weight"] for c in result["criteria"]] == [30, 20, 10]
    assert (await evaluator.get(f"/api/v1/specifications/{deal.id}/evaluation")).json()["bids"][0]["rank"] == 1
    for role in (Role.PROVIDER, Role.FINANCE_DIRECTOR):
        other = await as_user(await make_actor(role))
        _problem(await other.get(f"/api/v1/specifications/{deal.id}/evaluation"), 403)

    await b.move_clock(b.AWARDED)
    _problem(
        await evaluator.post(f"/api/v1/specifications/{deal.id}/award", json={"bid_id": alpha_bid, "rationale": "x"}),
        403,
    )
    made = await commissioner.post(
        f"/api/v1/specifications/{deal.id}/award", json={"bid_id": alpha_bid, "rationale": "Highest total score"}
    )
    assert made.status_code == 201, made.text
    notice = made.json()
    assert (notice["standstill_ends_on"], notice["earliest_confirmation_on"], notice["status"]) == (
        "2027-01-04",
        "2027-01-05",
        "standstill",
    )


async def test_standstill_confirmation_and_representations_through_the_api(as_user):
    done = await b.evaluated()
    intention = await b.intend(done)
    commissioner = await as_user(done.deal.commissioner)
    await b.move_clock(b.LAST_DAY_OF_STANDSTILL)

    early = _problem(await commissioner.post(f"/api/v1/awards/{intention.id}/confirm"), 409)
    assert "5 January 2027" in early["detail"]
    assert early["earliest_confirmation_on"] == "2027-01-05"
    public = (await (await as_user(None)).get(f"/api/v1/awards/{intention.id}")).json()
    assert (public["delivery_vehicle"], public["standstill_ends_on"]) == ("Alpha Care CIC", "2027-01-04")

    stranger = await as_user(await b.provider("Did Not Bid CIC"))
    _problem(await stranger.post(f"/api/v1/awards/{intention.id}/representations", json={"text": "We object"}), 403)
    _problem(await commissioner.post(f"/api/v1/awards/{intention.id}/representations", json={"text": "x"}), 403)
    beta = await as_user(done.beta)
    lodged = await beta.post(f"/api/v1/awards/{intention.id}/representations", json={"text": "Our price was lower"})
    assert lodged.status_code == 201, lodged.text
    representation = lodged.json()  # the representation made, not the award
    assert (representation["text"], representation["answered_at"]) == ("Our price was lower", None)
    assert representation["delivery_vehicle_id"] == done.beta.delivery_vehicle_id
    (shown,) = (await commissioner.get(f"/api/v1/awards/{intention.id}")).json()["representations"]
    assert shown == representation
    # Representations are shown to the PCPG and to their authors only.
    assert (await (await as_user(None)).get(f"/api/v1/awards/{intention.id}")).json()["representations"] == []
    assert (await (await as_user(done.alpha)).get(f"/api/v1/awards/{intention.id}")).json()["representations"] == []

    await b.move_clock(b.CONFIRMABLE)
    late = _problem(await beta.post(f"/api/v1/awards/{intention.id}/representations", json={"text": "Late"}), 409)
    assert late["standstill_ends_on"] == "2027-01-04"  # the fact, as a member (issue 10, item 20)
    held = _problem(await commissioner.post(f"/api/v1/awards/{intention.id}/confirm"), 409)
    assert "1 open" in held["detail"]
    assert "earliest_confirmation_on" not in held  # standstill is over: only the open representation holds it
    _problem(await beta.post(f"/api/v1/representations/{representation['id']}/answer", json={"text": "x"}), 403)
    answered = await commissioner.post(
        f"/api/v1/representations/{representation['id']}/answer", json={"text": "Quality carried 60%"}
    )
    assert answered.status_code == 204, answered.text
    confirmed = await commissioner.post(f"/api/v1/awards/{intention.id}/confirm")
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed" and confirmed.json()["contract_id"] is not None
    assert await Contract.count() == 1
    _problem(await commissioner.post(f"/api/v1/awards/{intention.id}/confirm"), 409)


async def test_a_direct_award_value_above_the_maximum_is_a_422_naming_the_year(as_user):
    deal = await b.tender(route="direct_award_2", years=2, max_pence=80_000_00)
    vehicle = await b.provider("Chosen Provider CIC")
    commissioner = await as_user(deal.commissioner)
    await b.move_clock(b.AWARDED)
    body = {
        "rationale": "Existing provider performing satisfactorily",
        "delivery_vehicle_id": vehicle.delivery_vehicle_id,
        "values": [
            {"financial_year": 2027, "value_pence": 80_000_00},
            {"financial_year": 2028, "value_pence": 90_000_00},
        ],
    }
    problem = _problem(await commissioner.post(f"/api/v1/specifications/{deal.id}/award", json=body), 422)
    assert [e["field"] for e in problem["errors"]] == ["values"] and "2028-29" in problem["detail"]
    assert problem["financial_year"] == 2028
    assert await Award.count() == 0
    body["values"][1]["value_pence"] = 80_000_00
    made = await commissioner.post(f"/api/v1/specifications/{deal.id}/award", json=body)
    assert made.status_code == 201 and made.json()["standstill_ends_on"] == "2027-01-04"
    assert (
        "5 January 2027"
        in _problem(await commissioner.post(f"/api/v1/awards/{made.json()['id']}/confirm"), 409)["detail"]
    )
    await b.move_clock(b.AWARDED + timedelta(days=30))
    assert (await commissioner.post(f"/api/v1/awards/{made.json()['id']}/confirm")).status_code == 200
