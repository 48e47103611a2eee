"""A return's figures (activity by cluster, spend, KPI values, narrative, risks, workforce): the one check every way
in shares (a draft saved from the form, the API or the template's upload; a submission; a correction), and the write
that puts them in place of those the return holds, part of one of those operations, never on its own.

Every problem is named by its field as `returns.rules.return_fields` names it (`spend_pence`, `activity:<cluster>`,
`kpi:<contract KPI>`, `workforce:<staff group>`, `narrative`, `risks`), in the order the return shows them, so the API's
problem details, the form's error summary and the review's comments all point at the same field."""

from __future__ import annotations

from typing import Any

import msgspec

from contracts.tables import ContractCluster, ContractKpi
from core.errors import RuleBroken
from core.i18n import N_, gettext, in_reading_language
from returns import rules
from returns.schemas.returns import ActivityIn, KpiValueIn, ReturnFiguresIn, WorkforceIn
from returns.tables import ReturnActivity, ReturnKpiValue, ReturnWorkforce

CHECK_THE_FIGURES = N_("Check the figures: %(count)s of them cannot be saved as they are")
NOT_COMPLETE = N_("The return is not complete: %(count)s figures are missing")
GIVEN_TWICE = N_("This figure is given twice: give it once")
NOT_A_CLUSTER = N_("The contract does not cover this cluster")
NOT_A_KPI = N_("The contract has no such KPI")
NOT_A_STAFF_GROUP = N_("Choose a staff group the return lists")
ENTER_UNITS_IN = N_("Enter the units delivered in %(name)s")
ENTER_SPEND_IN_QUARTER = N_("Enter the spend in the quarter")
NEGATIVE_SPEND = N_("The spend cannot be negative")
ENTER_KPI_NUMBER = N_("Enter a number for %(name)s, like 87.5")
ENTER_KPI_VALUE = N_("Enter a value for %(name)s")
NOT_IN_A_LIGHT_RETURN = N_("A light return asks for spend, activity and KPIs only: leave this out")
ENTER_WTE_FOR = N_("Enter the whole-time equivalents for %(group)s as a number of 0 or more, like 2.5")


async def contract_clusters(contract_id: int) -> dict[int, str]:
    """The clusters the contract covers, by id, named in the reader's language, in id order."""
    c: Any = ContractCluster
    rows = await (
        ContractCluster.select(
            ContractCluster.cluster, in_reading_language(c.cluster.name, c.cluster.name_cy, alias="name")
        )
        .where(ContractCluster.contract == contract_id)
        .order_by(ContractCluster.cluster)
    )
    return {row["cluster"]: row["name"] for row in rows}


async def contract_kpis(contract_id: int) -> dict[int, str]:
    """The contract's KPIs, by id, named in the reader's language, in the order the return shows them."""
    rows = await (
        ContractKpi.select(ContractKpi.id, in_reading_language(ContractKpi.name, ContractKpi.name_cy, alias="name"))
        .where(ContractKpi.contract == contract_id)
        .order_by(ContractKpi.position)
        .order_by(ContractKpi.id)
    )
    return {row["id"]: row["name"] for row in rows}


