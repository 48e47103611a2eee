"""The return's figures as a form: the one reader shared by the vehicle's form (save as draft, then submit) and the
correction of an accepted return. Inputs are named as `returns.rules.return_fields` names the fields (`spend_pence`,
`activity:<cluster>`, `kpi:<contract KPI>`, `workforce:<staff group>`, `narrative`, `risks`), the names the API's
problems and the review's comments use, so a refusal from the service lands on the input it is about."""

from __future__ import annotations

from typing import Any

from core.errors import DomainError
from core.i18n import N_, gettext
from core.money import parse_pounds, pounds_input
from returns import rules
from returns.schemas.returns import ActivityIn, KpiValueIn, ReturnFiguresIn, ReturnOut, WorkforceIn
from returns.services.figures import ENTER_KPI_NUMBER, ENTER_WTE_FOR, NEGATIVE_SPEND
from web.forms import NO_NUL_CHARACTER, Form

MAX_TEXT = 10_000
ENTER_UNITS_AS_NUMBER = N_("Enter the units delivered in %(name)s as a whole number")
TOO_LONG = N_("Write 10,000 characters or fewer")
# A refusal about the return as a whole (its status, its quarter) is shown at the top of the figures.
WHOLE_RETURN = {"status": "figures", "period_to": "figures"}


def figure_names(delivery_return: ReturnOut) -> list[str]:
    """Every input of the figures, in the order the form shows them."""
    return rules.return_fields(
        cluster_ids=[a.cluster_id for a in delivery_return.activity],
        kpi_ids=[k.contract_kpi_id for k in delivery_return.kpis],
    )


def figure_values(delivery_return: ReturnOut) -> dict[str, str]:
    """The inputs as the saved figures fill them."""
    values = {
        rules.activity_field(a.cluster_id): "" if a.units is None else str(a.units) for a in delivery_return.activity
    }
    values |= {rules.kpi_field(k.contract_kpi_id): k.value or "" for k in delivery_return.kpis}
    values |= {rules.workforce_field(w.staff_group): w.wte or "" for w in delivery_return.workforce}
    return values | {
        rules.SPEND_FIELD: pounds_input(delivery_return.spend_pence),
        rules.NARRATIVE_FIELD: delivery_return.narrative,
        rules.RISKS_FIELD: delivery_return.risks,
    }


def read_figures(posted: Any, delivery_return: ReturnOut) -> Form[ReturnFiguresIn]:
    """The answers as the one input shape, each figure checked where it was typed. Blanks are left out, so a draft
    may be incomplete; the service asks for every figure when the return is submitted or corrected."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}

    def answer(name: str) -> str:
        values[name] = str(posted.get(name, "")).strip()
        if "\x00" in values[name]:  # PostgreSQL text cannot hold it: refused on both databases
            errors.setdefault(name, gettext(NO_NUL_CHARACTER))
            return ""
        return values[name]

    activity = []
    for cluster in delivery_return.activity:
        name = rules.activity_field(cluster.cluster_id)
        if text := answer(name):
            units = rules.units_value(text)
            if units is None:
                errors[name] = gettext(ENTER_UNITS_AS_NUMBER, name=cluster.name)
            else:
                activity.append(ActivityIn(cluster_id=cluster.cluster_id, units=units))
    spend: int | None = None
    if text := answer(rules.SPEND_FIELD):
        if text.lstrip("£ ").startswith("-"):
            errors[rules.SPEND_FIELD] = gettext(NEGATIVE_SPEND)
        else:
            try:
                spend = parse_pounds(text, field=rules.SPEND_FIELD)
            except DomainError:
                errors[rules.SPEND_FIELD] = gettext(rules.ENTER_SPEND)
            if spend is not None and spend > rules.MAX_SPEND_PENCE:
                spend, errors[rules.SPEND_FIELD] = None, gettext(rules.ENTER_SPEND)
    kpi_values = []
    for kpi in delivery_return.kpis:
        name = rules.kpi_field(kpi.contract_kpi_id)
        if text := answer(name):
            value = rules.kpi_value(text)
            if value is None:
                errors[name] = gettext(ENTER_KPI_NUMBER, name=kpi.name)
            else:
                kpi_values.append(KpiValueIn(contract_kpi_id=kpi.contract_kpi_id, value=value))
    texts = {}
    for name in (rules.NARRATIVE_FIELD, rules.RISKS_FIELD):
        texts[name] = answer(name)
        if len(texts[name]) > MAX_TEXT:
            errors[name] = gettext(TOO_LONG)
    workforce = []
    for group in delivery_return.workforce:
        name = rules.workforce_field(group.staff_group)
        if text := answer(name):
            wte = rules.wte_value(text)
            if wte is None:
                errors[name] = gettext(ENTER_WTE_FOR, group=group.label)
            else:
                workforce.append(WorkforceIn(staff_group=group.staff_group, wte=wte))
    figures = ReturnFiguresIn(
        activity=activity,
        spend_pence=spend,
        kpi_values=kpi_values,
        narrative=texts[rules.NARRATIVE_FIELD],
        risks=texts[rules.RISKS_FIELD],
        workforce=workforce,
    )
    order = figure_names(delivery_return)
    errors = {name: errors[name] for name in order if name in errors}
    return Form(values=values, data=figures, errors=errors, ids=WHOLE_RETURN, messages={})
