"""Open data to publish, built with the factories: a specification taken through award, contract, an approved
variation, payments and accepted returns; one still open with a sealed bid; a draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from organisations.tables import Pcpg
from tests import factories as f

SEALED = {
    "vehicle": "Sealed Bidder Wellbeing CIC",
    "staff": "SEALED-STAFF 4 WTE",
    "answer": "SEALED-ANSWER our method",
    "price": "12345.67",
    "attachment": "sealed-method.pdf",
}
PEOPLE = {
    "asker": "asker-username",
    "commissioner": "commissioner-username",
    "finance": "finance-username",
    "contact": "Bethan Contact-Person",
    "email": "bethan.contact@example.org",
    "reason": "Agreed with Dr Rhodri Example at the review",
}


@dataclass
class Published:
    reference: str
    contract_reference: str
    vehicle_number: str
    open_reference: str
    draft_reference: str


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def build_open_data(*, pcpg_name: str = "Cardiff", suffix: str = "") -> Published:
    pcpg = await Pcpg.select(Pcpg.id, Pcpg.health_board).where(Pcpg.name == pcpg_name).first()
    assert pcpg is not None
    pcpg_id, board_id = pcpg["id"], pcpg["health_board"]
    vehicle = await f.save(
        f.DeliveryVehicleFactory(
            name=f"Awarded Wellbeing{suffix} CIC", contact_name=PEOPLE["contact"], contact_email=PEOPLE["email"]
        )
    )
    spec = await f.save(
        f.SpecificationFactory(
            pcpg=pcpg_id,
            reference=f"CDV-OD{suffix}-0001",
            title="Community wellbeing service",
            status="awarded",
            start_financial_year=2027,
            term_years=2,
            price_weight=40,
            published_at=_at(date(2026, 5, 1)),
            bid_deadline_at=_at(date(2026, 6, 2), 12),
            created_by_username=PEOPLE["commissioner"],
        )
    )
    await f.save(
        f.EngagementFactory(
            pcpg=pcpg_id,
            need=None,
            specification=spec.id,
            kind="focus_group",
            held_on=date(2026, 3, 12),
            people_reached=18,
            groups_reached="Young carers",
            what_they_said="Meet us after school",
            what_changed="Sessions moved to after 4pm",
            created_by_username=PEOPLE["commissioner"],
        )
    )
    for year, pence in ((2027, 50_000_00), (2028, 55_000_00)):
        await f.save(f.SpecificationYearFactory(specification=spec.id, financial_year=year, max_value_pence=pence))
    await f.save(f.EvaluationCriterionFactory(specification=spec.id, title="Service model", weight=45, position=0))
    await f.save(f.EvaluationCriterionFactory(specification=spec.id, title="Social value", weight=15, position=1))
    await f.save(
        f.ClarificationFactory(
            specification=spec.id,
            delivery_vehicle=vehicle.id,
            asked_by_username=PEOPLE["asker"],
            answer="Yes, rooms are available.",
            answered_at=_at(date(2026, 5, 10)),
        )
    )
    award = await f.save(
        f.AwardFactory(
            specification=spec.id,
            delivery_vehicle=vehicle.id,
            status="confirmed",
            annual_values=[
                {"financial_year": 2027, "value_pence": 40_000_00},
                {"financial_year": 2028, "value_pence": 42_000_00},
            ],
            notice_at=_at(date(2026, 6, 20)),
            confirmed_at=_at(date(2026, 7, 3)),
            awarded_by_username=PEOPLE["commissioner"],
        )
    )
    contract = await f.save(
        f.ContractFactory(
            reference=f"CON-OD{suffix}-0001",
            specification=spec.id,
            award=award.id,
            health_board=board_id,
            pcpg=pcpg_id,
            delivery_vehicle=vehicle.id,
            title="Community wellbeing service",
            status="live",
            start_on=date(2027, 4, 1),
            end_on=date(2029, 3, 31),
            total_value_pence=82_000_00,
            made_at=_at(date(2026, 7, 3)),
            made_by_username=PEOPLE["commissioner"],
            version=2,
        )
    )
    for year, pence in ((2027, 40_000_00), (2028, 42_000_00)):
        await f.save(f.ContractYearFactory(contract=contract.id, financial_year=year, value_pence=pence))
    kpi = await f.save(
        f.ContractKpiFactory(
            contract=contract.id,
            position=0,
            name="People completing the programme",
            unit="%",
            baseline="60",
            target="75",
        )
    )
    variation = await f.save(
        f.ContractVariationFactory(
            contract=contract.id,
            number=1,
            kind="extension",
            reason=PEOPLE["reason"],
            status="approved",
            effective_on=date(2027, 10, 1),
            decided_at=_at(date(2027, 9, 20)),
            decided_by_username=PEOPLE["commissioner"],
            decision_note=PEOPLE["reason"],
            version_made=2,
        )
    )
    await f.save(f.ContractVersionFactory(contract=contract.id, version=1, particulars={"end_on": "2029-03-31"}))
    await f.save(
        f.ContractVersionFactory(
            contract=contract.id,
            version=2,
            variation=variation.id,
            particulars={"end_on": "2029-03-31"} | {"payment_timing": "in_advance"},
        )
    )
    for quarter, day in ((1, date(2027, 7, 5)), (2, date(2027, 10, 5))):
        await f.save(
            f.PaymentFactory(
                contract=contract.id,
                financial_year=2027,
                quarter=quarter,
                amount_pence=10_000_00,
                status="approved",
                decided_at=_at(day),
                decided_by_username=PEOPLE["finance"],
            )
        )
    await f.save(
        f.PaymentFactory(
            contract=contract.id,
            financial_year=2027,
            quarter=3,
            amount_pence=10_000_00,
            status="withheld",
            decided_at=_at(date(2028, 1, 5)),
            reason=PEOPLE["reason"],
        )
    )
    accepted = await f.save(
        f.DeliveryReturnFactory(
            contract=contract.id,
            financial_year=2027,
            quarter=1,
            period_from=date(2027, 4, 1),
            period_to=date(2027, 6, 30),
            status="accepted",
            decided_at=_at(date(2027, 8, 1)),
            decided_by_username=PEOPLE["commissioner"],
            narrative=PEOPLE["reason"],
        )
    )
    await f.save(f.ReturnKpiValueFactory(delivery_return=accepted.id, contract_kpi=kpi.id, value="68.5"))
    submitted = await f.save(
        f.DeliveryReturnFactory(
            contract=contract.id,
            financial_year=2027,
            quarter=2,
            period_from=date(2027, 7, 1),
            period_to=date(2027, 9, 30),
            status="submitted",
        )
    )
    await f.save(f.ReturnKpiValueFactory(delivery_return=submitted.id, contract_kpi=kpi.id, value="99.25"))

    open_spec = await f.save(
        f.SpecificationFactory(
            pcpg=pcpg_id,
            reference=f"CDV-OD{suffix}-0002",
            title="Social prescribing",
            status="published",
            published_at=_at(date(2026, 11, 1)),
            bid_deadline_at=_at(date(2099, 1, 5), 12),
        )
    )
    await f.save(f.SpecificationYearFactory(specification=open_spec.id, financial_year=2027, max_value_pence=30_000_00))
    await f.save(f.ClarificationFactory(specification=open_spec.id, question="Unanswered, sealed?"))
    bidder = await f.save(f.DeliveryVehicleFactory(name=SEALED["vehicle"] + suffix, companies_house_number=None))
    bid = await f.save(f.BidFactory(specification=open_spec.id, delivery_vehicle=bidder.id, staff=SEALED["staff"]))
    await f.save(f.BidPriceFactory(bid=bid.id, financial_year=2027, price_pence=12_345_67))
    await f.save(f.BidAnswerFactory(bid=bid.id, answer=SEALED["answer"]))
    await f.save(f.BidAttachmentFactory(bid=bid.id, filename=SEALED["attachment"]))

    draft = await f.save(
        f.SpecificationFactory(pcpg=pcpg_id, reference=f"CDV-OD{suffix}-0003", title="Draft nobody may see")
    )
    return Published(
        reference=spec.reference,
        contract_reference=contract.reference,
        vehicle_number=vehicle.companies_house_number,
        open_reference=open_spec.reference,
        draft_reference=draft.reference,
    )
