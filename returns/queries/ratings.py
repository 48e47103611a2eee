"""Reads of a contract's annual performance ratings (issue 13, item 6): for its readers, each year it may be rated
in or has been, with each KPI's accepted quarters' RAG, the rating they suggest and the rating recorded; for the
public page, the ratings alone, with nobody named and no note. A fixed number of statements whatever the size."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from accounts.actor import Actor, Role
from accounts.queries import full_names
from contracts.queries.contracts import contract_row
from contracts.tables import Contract, ContractKpi
from core.clock import london_day
from core.i18n import gettext, in_reading_language, name_in_reading_language
from core.periods import FinancialYear
from returns import rules
from returns.rules import PerformanceRatingKind, ReturnStatus
from returns.schemas.ratings import (
    ContractRatingsOut,
    KpiRatingOut,
    PublicRatingOut,
    PublicRatingYearOut,
    QuarterRagOut,
    RatingYearOut,
)
from returns.tables import PerformanceRating, ReturnKpiValue

NO_SUGGESTION = "–"


def rate_scope(actor: Actor) -> Any:
    """The contracts whose performance an actor rates: a commissioner's PCPGs' (the PCPG manages the contract)."""
    if actor.role is Role.COMMISSIONER:
        return Contract.pcpg.is_in(list(actor.pcpg_ids) or [-1])
    return Contract.id == -1


async def contract_kpis(contract_id: int) -> list[dict[str, Any]]:
    k: Any = ContractKpi
    return list(
        await ContractKpi.select(*ContractKpi.all_columns(), in_reading_language(k.name, k.name_cy, alias="name_shown"))
        .where(ContractKpi.contract == contract_id)
        .order_by(ContractKpi.position)
        .order_by(ContractKpi.id)
    )


async def year_rags(contract_id: int, kpis: Sequence[dict[str, Any]]) -> dict[tuple[int, int], list[QuarterRagOut]]:
    """Each KPI's accepted quarters by (financial year, KPI id), with the RAG the contract's thresholds give them:
    one statement for every year."""
    v: Any = ReturnKpiValue
    rows = (
        await ReturnKpiValue.select(
            ReturnKpiValue.contract_kpi,
            ReturnKpiValue.value,
            v.delivery_return.financial_year.as_alias("financial_year"),
            v.delivery_return.quarter.as_alias("quarter"),
        )
        .where((v.delivery_return.contract == contract_id) & (v.delivery_return.status == ReturnStatus.ACCEPTED.value))
        .order_by(v.delivery_return.financial_year)
        .order_by(v.delivery_return.quarter)
    )
    by_id = {kpi["id"]: kpi for kpi in kpis}
    found: dict[tuple[int, int], list[QuarterRagOut]] = {}
    for row in rows:
        kpi = by_id.get(row["contract_kpi"])
        if kpi is None:
            continue
        rag = rules.kpi_rag(rules.threshold(row["value"]), kpi["direction"], kpi["green_from"], kpi["red_from"])
        found.setdefault((row["financial_year"], kpi["id"]), []).append(
            QuarterRagOut(row["quarter"], row["value"], rag, gettext(rag.label), rag.tag)
        )
    return found


async def get_ratings(*, actor: Actor, contract_id: int, now: datetime) -> ContractRatingsOut:
    """The contract's years the commissioner may rate now and those already rated, each KPI with its year's RAG and
    the suggestion it makes; a contract outside the reader's scope is absent."""
    row = await contract_row(actor, contract_id)
    can_rate = await Contract.exists().where((Contract.id == contract_id) & rate_scope(actor))
    rateable = rules.rateable_years(
        start_on=row["start_on"], end_on=row["end_on"], terminated_on=row["terminated_on"], today=london_day(now)
    )
    kpis = await contract_kpis(contract_id)
    rags = await year_rags(contract_id, kpis)
    recorded = await PerformanceRating.select().where(PerformanceRating.contract == contract_id)
    by_year: dict[int, dict[int, dict[str, Any]]] = {}
    for rating in recorded:
        by_year.setdefault(rating["financial_year"], {})[rating["contract_kpi"]] = rating
    names = await full_names([r["rated_by_username"] for r in recorded])
    years = []
    for year in sorted(set(rateable) | set(by_year), reverse=True):
        ratings = by_year.get(year, {})
        latest = max(ratings.values(), key=lambda r: r["rated_at"]) if ratings else None
        years.append(
            RatingYearOut(
                financial_year=year,
                year_label=FinancialYear(year).label,
                rateable=year in rateable,
                rated=bool(ratings),
                rated_at=latest["rated_at"] if latest else None,
                rated_by=names.get(latest["rated_by_username"], latest["rated_by_username"]) if latest else "",
                kpis=[_kpi(kpi, rags.get((year, kpi["id"]), []), ratings.get(kpi["id"])) for kpi in kpis],
            )
        )
    return ContractRatingsOut(
        contract_id=contract_id,
        reference=row["reference"],
        title=name_in_reading_language(row["title"], row["title_cy"]),
        can_rate=can_rate,
        years=years,
    )


def _kpi(kpi: dict[str, Any], quarters: list[QuarterRagOut], rating: dict[str, Any] | None) -> KpiRatingOut:
    suggested = rules.suggested_rating(q.rag for q in quarters)
    recorded = PerformanceRatingKind(rating["rating"]) if rating else None
    return KpiRatingOut(
        contract_kpi_id=kpi["id"],
        name=kpi["name_shown"],
        quarters=quarters,
        suggested=suggested,
        suggested_label=gettext(suggested.label) if suggested else NO_SUGGESTION,
        rating=recorded,
        rating_label=gettext(recorded.label) if recorded else "",
        rating_tag=recorded.tag if recorded else "",
        note=rating["note"] if rating else "",
    )


async def public_ratings(*, contract_id: int) -> list[PublicRatingYearOut]:
    """What anyone may read of the contract's ratings: each rated year's KPIs and their ratings, newest year first.
    No rater, no note."""
    r: Any = PerformanceRating
    rows = (
        await PerformanceRating.select(
            PerformanceRating.financial_year,
            PerformanceRating.rating,
            in_reading_language(r.contract_kpi.name, r.contract_kpi.name_cy, alias="kpi"),
        )
        .where(PerformanceRating.contract == contract_id)
        .order_by(PerformanceRating.financial_year, ascending=False)
        .order_by(r.contract_kpi.position)
        .order_by(PerformanceRating.contract_kpi)
    )
    years: dict[int, list[PublicRatingOut]] = {}
    for row in rows:
        rating = PerformanceRatingKind(row["rating"])
        years.setdefault(row["financial_year"], []).append(
            PublicRatingOut(row["kpi"], gettext(rating.label), rating.tag)
        )
    return [PublicRatingYearOut(FinancialYear(year).label, ratings) for year, ratings in years.items()]
