"""A world for the finance director's ledger: lines of Cardiff and Vale (Cardiff, Vale of Glamorgan) and one of
Swansea Bay, with earmarks and commitments held and released, one line at the 90 % warning and one over-committed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from finance.tables import BudgetCommitment, BudgetEarmark, BudgetLine
from organisations.tables import Pcpg
from tests import factories

NOW = datetime(2026, 6, 1, tzinfo=UTC)
RELEASED = datetime(2026, 7, 1, tzinfo=UTC)


@dataclass
class LedgerWorld:
    lines: dict[str, int]  # by a short name: cardiff_27, cardiff_27_core, cardiff_28, vale_27, swansea_27
    contract_id: int
    specification_id: int


async def _pcpg(name: str) -> dict[str, Any]:
    row = await Pcpg.select(Pcpg.id, Pcpg.health_board).where(Pcpg.name == name).first()
    assert row is not None, name
    return row


async def line(pcpg: str, year: int, stream: str, amount_pence: int) -> int:
    found = await _pcpg(pcpg)
    saved = await factories.save(
        factories.BudgetLineFactory(
            health_board=found["health_board"],
            pcpg=found["id"],
            financial_year=year,
            funding_stream=stream,
            amount_pence=amount_pence,
        )
    )
    return int(saved.id)


async def earmark(world: LedgerWorld, name: str, amount_pence: int, *, released: bool = False) -> None:
    await factories.save(
        factories.BudgetEarmarkFactory(
            budget_line=world.lines[name],
            specification=world.specification_id,
            amount_pence=amount_pence,
            released_at=RELEASED if released else None,
        )
    )


async def commit(world: LedgerWorld, name: str, amount_pence: int, *, released: bool = False) -> int:
    saved = await factories.save(
        factories.BudgetCommitmentFactory(
            budget_line=world.lines[name],
            contract=world.contract_id,
            amount_pence=amount_pence,
            released_at=RELEASED if released else None,
        )
    )
    return int(saved.id)


async def release_commitments(commitment_ids: list[int]) -> None:
    """What varying a contract down, or terminating it, does to its commitments: they stop being held."""
    await BudgetCommitment.update({BudgetCommitment.released_at: RELEASED}).where(
        BudgetCommitment.id.is_in(commitment_ids)
    )


async def build_ledger_world() -> LedgerWorld:
    cardiff = await _pcpg("Cardiff")
    spec = await factories.save(factories.SpecificationFactory(pcpg=cardiff["id"]))
    contract = await factories.create_contract(pcpg_id=cardiff["id"])
    world = LedgerWorld(
        lines={
            "cardiff_27": await line("Cardiff", 2027, "cluster_funding", 100_000_00),
            "cardiff_27_core": await line("Cardiff", 2027, "hb_core", 10_000_00),
            "cardiff_28": await line("Cardiff", 2028, "cluster_funding", 100_000_01),
            "vale_27": await line("Vale of Glamorgan", 2027, "regional_integration_fund", 1_000_00),
            "swansea_27": await line("Swansea Bay", 2027, "cluster_funding", 77_777_77),
        },
        contract_id=int(contract.id),
        specification_id=int(spec.id),
    )
    await earmark(world, "cardiff_27", 30_000_00)
    await earmark(world, "cardiff_27", 5_000_00, released=True)
    await commit(world, "cardiff_27", 50_000_00)
    await commit(world, "cardiff_27", 20_000_00, released=True)
    await earmark(world, "cardiff_27_core", 9_500_00)  # 95 % used: the warning
    await commit(world, "cardiff_28", 33_333_33)
    await earmark(world, "cardiff_28", 12_345_67)
    await commit(world, "vale_27", 1_500_00)  # over-committed: headroom below nothing, still adding up
    await earmark(world, "swansea_27", 7_777_77)
    return world


async def held_pence(line_id: int) -> tuple[int, int, int]:
    """The line's budget, and what earmarks and commitments hold on it, read from the rows (not from the ledger)."""
    budget = await BudgetLine.select(BudgetLine.amount_pence).where(BudgetLine.id == line_id).first()
    earmarks = await BudgetEarmark.select(BudgetEarmark.amount_pence).where(
        (BudgetEarmark.budget_line == line_id) & BudgetEarmark.released_at.is_null()
    )
    commitments = await BudgetCommitment.select(BudgetCommitment.amount_pence).where(
        (BudgetCommitment.budget_line == line_id) & BudgetCommitment.released_at.is_null()
    )
    assert budget is not None
    return (
        int(budget["amount_pence"]),
        sum(int(r["amount_pence"]) for r in earmarks),
        sum(int(r["amount_pence"]) for r in commitments),
    )
