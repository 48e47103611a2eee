"""Demo data: realistic organisations and the demo users, made through the real services (so it is audited)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec

from accounts.actor import SYSTEM, Actor, Role
from accounts.queries import actor_for_user
from accounts.services.users import NewUser, create_user
from accounts.tables import User
from core.clock import SYSTEM_CLOCK
from core.db import engine, is_postgres
from maturity.demo import make_maturity_demo
from needs.demo import make_needs_demo
from organisations.schemas import DeliveryVehicleDecisionIn, DeliveryVehicleIn
from organisations.services import approve_delivery_vehicle, register_delivery_vehicle
from organisations.tables import Cluster
from returns.autonomy.demo import make_autonomy_demo

DEMO_USERS: list[tuple[str, str, Role, dict[str, Any]]] = [
    ("admin", "Alys Morgan", Role.NATIONAL_ADMIN, {}),
    ("commissioner", "Gareth Price", Role.COMMISSIONER, {"pcpg_names": ("Cardiff",)}),
    ("commissioner2", "Siân Davies", Role.COMMISSIONER, {"pcpg_names": ("Swansea Bay",)}),
    ("evaluator", "Rhys Evans", Role.EVALUATOR, {}),
    ("evaluator2", "Nia Thomas", Role.EVALUATOR, {"language": "cy"}),
    ("provider", "Dylan Hughes", Role.PROVIDER, {}),
    ("provider2", "Ffion Jenkins", Role.PROVIDER, {}),
    ("provider3", "Owain Lewis", Role.PROVIDER, {}),
    (
        "finance",
        "Catrin Williams",
        Role.FINANCE_DIRECTOR,
        {"health_board_name": "Cardiff and Vale University Health Board"},
    ),
]

DEMO_VEHICLES = [
    (
        "provider",
        "Cardiff North and West Health Collaborative CIC",
        "cic",
        "14523687",
        ["Cardiff North", "Cardiff West", "Cardiff South West"],
        "Dylan Hughes",
        "dylan.hughes@cnwhc.example.org",
        True,
    ),
    (
        "provider2",
        "Caerdydd South and East Community Care Ltd",
        "company_limited_by_guarantee",
        "13098452",
        ["Cardiff East", "Cardiff South East", "City & Cardiff South"],
        "Ffion Jenkins",
        "ffion.jenkins@csecc.example.org",
        True,
    ),
    (
        "provider3",
        "Vale and Cardiff Wellbeing Partnership",
        "social_enterprise",
        "",
        ["Central Vale", "Eastern Vale", "Western Vale", "Cardiff West"],
        "Owain Lewis",
        "owain.lewis@vcwp.example.org",
        False,
    ),
]


async def _reset() -> None:
    from piccolo_conf import APP_REGISTRY

    if is_postgres():
        tables = [table._meta.tablename for app in APP_REGISTRY.app_configs.values() for table in app.table_classes]
        for name in [*tables, "migration"]:
            await engine().run_ddl(f'DROP TABLE IF EXISTS "{name}" CASCADE')
    else:
        path = Path(engine().path)  # type: ignore[attr-defined]
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)  # noqa: ASYNC240 - a CLI step, nothing else runs


async def make_demo(*, password: str, reset: bool) -> str:
    from api.setup import load_reference, migrate

    if reset:
        await _reset()
    await migrate()
    await load_reference()
    now = SYSTEM_CLOCK.now()
    created = 0
    for username, full_name, role, extra in DEMO_USERS:
        if await User.exists().where(User.username == username):
            continue
        await create_user(
            actor=SYSTEM,
            user=NewUser(
                username=username,
                full_name=full_name,
                password=password,
                role=role,
                email=f"{username}@demo.cdv.example.org",
                **extra,
            ),
            now=now,
        )
        created += 1
    admin = await _actor("admin")
    for username, name, legal_form, number, cluster_names, contact, email, approve in DEMO_VEHICLES:
        provider = await _actor(username)
        if provider.delivery_vehicle_id is not None:
            continue
        clusters = await Cluster.select(Cluster.id).where(Cluster.name.is_in(cluster_names))
        vehicle = await register_delivery_vehicle(
            actor=provider,
            data=DeliveryVehicleIn(
                name=name,
                legal_form=legal_form,  # type: ignore[arg-type]
                companies_house_number=number or None,
                cluster_ids=[row["id"] for row in clusters],
                contact_name=contact,
                contact_email=email,
                contact_phone="029 2000 0000",
            ),
            now=now,
        )
        if approve:
            await approve_delivery_vehicle(
                actor=admin,
                delivery_vehicle_id=vehicle.id,
                decision=DeliveryVehicleDecisionIn(reason="Demo: checked against Companies House"),
                now=now,
            )
    await make_commissioning_demo()
    await make_contracts_demo()
    await make_returns_demo()
    await make_maturity_demo()
    await make_needs_demo()
    await make_autonomy_demo()
    return f"demo ready: {created} users created; sign in with any demo user and the password given"


async def _actor(username: str) -> Actor:
    row = await User.select(User.id).where(User.username == username).first()
    assert row is not None, username
    actor = await actor_for_user(row["id"])
    assert actor is not None
    return actor


DEMO_BUDGETS = {
    "Cardiff": 900_000_00,
    "Vale of Glamorgan": 450_000_00,
    "Swansea Bay": 1_100_000_00,
    "Caerphilly": 500_000_00,
    "Gwynedd": 400_000_00,
}


async def make_commissioning_demo() -> None:
    """Budget lines for this and the next two financial years, a Cardiff plan, and specifications in each state."""
    from datetime import UTC, datetime, timedelta

    from commissioning.rules import ProcurementRoute
    from commissioning.schemas import (
        AwardIn,
        AwardValueIn,
        BidAnswerIn,
        BidIn,
        BidPriceIn,
        PlanIn,
        PlanPriorityIn,
        SpecificationIn,
        YearIn,
    )
    from commissioning.services import award, bids, clarifications, evaluation, plans, specifications
    from commissioning.tables import Specification
    from core.periods import FinancialYear
    from finance.schemas import BudgetLineIn
    from finance.services import create_budget_line
    from finance.tables import BudgetLine
    from menu.tables import MenuService
    from organisations.tables import Pcpg

    if await Specification.count() > 0:
        return
    admin = await _actor("admin")
    real_now = datetime.now(UTC)
    this_year = FinancialYear.containing(real_now.date()).start_year
    pcpg_ids = {row["name"]: row["id"] for row in await Pcpg.select(Pcpg.id, Pcpg.name)}
    lines: dict[tuple[str, int], int] = {}
    for name, amount in DEMO_BUDGETS.items():
        for offset in range(3):
            year = this_year + offset
            if await BudgetLine.exists().where(
                (BudgetLine.pcpg == pcpg_ids[name])
                & (BudgetLine.financial_year == year)
                & (BudgetLine.funding_stream == "cluster_funding")
            ):
                continue
            line = await create_budget_line(
                actor=admin,
                data=BudgetLineIn(
                    pcpg_id=pcpg_ids[name],
                    financial_year=year,
                    funding_stream="cluster_funding",
                    amount_pence=amount,
                    note="Demo: Accelerated Cluster Development allocation",
                ),
                now=real_now,
            )
            lines[(name, year)] = line.id
    await create_budget_line(
        actor=admin,
        data=BudgetLineIn(
            pcpg_id=pcpg_ids["Cardiff"],
            financial_year=this_year + 1,
            funding_stream="regional_integration_fund",
            amount_pence=250_000_00,
        ),
        now=real_now,
    )
    commissioner = await _actor("commissioner")
    commissioner2 = await _actor("commissioner2")
    provider = await _actor("provider")
    plan_id = await plans.create_plan(
        actor=commissioner,
        data=PlanIn(
            pcpg_id=pcpg_ids["Cardiff"],
            first_financial_year=this_year - 1,  # last year's plan runs on: the live contracts answer it too
            title="Cardiff PCPG three-year plan",
            title_cy="Cynllun tair blynedd GCCC Caerdydd",
        ),
        now=real_now,
    )

    async def clusters(*names: str) -> list[int]:
        rows = await Cluster.select(Cluster.id).where(Cluster.name.is_in(list(names)))
        return [row["id"] for row in rows]

    priorities = {}
    for key, title, need, source, names in [
        (
            "weight",
            "Reduce adult obesity",
            "Adult obesity above the Wales average in Cardiff North and West, with "
            "long waits for level 2 weight management.",
            "Cardiff and Vale PNA 2022, chapter 4",
            ("Cardiff North", "Cardiff West"),
        ),
        (
            "social",
            "Connect people with community support",
            "High demand on GP time from non-medical needs: loneliness, debt and housing.",
            "Cluster IMTP 2024",
            ("Cardiff East", "Cardiff South East", "City & Cardiff South"),
        ),
        (
            "medicines",
            "Safer use of medicines",
            "Polypharmacy in over-65s and care home residents.",
            "Cluster intelligence, 2025",
            ("Cardiff North", "Cardiff East"),
        ),
    ]:
        priorities[key] = await plans.add_priority(
            actor=commissioner,
            plan_id=plan_id,
            data=PlanPriorityIn(title=title, need=need, need_source=source, cluster_ids=await clusters(*names)),
            now=real_now,
        )
    service_ids = {row["code"]: row["id"] for row in await MenuService.select(MenuService.id, MenuService.code)}

    async def draft(
        code: str,
        priority: str | None,
        names: tuple[str, ...],
        start: int,
        term: int,
        per_year: int,
        deadline: datetime | None,
        now: datetime,
        pcpg: str = "Cardiff",
        actor: Actor = commissioner,
        with_years: bool = True,
    ) -> int:
        spec = await specifications.create_specification(
            actor=actor,
            data=SpecificationIn(
                pcpg_id=pcpg_ids[pcpg],
                menu_service_id=service_ids[code],
                plan_priority_id=priorities.get(priority) if priority else None,
                start_financial_year=start,
                term_years=term,
                cluster_ids=await clusters(*names),
                years=[
                    YearIn(financial_year=y, max_value_pence=per_year, budget_line_id=lines[(pcpg, y)])
                    for y in range(start, start + term)
                ]
                if with_years
                else [],
                bid_deadline_at=deadline,
                clarification_contact="pcpg.commissioning@example.nhs.wales",
            ),
            now=now,
        )
        return spec.id

    start = this_year + 1
    await draft("obesity", "weight", ("Cardiff North", "Cardiff West"), start, 2, 0, None, real_now, with_years=False)
    open_id = await draft(
        "social-prescribing",
        "social",
        ("Cardiff East", "Cardiff South East", "City & Cardiff South"),
        start,
        2,
        120_000_00,
        real_now + timedelta(days=21),
        real_now,
    )
    await specifications.publish_specification(actor=commissioner, specification_id=open_id, now=real_now)
    question = await clarifications.ask_clarification(
        actor=provider,
        specification_id=open_id,
        question="Can the service be delivered from GP practice premises, or must it have its own venue?",
        now=real_now,
    )
    await clarifications.answer_clarification(
        actor=commissioner,
        clarification_id=question,
        answer="Either. Practices in the three clusters have agreed to offer rooms two days a week.",
        now=real_now,
    )
    past = real_now - timedelta(days=40)
    closed_id = await draft(
        "cluster-pharmacist",
        "medicines",
        ("Cardiff North", "Cardiff East"),
        start,
        1,
        90_000_00,
        real_now - timedelta(days=2),
        past,
    )
    await specifications.publish_specification(actor=commissioner, specification_id=closed_id, now=past)
    evaluating_id = await draft(
        "direct-access-physio",
        None,
        ("Cardiff South West", "Cardiff South East"),
        start,
        1,
        110_000_00,
        real_now - timedelta(days=10),
        past,
    )
    await specifications.publish_specification(actor=commissioner, specification_id=evaluating_id, now=past)
    provider2 = await _actor("provider2")
    for spec_id in (closed_id, evaluating_id):
        for bidder, price, team in (
            (provider, 85_000_00, "2 WTE band 7 pharmacists, 0.5 WTE technician"),
            (provider2, 79_500_00, "1.6 WTE band 7 pharmacists, 1 WTE technician"),
        ):
            await bids.save_bid(
                actor=bidder,
                specification_id=spec_id,
                data=BidIn(
                    prices=[BidPriceIn(financial_year=start, price_pence=price)],
                    answers=[
                        BidAnswerIn(criterion=n, answer=text)
                        for n, text in enumerate(
                            (
                                "Clinics in every practice weekly, with home visits for housebound patients.",
                                f"{team}; recruited from our existing bank, ready to start in April.",
                                "Quarterly returns on every KPI, with a patient survey twice a year.",
                            )
                        )
                    ],
                    staff=team,
                    start_on=FinancialYear(start).first_day,
                ),
                now=past + timedelta(days=1),
            )
    await specifications.begin_evaluation(actor=commissioner, specification_id=evaluating_id, now=real_now)
    for username in ("evaluator", "evaluator2"):
        await evaluation.name_evaluator(
            actor=commissioner, specification_id=evaluating_id, username=username, now=real_now
        )
    cancelled_id = await draft(
        "dermatology", None, ("Cardiff North",), start, 1, 60_000_00, real_now + timedelta(days=30), real_now
    )
    await specifications.publish_specification(actor=commissioner, specification_id=cancelled_id, now=real_now)
    await specifications.cancel_specification(
        actor=commissioner,
        specification_id=cancelled_id,
        reason="The health board will provide teledermatology across Cardiff from April.",
        now=real_now,
    )
    swansea_id = await draft(
        "homelessness",
        None,
        ("CityHealth", "Penderi"),
        start,
        2,
        150_000_00,
        real_now + timedelta(days=28),
        real_now,
        pcpg="Swansea Bay",
        actor=commissioner2,
    )
    await specifications.publish_specification(actor=commissioner2, specification_id=swansea_id, now=real_now)
    # Awarded: a Direct Award 1 (only one capable provider), so the contract is made at once, with no standstill.
    awarded = await specifications.create_specification(
        actor=commissioner,
        data=SpecificationIn(
            pcpg_id=pcpg_ids["Cardiff"],
            menu_service_id=service_ids["care-home-support"],
            procurement_route=ProcurementRoute.DIRECT_AWARD_1,
            start_financial_year=start,
            term_years=2,
            cluster_ids=await clusters("Cardiff North", "Cardiff West"),
            years=[
                YearIn(financial_year=y, max_value_pence=95_000_00, budget_line_id=lines[("Cardiff", y)])
                for y in range(start, start + 2)
            ],
            clarification_contact="pcpg.commissioning@example.nhs.wales",
        ),
        now=real_now,
    )
    await specifications.publish_specification(actor=commissioner, specification_id=awarded.id, now=real_now)
    notice = await award.award_specification(
        actor=commissioner,
        specification_id=awarded.id,
        data=AwardIn(
            rationale="Direct Award 1: the practices' existing care home team is the only provider able to start "
            "in April with access to every home's records.",
            delivery_vehicle_id=provider.delivery_vehicle_id,
            values=[AwardValueIn(financial_year=y, value_pence=92_000_00) for y in range(start, start + 2)],
        ),
        now=real_now,
    )
    await award.confirm_award(actor=commissioner, award_id=notice.id, now=real_now)


# KPI thresholds the demo sets, by unit and direction: (green from, red from).
_DEMO_THRESHOLDS = {
    ("%", "higher_is_better"): ("85", "70"),
    ("%", "lower_is_better"): ("10", "20"),
    ("count", "higher_is_better"): ("120", "90"),
    ("weeks", "lower_is_better"): ("8", "12"),
    ("score 0-5", "higher_is_better"): ("4.5", "4"),
}


def _demo_thresholds(unit: str, direction: str) -> tuple[str, str]:
    return _DEMO_THRESHOLDS.get((unit, direction), ("20", "30") if direction == "lower_is_better" else ("100", "80"))


async def _priority_id(title: str) -> int:
    from commissioning.tables import PlanPriority

    row = await PlanPriority.select(PlanPriority.id).where(PlanPriority.title == title).first()
    assert row is not None, title
    return int(row["id"])


async def _direct_award(
    *,
    commissioner: Actor,
    pcpg_id: int,
    menu_service_id: int,
    cluster_ids: list[int],
    vehicle: Actor,
    years: dict[int, int],
    per_year: int,
    rationale: str,
    now: datetime,
    plan_priority_id: int | None = None,
) -> int:
    """A Direct Award 1 confirmed at once (no standstill): the contract is made, mobilising. `years` maps each
    financial year of the term to its budget line."""
    from commissioning.rules import ProcurementRoute
    from commissioning.schemas import AwardIn, AwardValueIn, SpecificationIn, YearIn
    from commissioning.services import award, specifications
    from contracts.tables import Contract

    first = min(years)
    spec = await specifications.create_specification(
        actor=commissioner,
        data=SpecificationIn(
            pcpg_id=pcpg_id,
            menu_service_id=menu_service_id,
            procurement_route=ProcurementRoute.DIRECT_AWARD_1,
            plan_priority_id=plan_priority_id,
            start_financial_year=first,
            term_years=len(years),
            cluster_ids=cluster_ids,
            years=[
                YearIn(financial_year=y, max_value_pence=per_year, budget_line_id=line) for y, line in years.items()
            ],
            clarification_contact="pcpg.commissioning@example.nhs.wales",
        ),
        now=now,
    )
    await specifications.publish_specification(actor=commissioner, specification_id=spec.id, now=now)
    notice = await award.award_specification(
        actor=commissioner,
        specification_id=spec.id,
        data=AwardIn(
            rationale=rationale,
            delivery_vehicle_id=vehicle.delivery_vehicle_id,
            values=[AwardValueIn(financial_year=y, value_pence=per_year) for y in years],
        ),
        now=now,
    )
    await award.confirm_award(actor=commissioner, award_id=notice.id, now=now)
    row = await Contract.select(Contract.id).where(Contract.specification == spec.id).first()
    assert row is not None
    return int(row["id"])


async def _set_kpis(*, commissioner: Actor, contract_id: int, now: datetime, units_per_quarter: int) -> None:
    """The demo's KPI thresholds (`_DEMO_THRESHOLDS`) and an activity plan rising through each year."""
    from contracts.schemas.lifecycle import ActivityPlanIn, KpiThresholdPairIn, KpiThresholdsIn
    from contracts.services import lifecycle
    from contracts.tables import ContractKpi, ContractYear

    kpis = await ContractKpi.select().where(ContractKpi.contract == contract_id).order_by(ContractKpi.position)
    years = [
        row["financial_year"]
        for row in await ContractYear.select(ContractYear.financial_year).where(ContractYear.contract == contract_id)
    ]
    await lifecycle.set_kpis(
        actor=commissioner,
        contract_id=contract_id,
        data=KpiThresholdsIn(
            thresholds=[
                KpiThresholdPairIn(kpi["id"], *_demo_thresholds(kpi["unit"], kpi["direction"])) for kpi in kpis
            ],
            activity=[
                ActivityPlanIn(financial_year=year, quarter=quarter, units=units_per_quarter + 10 * (quarter - 1))
                for year in sorted(years)
                for quarter in range(1, 5)
            ],
        ),
        now=now,
    )


