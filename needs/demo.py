"""Demo needs and engagement: each demo PCPG's needs assessment (from the Population Needs Assessment and from local
intelligence), linked to the Cardiff plan's priorities, and engagement about a need, a priority and the published
social prescribing specification. Made through the services, so audited; a second run adds nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from accounts.queries import actor_for_user
from accounts.tables import User
from commissioning.tables import PlanPriority, Specification
from core.clock import LONDON, SYSTEM_CLOCK
from needs.rules import Collaborative, EngagementKind, NeedPriority, NeedSource
from needs.schemas import EngagementIn, NeedIn, NeedPrioritiesIn
from needs.services import engagements, needs
from needs.tables import Need
from organisations.tables import Cluster, Pcpg

PNA = "Cardiff and Vale Population Needs Assessment"
PNA_LINK = "https://www.cardiffandvalerpb.co.uk/population-needs-assessment/"

# (key, PCPG, title, title_cy, description, source, details, clusters, population, evidence, evidence source,
#  priority, plan priorities answering it by their titles)
NEEDS: list[tuple[Any, ...]] = [
    (
        "obesity",
        "Cardiff",
        "Adult obesity",
        "Gordewdra oedolion",
        "More adults live with obesity in Cardiff North and West than the Wales average, and level 2 weight "
        "management has a long wait.",
        NeedSource.PNA,
        {"pna_title": PNA, "pna_year": 2022, "pna_section": "Chapter 4: Healthy lifestyles", "pna_link": PNA_LINK},
        ("Cardiff North", "Cardiff West"),
        21_500,
        "National Survey for Wales 2022-23: 61% of adults overweight or obese",
        "Public Health Wales Observatory",
        NeedPriority.HIGH,
        ("Reduce adult obesity",),
    ),
    (
        "loneliness",
        "Cardiff",
        "Loneliness and social isolation",
        "Unigrwydd ac ynysigrwydd cymdeithasol",
        "Practices report many appointments about loneliness, debt and housing rather than illness.",
        NeedSource.CLUSTER,
        {},
        ("Cardiff East", "Cardiff South East", "City & Cardiff South"),
        None,
        "An audit of two weeks of GP appointments in three practices",
        "Cardiff East cluster IMTP 2024",
        NeedPriority.HIGH,
        ("Connect people with community support",),
    ),
    (
        "polypharmacy",
        "Cardiff",
        "Polypharmacy in older people",
        "Amlgyffuriaeth mewn pobl hŷn",
        "Many people over 65 and care home residents take ten or more medicines without a recent review.",
        NeedSource.COLLABORATIVE,
        {"collaborative": Collaborative.PHARMACY},
        ("Cardiff North", "Cardiff East"),
        3_400,
        "Community pharmacy medicines use reviews, 2025",
        "Cardiff pharmacy collaborative",
        NeedPriority.MEDIUM,
        ("Safer use of medicines",),
    ),
    (
        "dental",
        "Cardiff",
        "Access to NHS dentistry for children",
        "Mynediad at ddeintyddiaeth y GIG i blant",
        "Families wait for a first NHS dental appointment for their children.",
        NeedSource.COLLABORATIVE,
        {"collaborative": Collaborative.DENTAL},
        ("City & Cardiff South",),
        None,
        "",
        "",
        NeedPriority.LOW,
        (),
    ),
    (
        "homelessness",
        "Swansea Bay",
        "Health of people who are homeless",
        "Iechyd pobl ddigartref",
        "People sleeping rough or in temporary accommodation seldom register with a GP.",
        NeedSource.PNA,
        {
            "pna_title": "West Glamorgan Population Assessment",
            "pna_year": 2022,
            "pna_section": "Housing and homelessness",
            "pna_link": "https://www.westglamorgan.org.uk/",
        },
        ("CityHealth",),
        650,
        "",
        "",
        NeedPriority.HIGH,
        (),
    ),
]


async def _commissioner(username: str) -> Any:
    row = await User.select(User.id).where(User.username == username).first()
    return None if row is None else await actor_for_user(row["id"])


async def make_needs_demo() -> None:
    commissioners = {
        "Cardiff": await _commissioner("commissioner"),
        "Swansea Bay": await _commissioner("commissioner2"),
    }
    if any(actor is None for actor in commissioners.values()) or await Need.exists():
        return
    now = SYSTEM_CLOCK.now()
    today = now.astimezone(LONDON).date()
    pcpgs = {row["name"]: row["id"] for row in await Pcpg.select(Pcpg.id, Pcpg.name)}
    clusters = {row["name"]: row["id"] for row in await Cluster.select(Cluster.id, Cluster.name)}
    priorities = {
        row["title"]: row["id"]
        for row in await PlanPriority.select(PlanPriority.id, PlanPriority.title).order_by(PlanPriority.id)
    }
    made: dict[str, int] = {}
    for row in NEEDS:
        key, pcpg, title, title_cy, description, source, details, names, people, evidence, where, level, answers = row
        actor = commissioners[pcpg]
        need = await needs.record_need(
            actor=actor,
            data=NeedIn(
                pcpg_id=pcpgs[pcpg],
                title=title,
                title_cy=title_cy,
                description=description,
                source=source,
                cluster_ids=[clusters[name] for name in names],
                population_affected=people,
                evidence=evidence,
                evidence_source=where,
                priority=level,
                **details,
            ),
            now=now,
        )
        made[key] = need.id
        linked = [priorities[answer] for answer in answers if answer in priorities]
        if linked:
            await needs.link_plan_priorities(
                actor=actor, need_id=need.id, data=NeedPrioritiesIn(plan_priority_ids=linked), now=now
            )
    social = priorities.get("Connect people with community support")
    published = await (
        Specification.select(Specification.id)
        .where((Specification.plan_priority == social) & (Specification.status == "published"))
        .order_by(Specification.id)
        .first()
    )
    cardiff = commissioners["Cardiff"]
    activities: list[tuple[dict[str, int | None], EngagementKind, int, int, str, str, str, str]] = [
        (
            {"need_id": made["obesity"]},
            EngagementKind.FOCUS_GROUP,
            120,
            14,
            "Adults waiting for weight management support in Cardiff North",
            "Sessions in the evening; help that is not only about diet",
            "Evening sessions at two practices, and a physical activity offer with the leisure centre",
            "Sesiynau gyda'r nos mewn dwy feddygfa, a chynnig gweithgarwch corfforol gyda'r ganolfan hamdden",
        ),
        (
            {"plan_priority_id": social},
            EngagementKind.LLAIS,
            90,
            230,
            "Patients and carers across Cardiff East and South East; community groups",
            "People want someone to talk to about money and housing, close to home",
            "Link workers will hold drop-ins in community centres as well as practices",
            "Bydd gweithwyr cyswllt yn cynnal sesiynau galw heibio mewn canolfannau cymunedol yn ogystal â meddygfeydd",
        ),
        (
            {"specification_id": published["id"] if published else None},
            EngagementKind.SURVEY,
            30,
            412,
            "Patients of the three clusters; 18% answered in Welsh",
            "Referral should not depend on seeing a GP first",
            "Self-referral is part of the specification",
            "Mae hunangyfeirio yn rhan o'r fanyleb",
        ),
    ]
    for subject, kind, days_ago, people, groups, said, did, did_cy in activities:
        if any(value is None for value in subject.values()):
            continue
        await engagements.record_engagement(
            actor=cardiff,
            data=EngagementIn(
                kind=kind,
                held_on=today - timedelta(days=days_ago),
                people_reached=people,
                groups_reached=groups,
                what_they_said=said,
                what_changed=did,
                what_changed_cy=did_cy,
                **subject,  # type: ignore[arg-type]
            ),
            now=now,
        )
