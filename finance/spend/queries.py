"""The spend report's read, scoped to the actor: `spend_report` is the interface the API, the page, the files and
the dashboard share."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from accounts.actor import Actor
from core.db import engine
from core.errors import RuleBroken
from core.i18n import N_, current_language, gettext, name_in_reading_language, period_in_words
from core.periods import FinancialYear
from finance import rules
from finance.spend.schemas import (
    GROUPING_NAMES,
    GROUPINGS,
    HELD_FOR_PCPG,
    NOT_SPLIT,
    NOT_SPLIT_KEY,
    Grouping,
    SpendFilterIn,
    SpendKeyOut,
    SpendReportOut,
    SpendRowOut,
    SpendTotalsOut,
)
from finance.spend.sql import line_conditions, report_query
from menu.tables import MenuServiceVersion
from organisations.tables import Cluster, DeliveryVehicle, HealthBoard, Pcpg


def read_group_by(values: list[str]) -> list[Grouping]:
    """`group_by` from the query: repeated, or a comma list ("pcpg,financial_year"); one or two distinct groupings,
    refused otherwise with a 422 naming group_by."""
    asked = [part.strip() for value in values for part in value.split(",") if part.strip()]
    unknown = [name for name in asked if name not in GROUPINGS]
    if unknown:
        raise RuleBroken(
            "Group by one or two of: %(choices)s", field="group_by", choices=", ".join(GROUPINGS), unknown=unknown
        )
    if not 1 <= len(asked) <= 2 or len(set(asked)) != len(asked):
        raise RuleBroken("Group by one or two of: %(choices)s", field="group_by", choices=", ".join(GROUPINGS))
    return [next(known for known in GROUPINGS if known == name) for name in asked]


def check_years(filters: SpendFilterIn) -> None:
    if filters.from_year is not None and filters.to_year is not None and filters.from_year > filters.to_year:
        raise RuleBroken("The last year cannot be before the first", field="to_year")


async def _names(group_by: list[Grouping], keys: set[tuple[Any, ...]]) -> dict[tuple[str, Any], str]:
    """Names of what the rows are grouped by, in the reader's language: one statement per grouping that has names
    (at most two), read by the ids the totals found."""
    found: dict[tuple[str, Any], str] = {}
    for index, name in enumerate(group_by):
        ids = sorted({key[index] for key in keys if isinstance(key[index], int) and key[index] > 0})
        if name == "financial_year":
            found.update({(name, year): FinancialYear(year).label for year in ids})
        elif name == "funding_stream":
            found.update(
                {
                    (name, key[index]): gettext(rules.FUNDING_STREAMS.get(key[index], N_("Other")))
                    for key in keys
                    if key[index] is not None
                }
            )
        elif ids:
            for row in await _name_select(name, ids):
                found[(name, row["id"])] = name_in_reading_language(row["name"], row["name_cy"])
    return found


async def _name_select(name: str, ids: list[int]) -> list[dict[str, Any]]:
    if name == "cluster":
        return await Cluster.select(Cluster.id, Cluster.name, Cluster.name_cy).where(Cluster.id.is_in(ids))
    if name == "pcpg":
        return await Pcpg.select(Pcpg.id, Pcpg.name, Pcpg.name_cy).where(Pcpg.id.is_in(ids))
    if name == "health_board":
        return await HealthBoard.select(HealthBoard.id, HealthBoard.name, HealthBoard.name_cy).where(
            HealthBoard.id.is_in(ids)
        )
    if name == "delivery_vehicle":
        rows = await DeliveryVehicle.select(DeliveryVehicle.id, DeliveryVehicle.name).where(
            DeliveryVehicle.id.is_in(ids)
        )
        return [{**row, "name_cy": None} for row in rows]
    versions = await MenuServiceVersion.select(
        MenuServiceVersion.menu_service.as_alias("id"),
        MenuServiceVersion.name,
        MenuServiceVersion.name_cy,
        MenuServiceVersion.version,
        MenuServiceVersion.menu_service.current_version.as_alias("current_version"),
    ).where(MenuServiceVersion.menu_service.is_in(ids))
    return [row for row in versions if row["version"] == row["current_version"]]  # each service's current name


def _key(name: str, value: Any, names: dict[tuple[str, Any], str]) -> SpendKeyOut:
    if value is None:
        return SpendKeyOut(grouping=name, value=None, label=gettext(HELD_FOR_PCPG))
    if name == "cluster" and value == NOT_SPLIT_KEY:
        return SpendKeyOut(grouping=name, value=None, label=gettext(NOT_SPLIT))
    if name == "financial_year" or name == "funding_stream":
        return SpendKeyOut(grouping=name, value=value, label=names.get((name, value), str(value)))
    return SpendKeyOut(grouping=name, value=int(value), label=names.get((name, int(value)), ""))


def _dates_in_words(dates: list[str], undated: int, language: str) -> str:
    shown = [period_in_words(value, language) for value in dates]
    if undated:
        shown.append(
            gettext(N_("%(count)s with no date given"), count=undated)
            if dates
            else gettext(N_("no date given by the source"))
        )
    return ", ".join(shown)


def _sort_key(row: SpendRowOut) -> tuple[Any, ...]:
    """Held and unsplit rows after the named ones in each group; years in order; names alphabetically."""
    parts: list[Any] = []
    for key in row.keys:
        parts.append(0 if isinstance(key.value, int | str) else 1)
        parts.append(key.value if key.grouping == "financial_year" and isinstance(key.value, int) else 0)
        parts.append(key.label.casefold())
    return tuple(parts)


async def spend_report(*, actor: Actor, filters: SpendFilterIn) -> SpendReportOut:
    """The ledger's money by the groupings asked for, scoped to the actor (a finance director their health board, a
    commissioner their PCPGs, a national administrator all; others refused) and filtered; each row's and the totals'
    figures as finance/spend/__init__.py says. One aggregate statement (finance/spend/sql.py report_query: the ledger's
    parts built once, read for both the rows and the population facts), and one more per named grouping (at most
    two) to name what was found."""
    check_years(filters)
    group_by = list(filters.group_by)
    conditions = line_conditions(actor, filters)
    found_rows = await engine().run_querystring(report_query(group_by, conditions))
    sums = [row for row in found_rows if row["kind"] == "total"]
    details = [row for row in found_rows if row["kind"] != "total"]
    width = len(group_by)
    keys = {tuple(row[f"g{index}"] for index in range(width)) for row in sums}
    names = await _names(group_by, keys)
    language = current_language.get()

    unknown: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    dates: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    undated: dict[tuple[Any, ...], int] = defaultdict(int)
    everywhere: set[str] = set()
    for detail in details:  # a few rows a group: its clusters without a population, and the dates of the others
        key = tuple(detail[f"g{index}"] for index in range(width))
        if detail["name"] is not None:
            shown = name_in_reading_language(detail["name"], detail["name_cy"])
            unknown[key].append(shown)
            everywhere.add(shown)
        elif detail["undated"] is not None:
            undated[key] += 1
        if detail["as_of"]:
            dates[key].add(detail["as_of"])

    rows = []
    for found in sums:  # one row a group, summed by the database
        key = tuple(found[f"g{index}"] for index in range(width))
        population = int(found["population"]) if found["population"] is not None else None
        row_dates = sorted(dates[key])
        rows.append(
            SpendRowOut(
                keys=[_key(name, key[index], names) for index, name in enumerate(group_by)],
                held_for_pcpg=any(value is None for value in key),
                not_split_by_cluster="cluster" in group_by and key[group_by.index("cluster")] == NOT_SPLIT_KEY,
                budget_pence=int(found["budget_pence"] or 0),
                earmarked_pence=int(found["earmarked_pence"] or 0),
                committed_pence=int(found["committed_pence"] or 0),
                committed_unspent_pence=int(found["unspent_pence"] or 0),
                actual_pence=int(found["actual_pence"] or 0),
                headroom_pence=int(found["headroom_pence"] or 0),
                population=population,
                clusters_with_population=int(found["clusters_with_population"] or 0),
                clusters_without_population=sorted(unknown[key], key=str.casefold),
                population_as_of=row_dates,
                populations_undated=undated[key],
                population_dates=_dates_in_words(row_dates, undated[key], language) if population else "",
                actual_per_head_pence=rules.per_head_pence(int(found["actual_counted"] or 0), population),
                committed_per_head_pence=rules.per_head_pence(int(found["committed_counted"] or 0), population),
            )
        )
    rows.sort(key=_sort_key)
    return SpendReportOut(
        group_by=list(group_by),
        group_by_labels=[gettext(GROUPING_NAMES[name]) for name in group_by],
        filters=filters,
        rows=rows,
        totals=SpendTotalsOut(
            budget_pence=sum(row.budget_pence for row in rows),
            earmarked_pence=sum(row.earmarked_pence for row in rows),
            committed_pence=sum(row.committed_pence for row in rows),
            committed_unspent_pence=sum(row.committed_unspent_pence for row in rows),
            actual_pence=sum(row.actual_pence for row in rows),
            headroom_pence=sum(row.headroom_pence for row in rows),
        ),
        clusters_without_population=sorted(everywhere, key=str.casefold),
    )