async def make_contracts_demo() -> None:
    """Contracts in every status for both approved demo providers (issue 12, item 9), made through the real
    services with the clock of the day each step happened: the award, the KPI thresholds and activity plan, an
    explicit split for a cluster without a known population, mobilisation on the first day of the term, an
    approved extension and a pending variation, a suspension, a termination and an expiry by the clock. The term of
    all but one starts in the last financial year, so each step lies between the start and today whenever the demo
    is made. In the current financial year the first provider's vehicle holds two services worth £115,000 (at risk
    against the thresholds of two services and £100,000) and the second's under £100,000 (below).

    The commissioning demo makes one contract; more means this part has run (or contracts were made since), and it
    adds nothing."""
    from datetime import UTC, date, datetime, time, timedelta

    from contracts.rules import VariationKind
    from contracts.schemas.lifecycle import AllocationSplitIn, SplitPercentIn
    from contracts.schemas.variation import DecisionIn, VariationIn, YearValueIn
    from contracts.services import lifecycle, variations, viability
    from contracts.tables import Contract
    from core.clock import LONDON
    from core.periods import FinancialYear
    from finance.schemas import BudgetLineIn
    from finance.services import create_budget_line
    from finance.tables import BudgetLine
    from menu.tables import MenuService
    from organisations.tables import Pcpg

    if await Contract.count() != 1:
        return
    real_now = datetime.now(UTC)
    this_year = FinancialYear.containing(real_now.astimezone(LONDON).date()).start_year
    last_year = this_year - 1
    term_starts = FinancialYear(last_year).first_day

    def at(day: date, hour: int = 10) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=LONDON).astimezone(UTC)

    admin = await _actor("admin")
    commissioner = await _actor("commissioner")
    provider = await _actor("provider")
    provider2 = await _actor("provider2")
    cardiff = await Pcpg.select(Pcpg.id).where(Pcpg.name == "Cardiff").first()
    assert cardiff is not None
    pcpg_id = cardiff["id"]
    made_on = term_starts - timedelta(days=60)
    if not await BudgetLine.exists().where(
        (BudgetLine.pcpg == pcpg_id)
        & (BudgetLine.financial_year == last_year)
        & (BudgetLine.funding_stream == "cluster_funding")
    ):
        await create_budget_line(
            actor=admin,
            data=BudgetLineIn(
                pcpg_id=pcpg_id,
                financial_year=last_year,
                funding_stream="cluster_funding",
                amount_pence=DEMO_BUDGETS["Cardiff"],
                note="Demo: Accelerated Cluster Development allocation",
            ),
            now=at(made_on - timedelta(days=30)),
        )
    lines = {
        row["financial_year"]: row["id"]
        for row in await BudgetLine.select(BudgetLine.id, BudgetLine.financial_year).where(
            (BudgetLine.pcpg == pcpg_id) & (BudgetLine.funding_stream == "cluster_funding")
        )
    }
    service_ids = {row["code"]: row["id"] for row in await MenuService.select(MenuService.id, MenuService.code)}

    async def clusters(*names: str) -> list[int]:
        rows = await Cluster.select(Cluster.id).where(Cluster.name.is_in(list(names)))
        return [row["id"] for row in rows]

    async def direct_award(
        code: str,
        names: tuple[str, ...],
        vehicle: Actor,
        per_year: int,
        term: int,
        rationale: str,
        priority: str | None = None,
    ) -> int:
        """A Direct Award 1 confirmed at once (no standstill): the contract is made, mobilising; answering the Cardiff
        plan's priority of that title, when one is named (the line of sight follows it)."""
        return await _direct_award(
            plan_priority_id=await _priority_id(priority) if priority else None,
            commissioner=commissioner,
            pcpg_id=pcpg_id,
            menu_service_id=service_ids[code],
            cluster_ids=await clusters(*names),
            vehicle=vehicle,
            years={y: lines[y] for y in range(last_year, last_year + term)},
            per_year=per_year,
            rationale=rationale,
            now=at(made_on),
        )

    async def set_kpis(contract_id: int, now: datetime, units_per_quarter: int) -> None:
        await _set_kpis(
            commissioner=commissioner, contract_id=contract_id, now=now, units_per_quarter=units_per_quarter
        )

    async def mobilise(contract_id: int) -> None:
        await lifecycle.mobilise_contract(actor=commissioner, contract_id=contract_id, now=at(term_starts, 9))

    # The order of making is the order of the references, so of the contracts list: live with a pending variation,
    # suspended, live with an approved one, terminated, expired (the mobilising one, from the commissioning demo,
    # comes last as its term starts latest).
    connectors = await direct_award(
        "community-connectors",
        ("Cardiff South East",),
        provider2,
        36_000_00,
        3,
        "Direct Award 1: the existing community connectors' host, the only provider with the cluster's referral "
        "pathways in place.",
        priority="Connect people with community support",
    )
    pharmacists = await direct_award(
        "cluster-pharmacist",
        ("Cardiff North", "Cardiff West"),
        provider,
        55_000_00,
        3,
        "Direct Award 1: the collaborative already employs the clusters' practice pharmacists.",
        priority="Safer use of medicines",
    )
    frailty = await direct_award(
        "frailty-team",
        ("Cardiff North", "Cardiff South West"),
        provider,
        60_000_00,
        3,
        "Direct Award 1: the clusters' frailty team is hosted by the collaborative, and no other provider could "
        "take it on from April.",
    )
    housebound = await direct_award(
        "housebound-chronic-disease",
        ("Cardiff South East",),
        provider2,
        48_000_00,
        3,
        "Direct Award 1: continuity of care for the housebound caseload the practices hand over.",
    )
    pain = await direct_award(
        "pain-management",
        ("Cardiff North",),
        provider,
        40_000_00,
        1,
        "Direct Award 1: a one-year pilot of group pain management programmes, run by the only provider with "
        "trained facilitators in the cluster.",
    )
    # Cardiff West has no known population: the commissioner splits the pharmacists' value explicitly.
    north, west = await clusters("Cardiff North"), await clusters("Cardiff West")
    await lifecycle.set_allocations(
        actor=commissioner,
        contract_id=pharmacists,
        data=AllocationSplitIn(
            percentages=[SplitPercentIn(north[0], "55"), SplitPercentIn(west[0], "45")],
        ),
        now=at(made_on + timedelta(days=5)),
    )
    await set_kpis(frailty, at(made_on + timedelta(days=7)), 180)
    await set_kpis(pharmacists, at(made_on + timedelta(days=7), 11), 240)
    await set_kpis(connectors, at(made_on + timedelta(days=7), 12), 120)
    for contract_id in (connectors, pharmacists, frailty, housebound, pain):
        await mobilise(contract_id)
    # The mobilising contract of the commissioning demo gets its thresholds and plan; its split waits (Cardiff
    # West has no known population), so the commissioner has it to enter.
    mobilising = (
        await Contract.select(Contract.id)
        .where(Contract.id.not_in([connectors, pharmacists, frailty, housebound, pain]))
        .first()
    )
    if mobilising is not None:
        await set_kpis(int(mobilising["id"]), real_now - timedelta(days=3), 30)
    await lifecycle.expire_due_contracts(now=at(FinancialYear(last_year).last_day + timedelta(days=1), 1))
    await variations.propose_variation(
        actor=commissioner,
        contract_id=frailty,
        change=VariationIn(
            kind=VariationKind.EXTENSION,
            reason="The frailty team's caseload is still growing; a fourth year keeps it running while the cluster "
            "plan is renewed.",
            effective_on=FinancialYear(this_year + 1).first_day,
            annual_values=[
                YearValueIn(financial_year=year, value_pence=value)
                for year, value in (
                    (last_year, 60_000_00),
                    (this_year, 60_000_00),
                    (this_year + 1, 60_000_00),
                    (this_year + 2, 62_000_00),
                )
            ],
        ),
        now=real_now - timedelta(days=60),
    )
    await variations.approve_variation(
        actor=admin,
        contract_id=frailty,
        number=1,
        decision=DecisionIn(note="Within the PCPG's budget for the year added."),
        now=real_now - timedelta(days=50),
    )
    terminated_at = real_now - timedelta(days=40)
    await lifecycle.terminate_contract(
        actor=commissioner,
        contract_id=housebound,
        terminated_on=terminated_at.astimezone(LONDON).date() + timedelta(days=14),
        reason="The provider gave notice: the practices take the housebound caseload back in house.",
        now=terminated_at,
    )
    await lifecycle.suspend_contract(
        actor=commissioner,
        contract_id=pharmacists,
        reason="The lead pharmacist is on long-term leave; the practices cover urgent reviews until a locum starts.",
        now=real_now - timedelta(days=20),
    )
    await variations.propose_variation(
        actor=commissioner,
        contract_id=connectors,
        change=VariationIn(
            kind=VariationKind.ADDITIONAL_ACTIVITY,
            reason="Referrals from the new housing association scheme: two more connector sessions a week.",
            effective_on=FinancialYear(this_year + 1).first_day,
            annual_values=[
                YearValueIn(financial_year=year, value_pence=value)
                for year, value in (
                    (last_year, 36_000_00),
                    (this_year, 36_000_00),
                    (this_year + 1, 42_000_00),
                )
            ],
        ),
        now=real_now - timedelta(days=2),
    )
    await viability.set_viability_thresholds(
        actor=admin, min_live_services=2, min_annual_value_pence=100_000_00, now=real_now - timedelta(days=1)
    )