def figure_problems(
    figures: ReturnFiguresIn, *, clusters: dict[int, str], kpis: dict[int, str], whole: bool, light: bool = False
) -> tuple[ReturnFiguresIn, dict[str, str]]:
    """The figures in the forms the tables keep (KPI values and WTE as decimal text, in the return's order), and
    every problem by field: only the contract's clusters and KPIs and the known staff groups, each once, numbers in
    their form, spend not negative. `whole` (to submit, or to correct an accepted return) also asks for the units of
    every cluster, the spend and a value for every KPI; a draft may leave them out. Workforce, narrative and risks may
    always be left empty; a light return (high autonomy, issue 15 item 5) does not take them at all, so one given is
    refused on its field rather than kept unseen."""
    problems: dict[str, str] = {}
    units: dict[int, int] = {}
    for a in figures.activity:
        field = rules.activity_field(a.cluster_id)
        if a.cluster_id not in clusters:
            problems[field] = gettext(NOT_A_CLUSTER)
        elif a.cluster_id in units:
            problems[field] = gettext(GIVEN_TWICE)
        else:
            units[a.cluster_id] = a.units
    if figures.spend_pence is not None and figures.spend_pence < 0:
        problems[rules.SPEND_FIELD] = gettext(NEGATIVE_SPEND)
    elif figures.spend_pence is None and whole:
        problems[rules.SPEND_FIELD] = gettext(ENTER_SPEND_IN_QUARTER)
    values: dict[int, str] = {}
    for k in figures.kpi_values:
        field = rules.kpi_field(k.contract_kpi_id)
        value = rules.kpi_value(k.value)
        if k.contract_kpi_id not in kpis:
            problems[field] = gettext(NOT_A_KPI)
        elif k.contract_kpi_id in values or field in problems:
            problems[field] = gettext(GIVEN_TWICE)
        elif value is None:
            problems[field] = gettext(ENTER_KPI_NUMBER, name=kpis[k.contract_kpi_id])
        else:
            values[k.contract_kpi_id] = value
    wte: dict[str, str] = {}
    for w in figures.workforce:
        field = rules.workforce_field(w.staff_group)
        value = rules.wte_value(w.wte)
        if w.staff_group not in rules.STAFF_GROUPS:
            problems[field] = gettext(NOT_A_STAFF_GROUP)
        elif w.staff_group in wte or field in problems:
            problems[field] = gettext(GIVEN_TWICE)
        elif value is None:
            problems[field] = gettext(ENTER_WTE_FOR, group=gettext(rules.STAFF_GROUPS[w.staff_group]))
        else:
            wte[w.staff_group] = value
    if light:
        for field, given in (
            (rules.NARRATIVE_FIELD, figures.narrative.strip()),
            (rules.RISKS_FIELD, figures.risks.strip()),
        ):
            if given:
                problems[field] = gettext(NOT_IN_A_LIGHT_RETURN)
        for w in figures.workforce:
            problems[rules.workforce_field(w.staff_group)] = gettext(NOT_IN_A_LIGHT_RETURN)
    if whole:
        for cluster_id, name in clusters.items():
            if cluster_id not in units:
                problems.setdefault(rules.activity_field(cluster_id), gettext(ENTER_UNITS_IN, name=name))
        for kpi_id, name in kpis.items():
            if kpi_id not in values:
                problems.setdefault(rules.kpi_field(kpi_id), gettext(ENTER_KPI_VALUE, name=name))
    order = rules.return_fields(cluster_ids=list(clusters), kpi_ids=list(kpis))
    in_order = {field: problems[field] for field in [*order, *sorted(set(problems) - set(order))] if field in problems}
    tidy = msgspec.structs.replace(
        figures,
        activity=[ActivityIn(cluster_id=c, units=units[c]) for c in clusters if c in units],
        kpi_values=[KpiValueIn(contract_kpi_id=k, value=values[k]) for k in kpis if k in values],
        workforce=[WorkforceIn(staff_group=g, wte=wte[g]) for g in rules.STAFF_GROUPS if g in wte],
        narrative=figures.narrative.strip(),
        risks=figures.risks.strip(),
    )
    return tidy, in_order


def checked_figures(
    figures: ReturnFiguresIn,
    *,
    clusters: dict[int, str],
    kpis: dict[int, str],
    whole: bool,
    refusal: str,
    light: bool = False,
) -> ReturnFiguresIn:
    """The figures tidied (`figure_problems`), or `refusal` naming the first field, with every problem by field."""
    tidy, problems = figure_problems(figures, clusters=clusters, kpis=kpis, whole=whole, light=light)
    if problems:
        raise RuleBroken(refusal, field=next(iter(problems)), count=len(problems), problems=problems)
    return tidy


async def replace_figures(return_id: int, figures: ReturnFiguresIn) -> None:
    for table in (ReturnActivity, ReturnKpiValue, ReturnWorkforce):
        await table.delete().where(table.delivery_return == return_id)  # type: ignore[attr-defined]
    if figures.activity:
        await ReturnActivity.insert(
            *[ReturnActivity(delivery_return=return_id, cluster=a.cluster_id, units=a.units) for a in figures.activity]
        )
    if figures.kpi_values:
        await ReturnKpiValue.insert(
            *[
                ReturnKpiValue(delivery_return=return_id, contract_kpi=k.contract_kpi_id, value=k.value)
                for k in figures.kpi_values
            ]
        )
    if figures.workforce:
        await ReturnWorkforce.insert(
            *[
                ReturnWorkforce(delivery_return=return_id, staff_group=w.staff_group, wte=w.wte)
                for w in figures.workforce
            ]
        )
