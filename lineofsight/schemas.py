"""The line of sight as the API returns it and the page, the CSV and the PDF show it: need -> plan priority ->
specification -> contract -> outcomes and spend, for one place and one financial year, with the gaps."""

from __future__ import annotations

from typing import Annotated

import msgspec

from core.bounds import Id
from finance.spend.contract_money import ContractMoneyOut
from returns.queries.sight import KpiSightOut

Year = Annotated[int, msgspec.Meta(ge=2000, le=2100)]


class SightAsk(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One place (a PCPG, a cluster or a health board) and a financial year by its start (2027 is 2027-28)."""

    pcpg_id: Id | None = None
    cluster_id: Id | None = None
    health_board_id: Id | None = None
    financial_year: Year | None = None


class PlaceOut(msgspec.Struct, kw_only=True):
    level: str  # "health_board", "pcpg" or "cluster"
    level_label: str
    place_id: int
    name: str


class PlaceLink(msgspec.Struct, kw_only=True):
    """A place above or below this one, to go up or down the line of sight."""

    level: str
    place_id: int
    name: str


class ContractLeaf(msgspec.Struct, kw_only=True):
    contract_id: int
    reference: str
    title: str
    delivery_vehicle: str
    status_label: str
    status_tag: str
    kpis: list[KpiSightOut]
    red_kpis: int
    money: ContractMoneyOut


class SpecificationBranch(msgspec.Struct, kw_only=True):
    specification_id: int
    reference: str
    title: str
    status_label: str
    status_tag: str
    href: str  # its page, where the reader may see it ("" for another's draft)
    contracts: list[ContractLeaf]


class PriorityBranch(msgspec.Struct, kw_only=True):
    plan_priority_id: int
    title: str
    plan: str
    specifications: list[SpecificationBranch]


class NeedBranch(msgspec.Struct, kw_only=True):
    need_id: int
    title: str
    source: str  # where it comes from, in words
    priority_label: str
    population_affected: int | None
    priorities: list[PriorityBranch]


class GapOut(msgspec.Struct, kw_only=True):
    """Something in the line of sight that does not lead on: named, and where to see it."""

    kind: str  # "need", "plan_priority", "specification" or "contract"
    item_id: int
    name: str
    href: str


class GapsOut(msgspec.Struct, kw_only=True):
    needs_without_priority: list[GapOut]
    priorities_without_specification: list[GapOut]
    specifications_without_contract: list[GapOut]
    contracts_with_red_kpis: list[GapOut]

    @property
    def count(self) -> int:
        return (
            len(self.needs_without_priority)
            + len(self.priorities_without_specification)
            + len(self.specifications_without_contract)
            + len(self.contracts_with_red_kpis)
        )


class SightTotalsOut(msgspec.Struct, kw_only=True):
    """The place's money in the year as the spend report counts it (finance/spend), to the penny of the ledger."""

    committed_pence: int
    actual_pence: int
    committed_per_head_pence: int | None
    actual_per_head_pence: int | None
    population: int | None  # of the place's clusters with money and a known population
    population_dates: str  # the dates the populations' sources give, in words
    clusters_without_population: list[str]  # their money is not in per head


class LineOfSightOut(msgspec.Struct, kw_only=True):
    place: PlaceOut
    financial_year: int
    year_label: str
    up: list[PlaceLink]  # the places above, widest first
    down: list[PlaceLink]  # the places just below (PCPGs of a health board, clusters of a PCPG)
    needs: list[NeedBranch]
    priorities_without_need: list[PriorityBranch]  # priorities answering no need recorded here
    specifications_without_priority: list[SpecificationBranch]
    contracts_without_specification: list[ContractLeaf]  # made before this service (or awarded in another place)
    gaps: GapsOut
    totals: SightTotalsOut