# How each KPI's demo values move from quarter to quarter, in tenths of the gap between its green and red thresholds
# (positive is better): a steady process with a dip, so the outcomes chart shows limits around common-cause variation.
_DEMO_KPI_WIGGLE = (-6, 2, -3, 4, -1, 5, 3, -2, 6, 1, 4, 7, 2, -1, 3, 5)


def _demo_kpi_value(unit: str, direction: str, step: int) -> str:
    from decimal import Decimal

    green, red = (Decimal(v) for v in _demo_thresholds(unit, direction))
    value = max(green + (green - red) * _DEMO_KPI_WIGGLE[step % len(_DEMO_KPI_WIGGLE)] / 10, Decimal(0))
    if unit == "%":
        value = min(value, Decimal(100))
    places = Decimal(1) if unit == "count" else Decimal("0.1") if green >= 10 else Decimal("0.01")
    return str(value.quantize(places))


async def make_returns_demo() -> None:
    """Delivery returns in every state across the demo contracts (issue 13, item 9), made through the real services
    with the clock of the day each step happened: the provider users save and submit, the commissioner accepts or
    queries, the finance director (not the accepter) approves payments or withholds one, and the commissioner rates a
    year that has ended. A physiotherapy contract whose three-year term ended last March reports twelve accepted
    quarters, so its outcomes chart has settled process limits; being over, it leaves this year's viability of the
    vehicles as the contracts demo made it. Of the live contracts, the frailty team's quarters are accepted but the
    last, waiting for review; the community connectors' are accepted, then one queried, one a draft and one not
    started (the draft, and the suspended pharmacists' returns, overdue).

    Any return past not started means this part has run (or returns were made since), and it adds nothing."""
    from datetime import UTC, date, time, timedelta

    from contracts.services import lifecycle
    from contracts.tables import Contract, ContractCluster, ContractKpi, ContractPayment
    from core.clock import LONDON
    from core.periods import FinancialYear
    from finance.schemas import BudgetLineIn
    from finance.services import create_budget_line
    from finance.tables import BudgetLine
    from menu.tables import MenuService
    from organisations.tables import Pcpg
    from returns.rules import PerformanceRatingKind, ReturnStatus
    from returns.schemas.ratings import KpiRatingIn, PerformanceRatingsIn
    from returns.schemas.returns import ActivityIn, KpiValueIn, ReturnFiguresIn, WorkforceIn
    from returns.schemas.review import QueryCommentIn
    from returns.services import payments, ratings, review, submission
    from returns.tables import DeliveryReturn

    if await DeliveryReturn.exists().where(DeliveryReturn.status != ReturnStatus.NOT_STARTED.value):
        return
    real_now = datetime.now(UTC)
    today = real_now.astimezone(LONDON).date()
    this_year = FinancialYear.containing(today).start_year
    first_year = this_year - 3

    def at(day: date, hour: int = 10) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=LONDON).astimezone(UTC)

    def by(day: date, hour: int, rank: int) -> datetime:
        """That day at the hour, or a moment before now (a step of the last quarter when the demo is made days after
        it ends): `rank` minutes, counted up to 10 before now, keep the steps in order."""
        return min(at(day, hour), real_now - timedelta(minutes=10 - rank))

    admin = await _actor("admin")
    commissioner = await _actor("commissioner")
    finance = await _actor("finance")
    provider = await _actor("provider")
    provider2 = await _actor("provider2")
    cardiff = await Pcpg.select(Pcpg.id).where(Pcpg.name == "Cardiff").first()
    if cardiff is None or provider.delivery_vehicle_id is None or provider2.delivery_vehicle_id is None:
        return
    pcpg_id = int(cardiff["id"])
    c: Any = Contract

    async def demo_contract(code: str, vehicle: Actor, status: str) -> int | None:
        row = await (
            Contract.select(Contract.id)
            .where(
                (c.menu_service_version.menu_service.code == code)
                & (Contract.delivery_vehicle == vehicle.delivery_vehicle_id)
                & (Contract.status == status)
            )
            .first()
        )
        return None if row is None else int(row["id"])

    # The physiotherapy contract: made, thresholds set and mobilised as the contracts demo does, three years earlier.
    term_starts = FinancialYear(first_year).first_day
    made_on = term_starts - timedelta(days=60)
    lines: dict[int, int] = {}
    for year in range(first_year, first_year + 3):
        line = (
            await BudgetLine.select(BudgetLine.id)
            .where(
                (BudgetLine.pcpg == pcpg_id)
                & (BudgetLine.financial_year == year)
                & (BudgetLine.funding_stream == "cluster_funding")
            )
            .first()
        )
        if line is None:
            made = await create_budget_line(
                actor=admin,
                data=BudgetLineIn(
                    pcpg_id=pcpg_id,
                    financial_year=year,
                    funding_stream="cluster_funding",
                    amount_pence=DEMO_BUDGETS["Cardiff"],
                    note="Demo: Accelerated Cluster Development allocation",
                ),
                now=at(FinancialYear(year).first_day - timedelta(days=90)),
            )
            lines[year] = made.id
        else:
            lines[year] = int(line["id"])
    physio_service = await MenuService.select(MenuService.id).where(MenuService.code == "direct-access-physio").first()
    assert physio_service is not None
    physio = await _direct_award(
        commissioner=commissioner,
        pcpg_id=pcpg_id,
        menu_service_id=int(physio_service["id"]),
        cluster_ids=[
            row["id"]
            for row in await Cluster.select(Cluster.id).where(
                Cluster.name.is_in(["Cardiff North", "Cardiff South West"])
            )
        ],
        vehicle=provider,
        years=lines,
        per_year=64_000_00,
        rationale="Direct Award 1: the collaborative's first contact physiotherapists already work in every practice "
        "of the two clusters.",
        now=at(made_on),
    )
    await _set_kpis(
        commissioner=commissioner, contract_id=physio, now=at(made_on + timedelta(days=7)), units_per_quarter=300
    )
    await lifecycle.mobilise_contract(actor=commissioner, contract_id=physio, now=at(term_starts, 9))

    async def figures(contract_id: int, step: int, narrative: str) -> ReturnFiguresIn:
        clusters = await ContractCluster.select(ContractCluster.cluster).where(ContractCluster.contract == contract_id)
        kpis = await ContractKpi.select(ContractKpi.id, ContractKpi.unit, ContractKpi.direction).where(
            ContractKpi.contract == contract_id
        )
        return ReturnFiguresIn(
            activity=[
                ActivityIn(cluster_id=int(row["cluster"]), units=140 + 9 * (step % 5) + 13 * n)
                for n, row in enumerate(clusters)
            ],
            spend_pence=0,
            kpi_values=[
                KpiValueIn(
                    contract_kpi_id=int(kpi["id"]), value=_demo_kpi_value(kpi["unit"], kpi["direction"], step + n)
                )
                for n, kpi in enumerate(kpis)
            ],
            narrative=narrative,
            risks="Recruitment to the vacant post is the main risk; bank staff cover it meanwhile.",
            workforce=[
                WorkforceIn(staff_group="allied_health", wte="2.6"),
                WorkforceIn(staff_group="administrative", wte="0.5"),
            ],
        )

    async def quarters(contract_id: int) -> list[dict[str, Any]]:
        """The contract's returns for the quarters that have ended, oldest first, with each quarter's payment."""
        rows = await (
            DeliveryReturn.select()
            .where((DeliveryReturn.contract == contract_id) & (DeliveryReturn.period_to < today))
            .order_by(DeliveryReturn.financial_year)
            .order_by(DeliveryReturn.quarter)
        )
        amounts = {
            (p["financial_year"], p["quarter"]): int(p["amount_pence"])
            for p in await ContractPayment.select().where(ContractPayment.contract == contract_id)
        }
        return [{**row, "amount_pence": amounts.get((row["financial_year"], row["quarter"]), 0)} for row in rows]

    async def submit(vehicle: Actor, row: dict[str, Any], step: int, narrative: str, rank: int = 0) -> None:
        data = msgspec.structs.replace(
            await figures(int(row["contract"]), step, narrative),
            spend_pence=row["amount_pence"] - 1_250_00 * (step % 3),
        )
        saved_on = row["period_to"] + timedelta(days=12)
        await submission.save_draft(actor=vehicle, return_id=row["id"], figures=data, now=by(saved_on, 10, rank))
        await submission.submit_return(actor=vehicle, return_id=row["id"], now=by(saved_on, 15, rank + 1))

    async def accept_and_pay(vehicle: Actor, row: dict[str, Any], step: int, narrative: str) -> None:
        await submit(vehicle, row, step, narrative)
        decided_on = row["period_to"] + timedelta(days=19)
        await review.accept_return(actor=commissioner, return_id=row["id"], now=by(decided_on, 11, 2))
        await payments.approve_payment(
            actor=finance,
            contract_id=int(row["contract"]),
            financial_year=row["financial_year"],
            quarter=row["quarter"],
            now=by(decided_on + timedelta(days=6), 14, 3),
        )

    done = "Clinics ran in every practice; waits stayed within the specification's seven days."
    physio_quarters = await quarters(physio)
    for step, row in enumerate(physio_quarters):
        if step == 6:
            # The quarter whose satisfaction fell: accepted, and its payment withheld with a performance notice.
            await submit(
                provider, row, step, "Two physiotherapists left in the quarter; clinics were cut for six weeks."
            )
            decided_on = row["period_to"] + timedelta(days=19)
            await review.accept_return(actor=commissioner, return_id=row["id"], now=by(decided_on, 11, 2))
            await payments.withhold_payment(
                actor=finance,
                contract_id=physio,
                financial_year=row["financial_year"],
                quarter=row["quarter"],
                reason="Performance notice: six weeks of clinics were cut without notice to the PCPG. Payment waits "
                "for the recovery plan agreed at the contract meeting.",
                now=by(decided_on + timedelta(days=6), 14, 3),
            )
        else:
            await accept_and_pay(provider, row, step, done)
    await lifecycle.expire_due_contracts(now=at(FinancialYear(this_year).first_day, 1))
    kpi_ids = [
        int(row["id"])
        for row in await ContractKpi.select(ContractKpi.id)
        .where(ContractKpi.contract == physio)
        .order_by(ContractKpi.position)
    ]
    kinds = list(PerformanceRatingKind)
    await ratings.rate_performance(
        actor=commissioner,
        contract_id=physio,
        ratings=PerformanceRatingsIn(
            financial_year=first_year,
            ratings=[
                KpiRatingIn(
                    contract_kpi_id=kpi_id,
                    rating=kinds[n % 2],
                    note="Discussed at the year-end contract meeting." if n == 0 else "",
                )
                for n, kpi_id in enumerate(kpi_ids)
            ],
        ),
        now=at(FinancialYear(first_year).last_day + timedelta(days=45)),
    )

    # The frailty team (live): every quarter accepted and paid but the last, which waits for review.
    frailty = await demo_contract("frailty-team", provider, "live")
    if frailty is not None:
        rows = await quarters(frailty)
        for step, row in enumerate(rows[:-1]):
            await accept_and_pay(provider, row, step, "Every practice's frailty register was reviewed in the quarter.")
        if rows:
            await submit(provider, rows[-1], len(rows), "New referrals from the care homes doubled this quarter.", 5)

    # The community connectors (live): accepted quarters, then one queried, one a draft and the last not started.
    connectors = await demo_contract("community-connectors", provider2, "live")
    if connectors is not None:
        rows = await quarters(connectors)
        settled, queried, draft = rows[:-3], rows[-3] if len(rows) >= 3 else None, rows[-2] if len(rows) >= 2 else None
        for step, row in enumerate(settled):
            await accept_and_pay(provider2, row, step, "Connectors held weekly sessions in every practice.")
        if queried is not None:
            await submit(provider2, queried, len(settled), "Referrals rose after the housing scheme began.", 0)
            kpi = await ContractKpi.select(ContractKpi.id).where(ContractKpi.contract == connectors).first()
            comments = [
                QueryCommentIn(
                    field="spend_pence",
                    comment="The spend is below the quarter's payment: say what was not spent and why.",
                )
            ]
            if kpi is not None:
                comments.append(
                    QueryCommentIn(
                        field=f"kpi:{kpi['id']}",
                        comment="This is well above last quarter: check it counts referrals received, not contacts.",
                    )
                )
            await review.query_return(
                actor=commissioner,
                return_id=queried["id"],
                comments=comments,
                now=by(queried["period_to"] + timedelta(days=20), 11, 4),
            )
        if draft is not None:
            data = await figures(connectors, len(settled) + 1, "")
            await submission.save_draft(
                actor=provider2,
                return_id=draft["id"],
                figures=msgspec.structs.replace(data, kpi_values=data.kpi_values[:1], spend_pence=None),
                now=by(draft["period_to"] + timedelta(days=8), 16, 5),
            )
