"""A delivery return filled in, queried and resubmitted, written straight to the tables (submission and review are other
parts of issue 13), for the tests of the return's document: what it holds, and the facts its PDF and page must state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from accounts.actor import Actor, Role
from contracts.tables import Contract, ContractKpi
from core.money import format_pounds
from returns.rules import ReturnStatus
from returns.tables import (
    DeliveryReturn,
    ReturnActivity,
    ReturnKpiValue,
    ReturnQuery,
    ReturnVersion,
    ReturnWorkforce,
)
from tests import contracts_support_lifecycle as cs
from tests import factories
from tests.conftest import make_actor
from tests.pages.markup import welsh

PROVIDER_NAME = "Siôn Gŵyn"
COMMISSIONER_NAME = "Rhian Tŷ-Isaf"
NARRATIVE = "Walking groups met weekly at Tŷ Gŵyr community hall; 40 new people joined."
RISKS = "Two volunteers leave in September; recruiting to replace them."
QUERY = "Please explain why spend is above the quarter's share."
ACTIVITY = {"Cardiff North": 1_234, "Cardiff South West": 567}
SPEND_PENCE = 31_500_00  # the quarter's share of £120,000 a year is £30,000
# name, Welsh name, direction, green from, red from, target, value, RAG
KPIS = (
    ("People seen within two weeks", "Pobl a welwyd o fewn pythefnos", "higher_is_better", "80", "60", "90", "85.5"),
    ("Days waited", "Diwrnodau aros", "lower_is_better", "10", "20", "8", "25"),
    (
        "People still active at 12 weeks",
        "Pobl yn dal yn weithgar ar ôl 12 wythnos",
        "higher_is_better",
        "80",
        "60",
        "",
        "70",
    ),
)
RAG_WORDS = ("Green", "Red", "Amber")
WORKFORCE = {"nursing_midwifery": "2.5", "wellbeing_and_social": "1.0"}
WORKFORCE_WORDS = ("Nursing and midwifery", "Wellbeing and social prescribing")


@dataclass
class Filled:
    return_id: int
    contract_id: int
    reference: str
    provider: Actor
    commissioner: Actor


async def made_return(*, filled: bool = True) -> Filled:
    """Cardiff's 2027-28 contract with three KPIs, and its first quarter's return: when `filled`, submitted, queried
    on its spend, and resubmitted as version 2 (status submitted); else not started."""
    commissioner = await make_actor(Role.COMMISSIONER, full_name=COMMISSIONER_NAME)
    contract_id = await cs.contract(years=(2027,), directions=tuple(k[2] for k in KPIS), commissioner=commissioner)
    row = await Contract.select(Contract.reference, Contract.delivery_vehicle).where(Contract.id == contract_id).first()
    assert row is not None
    provider = await make_actor(Role.PROVIDER, delivery_vehicle_id=row["delivery_vehicle"], full_name=PROVIDER_NAME)
    kpis = (
        await ContractKpi.select(ContractKpi.id)
        .where(ContractKpi.contract == contract_id)
        .order_by(ContractKpi.position)
    )
    for kpi, (name, name_cy, _, green, red, target, _value) in zip(kpis, KPIS, strict=True):
        await ContractKpi.update(
            {
                ContractKpi.name: name,
                ContractKpi.name_cy: name_cy,
                ContractKpi.green_from: green,
                ContractKpi.red_from: red,
                ContractKpi.target: target,
            }
        ).where(ContractKpi.id == kpi["id"])
    found = (
        await DeliveryReturn.select(DeliveryReturn.id)
        .where((DeliveryReturn.contract == contract_id) & (DeliveryReturn.quarter == 1))
        .first()
    )
    assert found is not None
    return_id = found["id"]
    made = Filled(return_id, contract_id, row["reference"], provider, commissioner)
    if not filled:
        return made
    first, second = cs.at(date(2027, 7, 10)), cs.at(date(2027, 7, 20))
    await DeliveryReturn.update(
        {
            DeliveryReturn.status: ReturnStatus.SUBMITTED,
            DeliveryReturn.version: 2,
            DeliveryReturn.spend_pence: SPEND_PENCE,
            DeliveryReturn.narrative: NARRATIVE,
            DeliveryReturn.risks: RISKS,
            DeliveryReturn.saved_at: second,
            DeliveryReturn.saved_by_username: provider.username,
            DeliveryReturn.submitted_at: second,
            DeliveryReturn.submitted_by_username: provider.username,
            DeliveryReturn.decided_at: cs.at(date(2027, 7, 15)),
            DeliveryReturn.decided_by_username: commissioner.username,
        }
    ).where(DeliveryReturn.id == return_id)
    for cluster_id, units in zip(await factories.cluster_ids(*ACTIVITY), ACTIVITY.values(), strict=True):
        await ReturnActivity.insert(ReturnActivity(delivery_return=return_id, cluster=cluster_id, units=units))
    for kpi, spec in zip(kpis, KPIS, strict=True):
        await ReturnKpiValue.insert(ReturnKpiValue(delivery_return=return_id, contract_kpi=kpi["id"], value=spec[6]))
    for group, wte in WORKFORCE.items():
        await ReturnWorkforce.insert(ReturnWorkforce(delivery_return=return_id, staff_group=group, wte=wte))
    await ReturnQuery.insert(
        ReturnQuery(
            delivery_return=return_id,
            version=1,
            field="spend_pence",
            comment=QUERY,
            raised_at=cs.at(date(2027, 7, 15)),
            raised_by_username=commissioner.username,
        )
    )
    for version, made_at in ((1, first), (2, second)):
        await ReturnVersion.insert(
            ReturnVersion(
                delivery_return=return_id,
                version=version,
                kind="submitted",
                made_at=made_at,
                made_by_username=provider.username,
                figures={},
            )
        )
    return made


def facts(language: str = "en") -> list[str]:
    """What the document of a filled return must state, in that language: activity per cluster and in total, the
    spend beside the quarter's share, each KPI's name, value and RAG in words, the workforce by staff group, the
    narrative, risks, the query and the people by name."""
    say = welsh if language == "cy" else str
    wanted = [*ACTIVITY, "1,234", "567", "1,801"]
    wanted += [format_pounds(SPEND_PENCE, language), format_pounds(30_000_00, language), format_pounds(1_749, language)]
    for (name, name_cy, *_rest, value), rag in zip(KPIS, RAG_WORDS, strict=True):
        wanted += [name_cy if language == "cy" else name, value, say(rag)]
    wanted += [*(say(words) for words in WORKFORCE_WORDS), "2.5", "1.0", "3.5"]
    wanted += [NARRATIVE, RISKS, QUERY, PROVIDER_NAME, COMMISSIONER_NAME]
    return wanted
