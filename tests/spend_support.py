"""A demo-like world for the spend report: the ledger world's budget lines (tests/ledger_support.py) with contracts
for two menu services by two delivery vehicles, commitments split by cluster (clusters with and without a known
population), approved payments split by cluster (one a penny past its cluster's commitment, as largest remainders
can make it), and the rows the ledger leaves out (a withheld payment, a released commitment, a payment on no line)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from organisations.tables import Cluster, Pcpg
from tests import factories
from tests import ledger_support as ledger

CLUSTERS = ("Cardiff North", "Cardiff East", "Cardiff South West", "Central Vale", "CityHealth")


@dataclass
class SpendWorld:
    ledger: ledger.LedgerWorld
    clusters: dict[str, int]
    services: dict[str, int]  # menu service ids: "obesity", "falls"
    vehicles: dict[str, int]  # "north", "vale"
    contracts: dict[str, int]


async def _pcpg(name: str) -> dict[str, Any]:
    row = await Pcpg.select(Pcpg.id, Pcpg.health_board).where(Pcpg.name == name).first()
    assert row is not None
    return row


async def _contract(pcpg: str, version: Any, vehicle: Any, *, contract_names_version: bool = True) -> int:
    found = await _pcpg(pcpg)
    spec = await factories.save(factories.SpecificationFactory(pcpg=found["id"], menu_service_version=version.id))
    award = await factories.save(factories.AwardFactory(specification=spec.id, delivery_vehicle=vehicle.id))
    contract = await factories.save(
        factories.ContractFactory(
            specification=spec.id,
            award=award.id,
            health_board=found["health_board"],
            pcpg=found["id"],
            delivery_vehicle=vehicle.id,
            menu_service_version=version.id if contract_names_version else None,
        )
    )
    return int(contract.id)


async def commit_split(
    world: SpendWorld, line: str, contract: str, split: dict[str, int], *, unsplit_pence: int = 0
) -> int:
    total = sum(split.values()) + unsplit_pence
    saved = await factories.save(
        factories.BudgetCommitmentFactory(
            budget_line=world.ledger.lines[line], contract=world.contracts[contract], amount_pence=total
        )
    )
    for cluster, amount in split.items():
        await factories.save(
            factories.BudgetCommitmentClusterFactory(
                budget_commitment=saved.id, cluster=world.clusters[cluster], amount_pence=amount
            )
        )
    return int(saved.id)


async def pay(
    world: SpendWorld,
    line: str | None,
    contract: str,
    split: dict[str, int],
    *,
    quarter: int,
    year: int = 2027,
    status: str = "approved",
    unsplit_pence: int = 0,
) -> int:
    saved = await factories.save(
        factories.PaymentFactory(
            contract=world.contracts[contract],
            budget_line=None if line is None else world.ledger.lines[line],
            amount_pence=sum(split.values()) + unsplit_pence,
            status=status,
            financial_year=year,
            quarter=quarter,
        )
    )
    for cluster, amount in split.items():
        await factories.save(
            factories.PaymentClusterFactory(payment=saved.id, cluster=world.clusters[cluster], amount_pence=amount)
        )
    return int(saved.id)


async def build_spend_world() -> SpendWorld:
    base = await ledger.build_ledger_world()
    clusters = {
        row["name"]: row["id"]
        for row in await Cluster.select(Cluster.id, Cluster.name).where(Cluster.name.is_in(list(CLUSTERS)))
    }
    obesity = await factories.save(factories.MenuServiceVersionFactory(name="Weight management"))
    falls = await factories.save(factories.MenuServiceVersionFactory(name="Falls prevention"))
    north = await factories.save(factories.DeliveryVehicleFactory(name="North Cardiff Health CIC"))
    vale = await factories.save(factories.DeliveryVehicleFactory(name="Vale Wellbeing CIC"))
    world = SpendWorld(
        ledger=base,
        clusters=clusters,
        services={"obesity": int(obesity.menu_service), "falls": int(falls.menu_service)},
        vehicles={"north": int(north.id), "vale": int(vale.id)},
        contracts={
            "weight": await _contract("Cardiff", obesity, north),
            "falls": await _contract("Cardiff", falls, vale, contract_names_version=False),
            "vale": await _contract("Vale of Glamorgan", falls, vale),
            "swansea": await _contract("Swansea Bay", obesity, north),
        },
    )
    # Cardiff 2027: £30,000.01 over three clusters (two with a population, one without), paid three quarters.
    await commit_split(
        world,
        "cardiff_27",
        "weight",
        {"Cardiff North": 10_000_01, "Cardiff East": 10_000_00, "Cardiff South West": 10_000_00},
    )
    for quarter in (1, 2, 3):
        await pay(
            world,
            "cardiff_27",
            "weight",
            {"Cardiff North": 2_500_01, "Cardiff East": 2_500_00, "Cardiff South West": 2_500_00},
            quarter=quarter,
        )
    await pay(world, "cardiff_27", "weight", {"Cardiff North": 2_500_00}, quarter=4, status="withheld")
    # Largest remainders: a cluster paid a penny past its share of the commitment.
    await commit_split(world, "cardiff_27", "falls", {"Cardiff North": 3_333_33, "Cardiff East": 3_333_33})
    await pay(world, "cardiff_27", "falls", {"Cardiff North": 3_333_34, "Cardiff East": 3_333_32}, quarter=1)
    await commit_split(world, "cardiff_28", "falls", {"Cardiff East": 20_000_00}, unsplit_pence=99)
    await pay(world, "cardiff_28", "falls", {"Cardiff East": 5_000_00}, quarter=1, year=2028, unsplit_pence=1_00)
    await pay(world, None, "falls", {"Cardiff East": 1_000_00}, quarter=2)  # on no budget line: not in the ledger
    await commit_split(world, "vale_27", "vale", {"Central Vale": 600_00})
    await pay(world, "vale_27", "vale", {"Central Vale": 200_00}, quarter=1)
    released = await commit_split(world, "swansea_27", "swansea", {"CityHealth": 5_000_00})
    await ledger.release_commitments([released])
    await commit_split(world, "swansea_27", "swansea", {"CityHealth": 4_000_00})
    await pay(world, "swansea_27", "swansea", {"CityHealth": 1_234_56}, quarter=1)
    return world
