"""Award under the Provider Selection Regime (Wales) 2025: notice of intention, a standstill of 8 Welsh working
days (none for Direct Award 1), representations that hold it open until answered, then the contract."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, NamedTuple

from accounts.actor import Actor, Role
from accounts.tables import UserPcpg
from audit.operation import operation
from commissioning import rules
from commissioning.queries import award as award_queries
from commissioning.queries import bids as bid_queries
from commissioning.queries import evaluation as evaluation_queries
from commissioning.schemas import AwardCheckOut, AwardIn, AwardOut, AwardYearOut, BidEvaluationOut
from commissioning.services.bids import vehicle_user_ids
from commissioning.tables import Award, Bid, BidPrice, Representation, Specification, SpecificationYear
from contracts.schemas.making import ContractIn, ContractYearIn
from contracts.services.making import make_contract
from contracts.tables import Contract
from core.clock import london_day
from core.db import for_update
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from core.money import format_pounds
from core.periods import FinancialYear
from core.public_ids import is_public_id
from notifications.services import notify
from organisations.tables import DeliveryVehicle, Pcpg


async def _managed(actor: Actor, specification_id: int, *, lock: bool = True) -> dict[str, Any]:
    query = Specification.select().where(Specification.id == specification_id)
    spec = await (for_update(query).first() if lock else query.first())
    if spec is None or not rules.can_manage_specification(
        role=actor.role.value if actor.role else None, actor_pcpg_ids=actor.pcpg_ids, pcpg_id=spec["pcpg"]
    ):
        raise NotFound("No such specification")
    return spec


async def _commissioner_ids(pcpg_id: int) -> list[int]:
    return [row["user"] for row in await UserPcpg.select(UserPcpg.user).where(UserPcpg.pcpg == pcpg_id)]


class _Planned(NamedTuple):
    """A notice of intention to award as the rules allow it: to whom, for how much, who is told, what standstill."""

    route: str
    vehicle_id: int
    values: dict[int, int]
    bidders: list[int]
    standstill_ends_on: date | None
    notice_on: date
    ranking: BidEvaluationOut | None
    ranked_bids: int
    bid_row_id: int | None  # the awarded bid's row (a foreign key), found by the public id the commissioner named


async def _plan(*, actor: Actor, spec: dict[str, Any], data: AwardIn, now: datetime) -> _Planned:
    """Every check an award makes before anything is written, shared by `award_specification` and `check_award` so
    the page that checks the notice and the notice issued cannot disagree."""
    specification_id = spec["id"]
    status = rules.effective_status(spec["status"], spec["bid_deadline_at"], now)
    if await award_queries.award_for_specification(specification_id):
        raise Conflict("This specification already has an award")
    maxima = {
        row["financial_year"]: int(row["max_value_pence"])
        for row in await SpecificationYear.select().where(SpecificationYear.specification == specification_id)
    }
    route = spec["procurement_route"]
    ranking: BidEvaluationOut | None = None
    ranked_bids = 0
    bid_row_id: int | None = None
    if route == rules.ProcurementRoute.COMPETITIVE:
        if status is not rules.SpecificationStatus.UNDER_EVALUATION:
            raise Conflict("A competitive award follows the evaluation")
        state = await evaluation_queries.evaluation(actor=actor, specification_id=specification_id, now=now)
        if not state.all_moderated:
            raise Conflict("Record a moderated score for every bid and criterion before awarding")
        bid = (
            await Bid.select()
            .where(
                (Bid.public_id == (data.bid_id if is_public_id(data.bid_id) else ""))
                & (Bid.specification == specification_id)
                & (Bid.status == rules.BidStatus.SUBMITTED)
                & bid_queries.scope_condition(actor, now)
            )
            .first()
        )
        if bid is None:
            raise RuleBroken("Choose one of the submitted bids", field="bid_id")
        vehicle_id = bid["delivery_vehicle"]
        values = {
            row["financial_year"]: int(row["price_pence"])
            for row in await BidPrice.select().where(BidPrice.bid == bid["id"])
        }
        bidders = [
            row["delivery_vehicle"]
            for row in await Bid.select(Bid.delivery_vehicle).where(
                (Bid.specification == specification_id) & (Bid.status == rules.BidStatus.SUBMITTED)
            )
        ]
        ranking = next((b for b in state.bids if b.bid_id == bid["public_id"]), None)
        bid_row_id = int(bid["id"])
        ranked_bids = len(state.bids)
    else:
        if status not in (rules.SpecificationStatus.PUBLISHED, rules.SpecificationStatus.CLOSED):
            raise Conflict("A direct award is made once the specification is published")
        vehicle = await DeliveryVehicle.select().where(DeliveryVehicle.id == (data.delivery_vehicle_id or -1)).first()
        if vehicle is None or vehicle["status"] != "approved":
            raise RuleBroken("Choose an approved delivery vehicle", field="delivery_vehicle_id")
        vehicle_id = vehicle["id"]
        values = {v.financial_year: v.value_pence for v in data.values}
        if sorted(values) != sorted(maxima):
            raise RuleBroken("Give the contract value for each financial year of the term", field="values")
        for year, value in values.items():
            if value > maxima[year]:
                raise RuleBroken(
                    "The value for %(year)s is above the maximum of %(maximum)s",
                    field="values",
                    year=FinancialYear(year).label,
                    maximum=format_pounds(maxima[year]),
                    financial_year=year,
                )
        bidders = [vehicle_id]
    notice_on = london_day(now)
    standstill = rules.standstill_ends_on(notice_on) if route in rules.ROUTES_WITH_STANDSTILL else None
    return _Planned(
        route, vehicle_id, values, sorted(set(bidders)), standstill, notice_on, ranking, ranked_bids, bid_row_id
    )


async def check_award(*, actor: Actor, specification_id: int, data: AwardIn, now: datetime) -> AwardCheckOut:
    """The notice `award_specification` would issue now, refused as it would refuse it, and written nowhere: the
    check-your-answers page shows it before the commissioner confirms (a read, so no operation and no audit)."""
    spec = await _managed(actor, specification_id, lock=False)
    planned = await _plan(actor=actor, spec=spec, data=data, now=now)
    names = {
        row["id"]: row["name"]
        for row in await DeliveryVehicle.select(DeliveryVehicle.id, DeliveryVehicle.name).where(
            DeliveryVehicle.id.is_in([planned.vehicle_id, *planned.bidders])
        )
    }
    ranking = planned.ranking
    return AwardCheckOut(
        specification_id=specification_id,
        reference=spec["reference"],
        title=spec["title"],
        title_cy=spec["title_cy"],
        delivery_vehicle=names.get(planned.vehicle_id, ""),
        delivery_vehicle_id=planned.vehicle_id,
        values=[
            AwardYearOut(financial_year=year, label=FinancialYear(year).label, value_pence=value)
            for year, value in sorted(planned.values.items())
        ],
        total_value_pence=sum(planned.values.values()),
        rationale=data.rationale.strip(),
        standstill_ends_on=planned.standstill_ends_on,
        earliest_confirmation_on=rules.earliest_confirmation_on(planned.route, planned.notice_on),
        told=sorted(names[v] for v in planned.bidders if v in names),
        ranked=ranking is not None,
        rank=ranking.rank if ranking else None,
        ranked_bids=planned.ranked_bids,
        quality_score=ranking.quality_score if ranking else 0.0,
        price_score=ranking.price_score if ranking else 0.0,
        total_score=ranking.total_score if ranking else 0.0,
    )


async def award_specification(*, actor: Actor, specification_id: int, data: AwardIn, now: datetime) -> AwardOut:
    async with operation("award.intended", actor=actor, now=now) as op:
        spec = await _managed(actor, specification_id)
        planned = await _plan(actor=actor, spec=spec, data=data, now=now)
        route, vehicle_id, values = planned.route, planned.vehicle_id, planned.values
        standstill = planned.standstill_ends_on
        award = Award(
            specification=specification_id,
            delivery_vehicle=vehicle_id,
            bid=planned.bid_row_id if route == rules.ProcurementRoute.COMPETITIVE else None,
            rationale=data.rationale.strip(),
            annual_values=[{"financial_year": y, "value_pence": v} for y, v in sorted(values.items())],
            notice_at=now,
            standstill_ends_on=standstill,
            status=rules.AwardStatus.STANDSTILL,
            awarded_by_username=actor.username,
        )
        await award.save()
        op.record(
            "Award",
            award.id,
            after={
                "specification_id": specification_id,
                "delivery_vehicle_id": vehicle_id,
                "route": route,
                "standstill_ends_on": standstill,
                "rationale": data.rationale.strip(),
            },
            pcpg_id=spec["pcpg"],
        )
        winner = await DeliveryVehicle.select(DeliveryVehicle.name).where(DeliveryVehicle.id == vehicle_id).first()
        pcpg = await Pcpg.select(Pcpg.name, Pcpg.name_cy).where(Pcpg.id == spec["pcpg"]).first()
        users: list[int] = []
        for bidder in planned.bidders:
            users += await vehicle_user_ids(bidder)
        await notify(
            user_ids=users,
            kind="award_intention" if standstill else "award_intention_direct",
            key=str(award.id),
            params={
                "title": spec["title"],
                "reference": spec["reference"],
                "pcpg": pcpg["name"] if pcpg else "",
                "winner": winner["name"] if winner else "",
                "standstill": standstill,
            },
            localise={"cy": {"title": spec["title_cy"], "pcpg": pcpg["name_cy"] if pcpg else ""}},
            link=f"/awards/{award.id}",
            now=now,
        )
    return await award_queries.get_award(actor=actor, award_id=int(award.id), now=now)


async def lodge_representation(*, actor: Actor, award_id: int, text: str, now: datetime) -> int:
    if actor.role is not Role.PROVIDER or actor.delivery_vehicle_id is None:
        raise NotAllowed("Only a bidder can make a representation")
    async with operation("award.representation_lodged", actor=actor, now=now) as op:
        award = await Award.select().where(Award.id == award_id).first()
        if award is None:
            raise NotFound("No such award")
        spec = await Specification.select().where(Specification.id == award["specification"]).first()
        assert spec is not None
        refusal = rules.representation_refusal(
            route=spec["procurement_route"],
            award_status=award["status"],
            standstill_ends_on=award["standstill_ends_on"],
            today=london_day(now),
            own_vehicle_id=actor.delivery_vehicle_id,
            winner_vehicle_id=award["delivery_vehicle"],
            submitted_a_bid=await Bid.exists().where(
                (Bid.specification == spec["id"])
                & (Bid.status == rules.BidStatus.SUBMITTED)
                & (Bid.delivery_vehicle == actor.delivery_vehicle_id)
            ),
        )
        if refusal is not None:
            raise refusal
        if not text.strip():
            raise RuleBroken("Say what your representation is", field="text")
        row = Representation(
            award=award_id,
            delivery_vehicle=actor.delivery_vehicle_id,
            text=text.strip(),
            lodged_at=now,
            lodged_by_username=actor.username,
        )
        await row.save()
        op.record("Representation", row.id, after={"award_id": award_id, "text": text.strip()}, pcpg_id=spec["pcpg"])
        await notify(
            user_ids=await _commissioner_ids(spec["pcpg"]),
            kind="representation_lodged",
            key=str(row.id),
            params={"title": spec["title"], "reference": spec["reference"]},
            localise={"cy": {"title": spec["title_cy"]}},
            link=f"/awards/{award_id}",
            now=now,
        )
    return int(row.id)


async def answer_representation(*, actor: Actor, representation_id: int, answer: str, now: datetime) -> None:
    async with operation("award.representation_answered", actor=actor, now=now) as op:
        row = (
            await Representation.select(
                *Representation.all_columns(), Representation.award.specification.as_alias("spec_id")
            )
            .where(Representation.id == representation_id)
            .first()
        )
        if row is None:
            raise NotFound("No such representation")
        spec = await _managed(actor, row["spec_id"])
        if row["answered_at"] is not None:
            raise Conflict("This representation has already been answered")
        if not answer.strip():
            raise RuleBroken("Enter the answer", field="answer")
        await Representation.update(
            {
                Representation.answer: answer.strip(),
                Representation.answered_at: now,
                Representation.answered_by_username: actor.username,
            }
        ).where(Representation.id == representation_id)
        op.record(
            "Representation",
            representation_id,
            before={"answered": False},
            after={"answered": True, "answer": answer.strip()},
            pcpg_id=spec["pcpg"],
        )
        await notify(
            user_ids=await vehicle_user_ids(row["delivery_vehicle"]),
            kind="representation_answered",
            key=str(representation_id),
            params={"title": spec["title"], "reference": spec["reference"]},
            localise={"cy": {"title": spec["title_cy"]}},
            link=f"/awards/{row['award']}",
            now=now,
        )


async def confirm_award(*, actor: Actor, award_id: int, now: datetime) -> AwardOut:
    """Make the contract: refused before standstill ends (naming the date it becomes possible) or while a
    representation is unanswered."""
    async with operation("award.confirmed", actor=actor, now=now) as op:
        award = await for_update(Award.select().where(Award.id == award_id)).first()
        if award is None:
            raise NotFound("No such award")
        spec = await _managed(actor, award["specification"])
        if not rules.can_move(rules.AWARD_MOVES, rules.AwardStatus(award["status"]), rules.AwardStatus.CONFIRMED):
            raise Conflict("This award is already %(status)s", status=rules.AwardStatus(award["status"]))
        out = await award_queries.award_out(award)
        refusal = rules.confirmation_refusal(
            today=london_day(now),
            earliest_on=out.earliest_confirmation_on,
            open_representations=sum(1 for r in out.representations if r.answered_at is None),
        )
        if refusal is not None:
            raise refusal
        lines = {
            row["financial_year"]: row["budget_line"]
            for row in await SpecificationYear.select().where(SpecificationYear.specification == spec["id"])
        }
        pcpg = await Pcpg.select(Pcpg.health_board).where(Pcpg.id == spec["pcpg"]).first()
        assert pcpg is not None
        raw = award["annual_values"]
        annual = json.loads(raw) if isinstance(raw, str) else raw
        contract_id = await make_contract(
            actor=actor,
            contract=ContractIn(
                specification_id=spec["id"],
                award_id=award_id,
                pcpg_id=spec["pcpg"],
                health_board_id=pcpg["health_board"],
                delivery_vehicle_id=award["delivery_vehicle"],
                title=spec["title"],
                title_cy=spec["title_cy"],
                years=[
                    ContractYearIn(
                        financial_year=v["financial_year"],
                        value_pence=int(v["value_pence"]),
                        budget_line_id=lines.get(v["financial_year"]),
                    )
                    for v in annual
                ],
            ),
            now=now,
        )
        await Award.update({Award.status: rules.AwardStatus.CONFIRMED, Award.confirmed_at: now}).where(
            Award.id == award_id
        )
        await Specification.update(
            {Specification.status: rules.SpecificationStatus.AWARDED, Specification.updated_at: now}
        ).where(Specification.id == spec["id"])
        op.record(
            "Award",
            award_id,
            before={"status": rules.AwardStatus.STANDSTILL.value},
            after={"status": rules.AwardStatus.CONFIRMED.value, "contract_id": contract_id},
            pcpg_id=spec["pcpg"],
        )
        op.record(
            "Specification",
            spec["id"],
            before={"status": spec["status"]},
            after={"status": rules.SpecificationStatus.AWARDED.value},
            action="specification.awarded",
            pcpg_id=spec["pcpg"],
        )
        winner = (
            await DeliveryVehicle.select(DeliveryVehicle.name)
            .where(DeliveryVehicle.id == award["delivery_vehicle"])
            .first()
        )
        contract = await Contract.select(Contract.reference).where(Contract.id == contract_id).first()
        users = await vehicle_user_ids(award["delivery_vehicle"]) + await _commissioner_ids(spec["pcpg"])
        await notify(
            user_ids=users,
            kind="contract_made",
            key=str(contract_id),
            params={
                "title": spec["title"],
                "reference": spec["reference"],
                "contract": contract["reference"] if contract else "",
                "winner": winner["name"] if winner else "",
            },
            localise={"cy": {"title": spec["title_cy"]}},
            link=f"/awards/{award_id}",
            now=now,
        )
    return await award_queries.get_award(actor=actor, award_id=award_id, now=now)
