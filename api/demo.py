"""Demo data: realistic organisations and the demo users, made through the real services (so it is audited)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accounts.actor import SYSTEM, Actor, Role
from accounts.queries import actor_for_user
from accounts.services import NewUser, create_user
from accounts.tables import User
from core.clock import SYSTEM_CLOCK
from core.db import engine, is_postgres
from organisations.schemas import DeliveryVehicleDecisionIn, DeliveryVehicleIn
from organisations.services import approve_delivery_vehicle, register_delivery_vehicle
from organisations.tables import Cluster

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
    from api.cli import load_reference, migrate

    if reset:
        await _reset()
    await migrate()
    await load_reference()
    now = SYSTEM_CLOCK.now()
    created = 0
    for username, display_name, role, extra in DEMO_USERS:
        if await User.exists().where(User.username == username):
            continue
        await create_user(
            actor=SYSTEM,
            user=NewUser(
                username=username,
                display_name=display_name,
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
            first_financial_year=this_year,
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
