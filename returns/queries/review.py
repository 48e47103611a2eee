"""Reads for the commissioner's review of returns: the queue of submitted returns (oldest first, paged in SQL), the
fields of a return by name with their labels and values in words (the same names the API's comments use), and the
review page's figures against the quarter's share."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import msgspec

from accounts.actor import Actor
from accounts.queries import full_names, person
from contracts.tables import ContractCluster, ContractKpi
from core.clock import london_day
from core.i18n import N_, current_language, gettext, in_reading_language
from core.money import format_pounds
from core.pagination import Page, check_window
from organisations.tables import Cluster
from returns import rules
from returns.queries.returns import _summary, _summary_select, get_return
from returns.queries.scope import review_scope, scoped
from returns.rules import ReturnStatus
from returns.schemas.returns import ReturnOut
from returns.schemas.review import ReturnFieldOut, ReviewQueueItem
from returns.tables import DeliveryReturn, Payment

APPROVED = "approved"  # Payment.status of an approved payment

SPEND = N_("Spend")
NARRATIVE = N_("Narrative")
RISKS = N_("Risks and issues")
ACTIVITY = N_("Activity %(name)s")
KPI = N_("KPI %(name)s")
WORKFORCE = N_("Workforce %(name)s")
NOT_GIVEN = N_("none")
WTE = N_("%(wte)s WTE")


async def review_queue(*, actor: Actor, now: datetime, limit: int = 25, offset: int = 0) -> Page[ReviewQueueItem]:
    """The submitted returns of the commissioner's PCPGs, the longest waiting first: two statements and the names."""
    check_window(limit, offset)
    today = london_day(now)
    condition = review_scope(actor) & (DeliveryReturn.status == ReturnStatus.SUBMITTED.value)
    rows = await (
        scoped(_summary_select(), condition)
        .order_by(DeliveryReturn.submitted_at)
        .order_by(DeliveryReturn.id)
        .limit(limit)
        .offset(offset)
    )
    total = await scoped(DeliveryReturn.count(), condition)
    names = await full_names(row["submitted_by_username"] for row in rows)
    items = [
        ReviewQueueItem(summary=_summary(row, today), submitted_by=person(row["submitted_by_username"], names))
        for row in rows
    ]
    return Page(items=items, total=total, limit=limit, offset=offset)


class FieldNames(msgspec.Struct, frozen=True, kw_only=True):
    """What a contract's return fields are called: its clusters' and KPIs' names in the reader's language, the
    unit of activity, and the fields in the return's order."""

    order: list[str]
    clusters: dict[int, str]
    kpis: dict[int, str]

    def label(self, field: str) -> str:
        """A field's name as the reader reads it: "Spend", "Activity Cardiff North", "KPI People completing"."""
        if field == rules.SPEND_FIELD:
            return gettext(SPEND)
        if field == rules.NARRATIVE_FIELD:
            return gettext(NARRATIVE)
        if field == rules.RISKS_FIELD:
            return gettext(RISKS)
        kind, _, key = field.partition(":")
        if f"{kind}:" == rules.ACTIVITY_PREFIX:
            return gettext(ACTIVITY, name=self.clusters.get(_int(key), key))
        if f"{kind}:" == rules.KPI_PREFIX:
            return gettext(KPI, name=self.kpis.get(_int(key), key))
        if f"{kind}:" == rules.WORKFORCE_PREFIX and key in rules.STAFF_GROUPS:
            return gettext(WORKFORCE, name=gettext(rules.STAFF_GROUPS[key]))
        return field


def _int(text: str) -> int:
    return int(text) if text.isdigit() else -1


async def field_names(contract_id: int, *, cluster_ids: list[int] | None = None) -> FieldNames:
    """The contract's clusters and KPIs by id, with their names (and those of `cluster_ids` no longer covered, which
    an old version may name): three statements."""
    c: Any = ContractCluster
    covered = (
        await ContractCluster.select(c.cluster, in_reading_language(c.cluster.name, c.cluster.name_cy, alias="name"))
        .where(ContractCluster.contract == contract_id)
        .order_by(ContractCluster.cluster)
    )
    clusters = {int(row["cluster"]): row["name"] for row in covered}
    others = sorted(set(cluster_ids or []) - set(clusters))
    if others:
        for row in await Cluster.select(
            Cluster.id, in_reading_language(Cluster.name, Cluster.name_cy, alias="name")
        ).where(Cluster.id.is_in(others)):
            clusters[int(row["id"])] = row["name"]
    k: Any = ContractKpi
    kpis = (
        await ContractKpi.select(ContractKpi.id, in_reading_language(k.name, k.name_cy, alias="name"))
        .where(ContractKpi.contract == contract_id)
        .order_by(ContractKpi.position)
    )
    order = rules.return_fields(
        cluster_ids=[int(row["cluster"]) for row in covered], kpi_ids=[int(row["id"]) for row in kpis]
    )
    return FieldNames(order=order, clusters=clusters, kpis={int(row["id"]): row["name"] for row in kpis})


