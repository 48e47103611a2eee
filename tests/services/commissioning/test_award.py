"""Award at the service layer: the notice of intention, a standstill of 8 Welsh working days, representations that
hold it open until answered, confirmation that makes the contract and commits the budget, the direct award routes,
and notices in each user's own language."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from commissioning.schemas import AwardIn, AwardValueIn
from commissioning.services import award
from commissioning.tables import Award, Specification
from contracts.tables import Contract, ContractYear
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from core.i18n import translate_in
from finance import queries as finance_queries
from notifications.tables import Notification
from organisations.tables import HealthBoard, Pcpg
from tests import bidding_support as b
from tests import factories
from tests.conftest import make_actor

pytestmark = pytest.mark.usefixtures("menu")


async def _notices(user_id: int | None, kind: str) -> list[dict]:
    return await Notification.select(Notification.subject, Notification.language).where(
        (Notification.user == user_id) & (Notification.kind == kind)
    )


# Competitive award


async def test_a_competitive_award_waits_for_a_moderated_score_on_every_bid_and_criterion():
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    beta = await b.provider("Beta Wellbeing CIC", "Cardiff West")
    alpha_bid, beta_bid = await b.bid(alpha, deal, 70_000_00), await b.bid(beta, deal, 56_000_00)
    with pytest.raises(Conflict):  # the specification is closed, not yet under evaluation
        await award.award_specification(
            actor=deal.commissioner,
            specification_id=deal.id,
            data=AwardIn(rationale="x", bid_id=alpha_bid),
            now=b.AFTER,
        )
    (member,) = await b.panel(deal, cleared=1)
    await b.score(member, alpha_bid, (4, 4, 3))
    await b.score(member, beta_bid, (3, 3, 3))
    await b.moderate(deal, alpha_bid, (4, 4, 3))
    await b.moderate(deal, beta_bid, (3, 3))
    with pytest.raises(Conflict) as refused:
        await award.award_specification(
            actor=deal.commissioner,
            specification_id=deal.id,
            data=AwardIn(rationale="Highest total", bid_id=alpha_bid),
            now=b.AWARDED,
        )
    assert "moderated score for every bid" in refused.value.message
    assert await Award.count() == 0


async def test_the_notice_of_intention_sets_standstill_to_8_welsh_working_days_over_christmas():
    done = await b.evaluated()
    intention = await b.intend(done)
    assert (intention.status, intention.route, intention.delivery_vehicle_id) == (
        "standstill",
        "competitive",
        done.alpha.delivery_vehicle_id,
    )
    assert intention.standstill_ends_on == b.STANDSTILL_ENDS == date(2027, 1, 4)
    assert intention.earliest_confirmation_on == date(2027, 1, 5)
    assert [(v.financial_year, v.value_pence) for v in intention.values] == [(2027, 70_000_00)]
    stored = await Award.select(Award.standstill_ends_on, Award.rationale).first()
    assert stored == {"standstill_ends_on": date(2027, 1, 4), "rationale": "Highest total score"}
    # Both bidders are told, each with the standstill date.
    for bidder in (done.alpha, done.beta):
        (notice,) = await Notification.select(Notification.body).where(
            (Notification.user == bidder.user_id) & (Notification.kind == "award_intention")
        )
        assert "Standstill ends 4 January 2027;" in notice["body"] and "Alpha Care CIC" in notice["body"]


async def test_a_specification_is_awarded_once_and_only_to_a_submitted_bid():
    done = await b.evaluated()
    with pytest.raises(RuleBroken) as wrong:
        await award.award_specification(
            actor=done.deal.commissioner,
            specification_id=done.deal.id,
            data=AwardIn(rationale="x", bid_id=999_999),
            now=b.AWARDED,
        )
    assert wrong.value.field == "bid_id"
    await b.intend(done)
    with pytest.raises(Conflict):
        await b.intend(done, at=b.AWARDED + timedelta(hours=1))
    assert await Award.count() == 1


async def test_confirming_before_standstill_ends_is_refused_naming_the_day_it_becomes_possible():
    done = await b.evaluated()
    intention = await b.intend(done)
    for moment in (b.AWARDED, datetime(2027, 1, 4, 23, 59, tzinfo=UTC)):
        with pytest.raises(Conflict) as early:
            await award.confirm_award(actor=done.deal.commissioner, award_id=intention.id, now=moment)
        assert early.value.params["date"] == date(2027, 1, 5)
        assert "%(date)s" in early.value.message
    assert await Contract.count() == 0
    confirmed = await award.confirm_award(
        actor=done.deal.commissioner, award_id=intention.id, now=datetime(2027, 1, 5, 0, 1, tzinfo=UTC)
    )
    assert confirmed.status == "confirmed"


async def test_a_representation_holds_standstill_open_until_the_commissioner_answers_it():
    done = await b.evaluated()
    intention = await b.intend(done)
    representation = await award.lodge_representation(
        actor=done.beta, award_id=intention.id, text="Our price was lower", now=b.AWARDED + timedelta(days=1)
    )
    commissioner_notices = await _notices(done.deal.commissioner.user_id, "representation_lodged")
    assert len(commissioner_notices) == 1
    with pytest.raises(Conflict) as held:
        await award.confirm_award(actor=done.deal.commissioner, award_id=intention.id, now=b.CONFIRMABLE)
    assert held.value.params["count"] == 1
    assert await Contract.count() == 0

    await award.answer_representation(
        actor=done.deal.commissioner,
        representation_id=representation,
        answer="Quality carried 60% of the score",
        now=b.CONFIRMABLE,
    )
    with pytest.raises(Conflict):
        await award.answer_representation(
            actor=done.deal.commissioner, representation_id=representation, answer="Again", now=b.CONFIRMABLE
        )
    assert len(await _notices(done.beta.user_id, "representation_answered")) == 1
    confirmed = await award.confirm_award(
        actor=done.deal.commissioner, award_id=intention.id, now=b.CONFIRMABLE + timedelta(hours=1)
    )
    assert confirmed.status == "confirmed"
    assert [(r.text, r.answer) for r in confirmed.representations] == [
        ("Our price was lower", "Quality carried 60% of the score")
    ]


async def test_only_an_unsuccessful_bidder_may_make_a_representation_and_only_during_standstill():
    done = await b.evaluated()
    intention = await b.intend(done)
    stranger = await b.provider("Did Not Bid CIC")
    during = b.AWARDED + timedelta(days=1)
    for who in (stranger, done.alpha, done.deal.commissioner, await make_actor(Role.EVALUATOR)):
        with pytest.raises(NotAllowed):
            await award.lodge_representation(actor=who, award_id=intention.id, text="We object", now=during)
    with pytest.raises(RuleBroken):
        await award.lodge_representation(actor=done.beta, award_id=intention.id, text="  ", now=during)
    # Standstill ended on Monday 4 January 2027: from the next day a representation is too late.
    with pytest.raises(Conflict) as late:
        await award.lodge_representation(actor=done.beta, award_id=intention.id, text="Late", now=b.CONFIRMABLE)
    assert late.value.params["date"] == date(2027, 1, 4)
    assert (
        await award.confirm_award(actor=done.deal.commissioner, award_id=intention.id, now=b.CONFIRMABLE)
    ).status == "confirmed"
    with pytest.raises(Conflict):
        await award.lodge_representation(actor=done.beta, award_id=intention.id, text="After", now=b.CONFIRMABLE)


async def test_a_representation_on_the_last_day_of_standstill_is_in_time():
    done = await b.evaluated()
    intention = await b.intend(done)
    await award.lodge_representation(
        actor=done.beta, award_id=intention.id, text="Last day", now=datetime(2027, 1, 4, 16, 0, tzinfo=UTC)
    )
    with pytest.raises(Conflict):
        await award.confirm_award(actor=done.deal.commissioner, award_id=intention.id, now=b.CONFIRMABLE)


async def test_confirming_makes_the_contract_commits_the_budget_and_marks_the_specification_awarded():
    done = await b.evaluated()
    intention = await b.intend(done)
    (line,) = done.deal.lines
    before = (await finance_queries.ledgers([line.id]))[line.id]
    assert (before.earmarked_pence, before.committed_pence) == (80_000_00, 0)

    confirmed = await award.confirm_award(actor=done.deal.commissioner, award_id=intention.id, now=b.CONFIRMABLE)

    assert confirmed.status == "confirmed" and confirmed.confirmed_at == b.CONFIRMABLE
    contract = await Contract.select().where(Contract.id == confirmed.contract_id).first()
    assert contract["delivery_vehicle"] == done.alpha.delivery_vehicle_id
    assert contract["health_board"] == await factories.reference_id(
        HealthBoard, "Cardiff and Vale University Health Board"
    )
    assert contract["pcpg"] == await factories.reference_id(Pcpg, "Cardiff")
    assert (contract["start_on"], contract["end_on"]) == (date(2027, 4, 1), date(2028, 3, 31))
    assert (contract["status"], contract["total_value_pence"]) == ("mobilising", 70_000_00)
    assert contract["title"] == done.deal.spec.title and contract["title_cy"] == done.deal.spec.title_cy
    years = await ContractYear.select(ContractYear.financial_year, ContractYear.value_pence, ContractYear.budget_line)
    assert years == [{"financial_year": 2027, "value_pence": 70_000_00, "budget_line": line.id}]
    after = (await finance_queries.ledgers([line.id]))[line.id]
    assert (after.earmarked_pence, after.committed_pence) == (0, 70_000_00)
    assert after.headroom_pence == after.budget_pence - 70_000_00
    spec = await Specification.select(Specification.status).where(Specification.id == done.deal.id).first()
    assert spec["status"] == "awarded"
    actions = {row["action"] for row in await AuditEvent.select(AuditEvent.action)}
    assert {
        "award.intended",
        "award.confirmed",
        "contract.made",
        "budget.committed",
        "specification.awarded",
    } <= actions
    assert len(await _notices(done.alpha.user_id, "contract_made")) == 1
    assert len(await _notices(done.deal.commissioner.user_id, "contract_made")) == 1
    with pytest.raises(Conflict):
        await award.confirm_award(actor=done.deal.commissioner, award_id=intention.id, now=b.CONFIRMABLE)
    assert await Contract.count() == 1


async def test_only_the_pcpgs_commissioner_awards_and_confirms():
    done = await b.evaluated()
    swansea = await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",))
    with pytest.raises(NotFound):
        await award.award_specification(
            actor=swansea,
            specification_id=done.deal.id,
            data=AwardIn(rationale="x", bid_id=done.alpha_bid),
            now=b.AWARDED,
        )
    intention = await b.intend(done)
    with pytest.raises(NotFound):
        await award.confirm_award(actor=swansea, award_id=intention.id, now=b.CONFIRMABLE)
    assert await Contract.count() == 0


# Direct award routes


def _values(*pence: int) -> list[AwardValueIn]:
    return [AwardValueIn(financial_year=b.FIRST_YEAR + n, value_pence=p) for n, p in enumerate(pence)]


async def _direct(route: str, *pence: int, years: int = 2):
    deal = await b.tender(route=route, years=years)
    vehicle = await factories.create_vehicle(name="Chosen Provider CIC")
    manager = await make_actor(Role.PROVIDER, delivery_vehicle_id=vehicle.id)
    intention = await award.award_specification(
        actor=deal.commissioner,
        specification_id=deal.id,
        data=AwardIn(
            rationale="Regulation 9: the existing provider is performing satisfactorily",
            delivery_vehicle_id=vehicle.id,
            values=_values(*(pence or (60_000_00, 62_000_00))),
        ),
        now=b.AWARDED,
    )
    return deal, vehicle, manager, intention


async def test_direct_award_1_has_no_standstill_and_the_contract_is_made_at_once():
    deal, vehicle, manager, intention = await _direct("direct_award_1")
    assert intention.standstill_ends_on is None
    assert intention.earliest_confirmation_on == date(2026, 12, 18)
    with pytest.raises(Conflict):
        await award.lodge_representation(actor=manager, award_id=intention.id, text="x", now=b.AWARDED)
    confirmed = await award.confirm_award(actor=deal.commissioner, award_id=intention.id, now=b.AWARDED)
    contract = await Contract.select().where(Contract.id == confirmed.contract_id).first()
    assert (contract["delivery_vehicle"], contract["total_value_pence"]) == (vehicle.id, 122_000_00)
    assert (contract["start_on"], contract["end_on"]) == (date(2027, 4, 1), date(2029, 3, 31))
    years = await ContractYear.select(ContractYear.financial_year, ContractYear.value_pence).order_by(
        ContractYear.financial_year
    )
    assert [(y["financial_year"], y["value_pence"]) for y in years] == [(2027, 60_000_00), (2028, 62_000_00)]
    ledgers = await finance_queries.ledgers([line.id for line in deal.lines])
    assert [(ledgers[line.id].earmarked_pence, ledgers[line.id].committed_pence) for line in deal.lines] == [
        (0, 60_000_00),
        (0, 62_000_00),
    ]
    row = await Award.select(Award.rationale, Award.bid).first()
    assert row == {"rationale": "Regulation 9: the existing provider is performing satisfactorily", "bid": None}


@pytest.mark.parametrize("route", ["direct_award_2", "most_suitable_provider"])
async def test_direct_award_2_and_most_suitable_provider_observe_the_standstill(route):
    deal, _, _, intention = await _direct(route)
    assert intention.standstill_ends_on == date(2027, 1, 4)
    with pytest.raises(Conflict) as early:
        await award.confirm_award(actor=deal.commissioner, award_id=intention.id, now=b.AWARDED)
    assert early.value.params["date"] == date(2027, 1, 5)
    # Another provider (there were no bids) may make a representation during standstill.
    other = await b.provider("Overlooked Provider CIC")
    await award.lodge_representation(actor=other, award_id=intention.id, text="We can do this too", now=b.AWARDED)
    with pytest.raises(Conflict) as held:
        await award.confirm_award(actor=deal.commissioner, award_id=intention.id, now=b.CONFIRMABLE)
    assert held.value.params["count"] == 1
    assert await Contract.count() == 0


@pytest.mark.parametrize("route", ["direct_award_2", "most_suitable_provider"])
async def test_a_direct_award_with_standstill_is_confirmed_once_standstill_has_ended(route):
    deal, vehicle, _, intention = await _direct(route)
    confirmed = await award.confirm_award(actor=deal.commissioner, award_id=intention.id, now=b.CONFIRMABLE)
    assert confirmed.status == "confirmed"
    contract = await Contract.select(Contract.delivery_vehicle).where(Contract.id == confirmed.contract_id).first()
    assert contract["delivery_vehicle"] == vehicle.id


async def test_a_direct_award_value_above_a_years_maximum_is_refused_naming_the_year():
    deal = await b.tender(route="most_suitable_provider", years=2, max_pence=80_000_00)
    vehicle = await factories.create_vehicle(name="Chosen Provider CIC")
    attempts = {
        "above": _values(80_000_00, 80_000_01),
        "missing": _values(80_000_00),
    }
    with pytest.raises(RuleBroken) as above:
        await award.award_specification(
            actor=deal.commissioner,
            specification_id=deal.id,
            data=AwardIn(rationale="MSP", delivery_vehicle_id=vehicle.id, values=attempts["above"]),
            now=b.AWARDED,
        )
    assert (above.value.field, above.value.params["year"]) == ("values", "2028-29")
    assert above.value.params["maximum"] == "£80,000.00"
    with pytest.raises(RuleBroken) as missing:
        await award.award_specification(
            actor=deal.commissioner,
            specification_id=deal.id,
            data=AwardIn(rationale="MSP", delivery_vehicle_id=vehicle.id, values=attempts["missing"]),
            now=b.AWARDED,
        )
    assert missing.value.field == "values"
    pending = await factories.create_vehicle(name="Pending CIC", status="pending")
    with pytest.raises(RuleBroken) as unapproved:
        await award.award_specification(
            actor=deal.commissioner,
            specification_id=deal.id,
            data=AwardIn(rationale="MSP", delivery_vehicle_id=pending.id, values=_values(1, 1)),
            now=b.AWARDED,
        )
    assert unapproved.value.field == "delivery_vehicle_id"
    assert await Award.count() == 0


# Notices in each user's language


async def test_each_bidder_is_told_of_the_award_in_their_own_language():
    done = await b.evaluated(language="cy")
    await b.intend(done)
    spec = done.deal.spec
    (welsh,) = await _notices(done.alpha.user_id, "award_intention")
    (english,) = await _notices(done.beta.user_id, "award_intention")
    assert welsh["language"] == "cy" and english["language"] == "en"
    assert english["subject"] == f"Intention to award: {spec.title}"
    assert welsh["subject"] == translate_in("cy", "Intention to award: %(title)s", title=spec.title_cy)
    assert spec.title_cy in welsh["subject"]
    assert welsh["subject"] != english["subject"]
    (received,) = await _notices(done.alpha.user_id, "bid_received")
    assert received["subject"] == translate_in("cy", "Bid received: %(title)s", title=spec.title_cy)


# The check before the notice


async def test_checking_an_award_shows_the_notice_it_would_issue_and_writes_nothing():
    done = await b.evaluated()
    events, notices = await AuditEvent.count(), await Notification.count()
    checked = await award.check_award(
        actor=done.deal.commissioner,
        specification_id=done.deal.id,
        data=AwardIn(rationale=" Highest total score ", bid_id=done.beta_bid),
        now=b.AWARDED,
    )
    assert (checked.delivery_vehicle, checked.rank, checked.ranked_bids) == ("Beta Wellbeing CIC", 2, 2)
    assert (checked.quality_score, checked.price_score, checked.total_score) == (36.0, 40.0, 76.0)
    assert [(v.label, v.value_pence) for v in checked.values] == [("2027-28", 56_000_00)]
    assert checked.rationale == "Highest total score"
    assert checked.told == ["Alpha Care CIC", "Beta Wellbeing CIC"]
    assert (checked.standstill_ends_on, checked.earliest_confirmation_on) == (b.STANDSTILL_ENDS, date(2027, 1, 5))
    assert (await Award.count(), await AuditEvent.count(), await Notification.count()) == (0, events, notices)
    issued = await award.award_specification(
        actor=done.deal.commissioner,
        specification_id=done.deal.id,
        data=AwardIn(rationale="Highest total score", bid_id=done.beta_bid),
        now=b.AWARDED,
    )
    assert issued.standstill_ends_on == checked.standstill_ends_on, "the check and the notice read one rule"


async def test_checking_an_award_refuses_what_the_award_would_refuse():
    done = await b.evaluated()
    swansea = await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",))
    with pytest.raises(NotFound):
        await award.check_award(
            actor=swansea,
            specification_id=done.deal.id,
            data=AwardIn(rationale="x", bid_id=done.alpha_bid),
            now=b.AWARDED,
        )
    with pytest.raises(RuleBroken) as wrong:
        await award.check_award(
            actor=done.deal.commissioner,
            specification_id=done.deal.id,
            data=AwardIn(rationale="x", bid_id=999_999),
            now=b.AWARDED,
        )
    assert wrong.value.field == "bid_id"
    await b.intend(done)
    with pytest.raises(Conflict):
        await award.check_award(
            actor=done.deal.commissioner,
            specification_id=done.deal.id,
            data=AwardIn(rationale="x", bid_id=done.alpha_bid),
            now=b.AWARDED,
        )


async def test_checking_a_direct_award_1_shows_no_standstill_and_only_the_chosen_vehicle_told():
    deal = await b.tender(route="direct_award_1", years=2)
    vehicle = await factories.create_vehicle(name="Chosen Provider CIC")
    await factories.create_vehicle(name="Other Provider CIC")
    checked = await award.check_award(
        actor=deal.commissioner,
        specification_id=deal.id,
        data=AwardIn(rationale="Only capable provider", delivery_vehicle_id=vehicle.id, values=_values(1_00, 2_00)),
        now=b.AWARDED,
    )
    assert (checked.standstill_ends_on, checked.earliest_confirmation_on) == (None, date(2026, 12, 18))
    assert checked.told == ["Chosen Provider CIC"] and not checked.ranked
    assert checked.total_value_pence == 3_00
    assert await Award.count() == 0
