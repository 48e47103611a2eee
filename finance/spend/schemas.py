"""The spend report's types: what it is grouped by and filtered on, and its rows (finance/spend/__init__.py)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from core.bounds import Id
from core.i18n import N_
from finance.schemas import FundingStream

Grouping = Literal[
    "cluster", "pcpg", "health_board", "menu_service", "delivery_vehicle", "financial_year", "funding_stream"
]
GROUPINGS: tuple[Grouping, ...] = (
    "cluster",
    "pcpg",
    "health_board",
    "menu_service",
    "delivery_vehicle",
    "financial_year",
    "funding_stream",
)
GROUPING_NAMES = {
    "cluster": N_("Cluster"),
    "pcpg": N_("PCPG"),
    "health_board": N_("Health board"),
    "menu_service": N_("Menu service"),
    "delivery_vehicle": N_("Delivery vehicle"),
    "financial_year": N_("Financial year"),
    "funding_stream": N_("Funding stream"),
}
# Groupings that cannot attribute a budget line's budget and earmarks: those stay on a row held for the PCPG.
BELOW_THE_LINE = frozenset({"cluster", "menu_service", "delivery_vehicle"})
HELD_FOR_PCPG = N_("Held for the PCPG, not yet given to a contract")
NOT_SPLIT = N_("Given to contracts, not split by cluster")
NOT_SPLIT_KEY = -1
Year = Annotated[int, msgspec.Meta(ge=2020, le=2100)]


class SpendFilterIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """What the report groups by (one or two groupings, in order) and which budget lines it reads; a filter left out
    is not applied. The years are financial years by their start (2027 is 2027-28), both ends included."""

    group_by: Annotated[list[Grouping], msgspec.Meta(min_length=1, max_length=2)]
    from_year: Year | None = None
    to_year: Year | None = None
    health_board_id: Id | None = None
    pcpg_id: Id | None = None
    funding_stream: FundingStream | None = None


class SpendKeyOut(msgspec.Struct, kw_only=True):
    """One grouping's value on a row: `value` is the id (the start year, or the stream's code) and None on the row
    held for the PCPG; `label` names it in the reader's language."""

    grouping: str
    value: int | str | None
    label: str


class SpendRowOut(msgspec.Struct, kw_only=True):
    """One group's money. It adds up to the penny: budget = earmarked + committed_unspent + actual + headroom."""

    keys: list[SpendKeyOut]  # one for each grouping asked for, in the same order
    held_for_pcpg: bool  # the part of the budget lines not given to a contract (groupings below the line)
    not_split_by_cluster: bool  # contracts' money whose cluster split is missing (grouping by cluster)
    budget_pence: int
    earmarked_pence: int
    committed_pence: int  # every commitment contracts hold here, spent or not
    committed_unspent_pence: int  # commitments not yet paid (the ledger's "Committed")
    actual_pence: int  # approved payments
    headroom_pence: int
    population: int | None  # of the clusters counted for per head; None when none has a known population
    clusters_with_population: int
    clusters_without_population: list[str]  # named in the reader's language; their money is not in per head
    population_as_of: list[str]  # the dates the populations' sources give ("2018-10"), oldest first
    populations_undated: int  # clusters counted whose population source gives no date
    population_dates: str  # those dates in words, in the reader's language
    actual_per_head_pence: int | None  # actual spend in clusters with a known population / their population
    committed_per_head_pence: int | None  # the same for commitments (spent or not)


class SpendTotalsOut(msgspec.Struct, kw_only=True):
    """Every row added up: the ledger's totals over the lines the filters select."""

    budget_pence: int
    earmarked_pence: int
    committed_pence: int
    committed_unspent_pence: int
    actual_pence: int
    headroom_pence: int


class SpendReportOut(msgspec.Struct, kw_only=True):
    group_by: list[str]
    group_by_labels: list[str]  # the groupings named in the reader's language
    filters: SpendFilterIn
    rows: list[SpendRowOut]
    totals: SpendTotalsOut
    clusters_without_population: list[str]  # every cluster with money here and no known population, named