def figure_in_words(field: str, value: rules.Figure, unit: str = "") -> str:
    """A figure as the reader reads it: pounds for the spend, units and WTE with their unit, text as it is."""
    if value is None or value == "":
        return gettext(NOT_GIVEN)
    if field == rules.SPEND_FIELD:
        return format_pounds(int(value), current_language.get())
    if field.startswith(rules.ACTIVITY_PREFIX):
        return f"{int(value):,} {unit}".strip()
    if field.startswith(rules.WORKFORCE_PREFIX):
        return gettext(WTE, wte=value)
    return str(value)


def flat_current(delivery_return: ReturnOut) -> dict[str, rules.Figure]:
    """The return's figures as they stand, by field name (returns.rules.flat_figures)."""
    return rules.flat_figures(
        {
            "spend_pence": delivery_return.spend_pence,
            "activity": [
                {"cluster_id": a.cluster_id, "units": a.units} for a in delivery_return.activity if a.units is not None
            ],
            "kpi_values": [
                {"contract_kpi_id": k.contract_kpi_id, "value": k.value}
                for k in delivery_return.kpis
                if k.value is not None
            ],
            "narrative": delivery_return.narrative,
            "risks": delivery_return.risks,
            "workforce": [
                {"staff_group": w.staff_group, "wte": w.wte} for w in delivery_return.workforce if w.wte is not None
            ],
        }
    )


def review_fields(delivery_return: ReturnOut, names: FieldNames) -> list[ReturnFieldOut]:
    """Each field of the return as the review page shows it, with a comment box: its label and value in words."""
    flat: Mapping[str, rules.Figure] = flat_current(delivery_return)
    return [
        ReturnFieldOut(
            field=field,
            label=names.label(field),
            value=figure_in_words(field, flat.get(field), delivery_return.unit_of_activity),
        )
        for field in names.order
    ]


async def payment_approved(*, contract_id: int, financial_year: int, quarter: int, quarters: int = 1) -> bool:
    """Whether a quarter the return covers (its own; both, for a half-yearly return) already has an approved payment
    (which a correction of its return leaves as it is)."""
    return bool(
        await Payment.exists().where(
            (Payment.contract == contract_id)
            & (Payment.financial_year == financial_year)
            & Payment.quarter.is_in(list(range(quarter - quarters + 1, quarter + 1)))
            & (Payment.status == APPROVED)
        )
    )


class ReviewOut(msgspec.Struct, frozen=True, kw_only=True):
    """A return for its review: the return whole, its fields with labels, the spend against the quarter's share in
    words, and the comments on the version under review by field."""

    delivery_return: ReturnOut
    names: FieldNames
    fields: list[ReturnFieldOut]
    spend_against_share: str
    can_review: bool
    can_correct: bool
    payment_approved: bool
    comments: dict[str, list[str]]


SPEND_AGAINST_SHARE = N_("%(spend)s against the quarter's share of %(share)s (%(difference)s)")
ABOVE = N_("%(amount)s more")
BELOW = N_("%(amount)s less")
SAME = N_("the same")


def spend_against_share(spend_pence: int | None, share_pence: int) -> str:
    if spend_pence is None:
        return gettext(NOT_GIVEN)
    language = current_language.get()
    difference = spend_pence - share_pence
    if difference > 0:
        words = gettext(ABOVE, amount=format_pounds(difference, language))
    elif difference < 0:
        words = gettext(BELOW, amount=format_pounds(-difference, language))
    else:
        words = gettext(SAME)
    return gettext(
        SPEND_AGAINST_SHARE,
        spend=format_pounds(spend_pence, language),
        share=format_pounds(share_pence, language),
        difference=words,
    )


async def get_review(*, actor: Actor, return_id: int, now: datetime) -> ReviewOut:
    """A return as its review (and its correction form) shows it; in the reader's read scope, else not found."""
    delivery_return = await get_return(actor=actor, return_id=return_id, now=now)
    names = await field_names(delivery_return.summary.contract_id)
    version = delivery_return.summary.version
    comments: dict[str, list[str]] = {}
    for query in delivery_return.queries:
        if query.version == version:
            comments.setdefault(query.field, []).append(query.comment)
    actions = {action.action for action in delivery_return.actions}
    return ReviewOut(
        delivery_return=delivery_return,
        names=names,
        fields=review_fields(delivery_return, names),
        spend_against_share=spend_against_share(delivery_return.spend_pence, delivery_return.quarter_share_pence),
        can_review=rules.ReturnAction.REVIEW.value in actions,
        can_correct=rules.ReturnAction.CORRECT.value in actions,
        payment_approved=await payment_approved(
            contract_id=delivery_return.summary.contract_id,
            financial_year=delivery_return.summary.financial_year,
            quarter=delivery_return.summary.quarter,
            quarters=delivery_return.summary.quarters,
        ),
        comments=comments,
    )
