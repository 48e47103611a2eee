"""A contract made through the app's own award journey (Direct Award 1, confirmed at once), and approved variations
inserted as rows, for the tests of the contract document (the variation services are built elsewhere)."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta

from accounts.actor import Actor, Role
from commissioning.schemas import AwardIn, AwardValueIn
from commissioning.services import award
from contracts import rules
from contracts.services import parts
from contracts.tables import Contract, ContractVariation, ContractVersion, ContractYear
from tests import bidding_support as b
from tests import factories
from tests.conftest import make_actor

VEHICLE = "Gofal Gŵyr Wellbeing CIC"
COMPANY_NUMBER = "12345678"
VALUES = (60_000_01, 62_000_00)  # a penny over, so the quarters are not all equal


@dataclass
class Made:
    contract_id: int
    reference: str
    commissioner: Actor
    provider: Actor


async def made_contract(*, values: tuple[int, ...] = VALUES) -> Made:
    """Cardiff PCPG's contract for Cardiff North and West with a vehicle whose name has a ŵ, over 2027-28 and
    2028-29; its KPIs come from the menu service's (the `menu` fixture must be used)."""
    deal = await b.tender(route="direct_award_1", years=len(values))
    vehicle = await factories.create_vehicle(name=VEHICLE, companies_house_number=COMPANY_NUMBER)
    intention = await award.award_specification(
        actor=deal.commissioner,
        specification_id=deal.id,
        data=AwardIn(
            rationale="Regulation 9: the existing provider is performing satisfactorily",
            delivery_vehicle_id=vehicle.id,
            values=[AwardValueIn(financial_year=b.FIRST_YEAR + n, value_pence=v) for n, v in enumerate(values)],
        ),
        now=b.AWARDED,
    )
    confirmed = await award.confirm_award(actor=deal.commissioner, award_id=intention.id, now=b.AWARDED)
    assert confirmed.contract_id is not None
    row = await Contract.select(Contract.reference).where(Contract.id == confirmed.contract_id).first()
    assert row is not None
    provider = await make_actor(Role.PROVIDER, delivery_vehicle_id=vehicle.id)
    return Made(int(confirmed.contract_id), row["reference"], deal.commissioner, provider)


async def approve_variation(
    contract_id: int, number: int, *, kind: str, reason: str, effective_on: date, status: str = "approved"
) -> None:
    """A decided variation as the variation services will leave it: the row, and (when approved) the version it
    made, numbered after the ones before."""
    decided = b.AWARDED + timedelta(days=30 * number)
    version = number + 1 if status == "approved" else None
    variation = ContractVariation(
        contract=contract_id,
        number=number,
        kind=kind,
        reason=reason,
        effective_on=effective_on,
        change={},
        status=status,
        proposed_at=decided - timedelta(days=2),
        proposed_by_username="proposer",
        decided_at=decided,
        decided_by_username="decider",
        version_made=version,
    )
    await variation.save()
    if version is not None:
        await ContractVersion(
            contract=contract_id,
            version=version,
            made_at=decided,
            made_by_username="decider",
            variation=variation.id,
            particulars={},
        ).save()
        await Contract.update({Contract.version: version}).where(Contract.id == contract_id)


POPULATIONS = {
    "Cardiff North": (61_234, "Public Health Wales cluster profile", "2020-01-01"),
    "Cardiff West": (48_766, "Cardiff and Vale UHB population needs assessment", "2018-10"),
}


async def allocate(contract_id: int) -> None:
    """The split by population the commissioner's allocation would make, with each population's source and date
    as they stood (Cardiff's clusters have no published population in the reference data)."""
    ids = await factories.cluster_ids(*POPULATIONS)
    clusters = [
        rules.ClusterPopulation(cluster_id, *POPULATIONS[name])
        for cluster_id, name in zip(ids, POPULATIONS, strict=True)
    ]
    years = {
        row["financial_year"]: int(row["value_pence"])
        for row in await ContractYear.select().where(ContractYear.contract == contract_id)
    }
    await parts.save_allocations(contract_id, rules.allocate_by_population(years, clusters))


def pdf_text(content: bytes) -> str:
    """The PDF's text as pdftotext reads it (poppler-utils), whitespace folded."""
    assert content.startswith(b"%PDF-")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        done = subprocess.run(["pdftotext", "-enc", "UTF-8", handle.name, "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode("utf-8").split())
