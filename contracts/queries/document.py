"""The contract document's read model, for whoever may read the contract: nine queries whatever its size."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from accounts.actor import Actor
from commissioning.rules import ProcurementRoute
from contracts import rules
from contracts.queries.scope import read_scope, scoped
from contracts.rules import ContractOrigin, ContractStatus, PaymentTiming, VariationKind, VariationStatus
from contracts.schemas.document import (
    ContractDocument,
    DocumentActivity,
    DocumentAllocation,
    DocumentKpi,
    DocumentPayment,
    DocumentReturn,
    DocumentVariation,
    DocumentVersion,
    DocumentYear,
)
from contracts.tables import (
    Contract,
    ContractActivity,
    ContractAllocation,
    ContractCluster,
    ContractKpi,
    ContractPayment,
    ContractVariation,
    ContractVersion,
    ContractYear,
)
from core.clock import LONDON
from core.errors import NotFound
from core.i18n import N_, current_language, gettext, name_in_reading_language, period_in_words
from core.periods import FinancialYear
from organisations.rules import LEGAL_FORM_LABELS

DIRECTION_LABELS = {"higher_is_better": N_("Higher"), "lower_is_better": N_("Lower")}
METHOD_LABELS = {"population": N_("Population share"), "explicit": N_("Entered by the commissioner")}
NOT_YET_SET = N_("Not yet set")


def _day(moment: datetime | None) -> date | None:
    return moment.astimezone(LONDON).date() if moment is not None else None


def _label(year: int) -> str:
    return FinancialYear(year).label


def _totals(rows: list[tuple[int, int]]) -> list[DocumentYear]:
    """Per-year totals of (financial year, pence) rows, in year order."""
    totals: dict[int, int] = {}
    for year, pence in rows:
        totals[year] = totals.get(year, 0) + pence
    return [DocumentYear(year, _label(year), pence) for year, pence in sorted(totals.items())]


async def _contract(actor: Actor, contract_id: int) -> dict[str, Any]:
    row = await scoped(
        Contract.select(
            *Contract.all_columns(),
            Contract.health_board.name,
            Contract.health_board.name_cy,
            Contract.pcpg.name,
            Contract.pcpg.name_cy,
            Contract.delivery_vehicle.name,
            Contract.delivery_vehicle.legal_form,
            Contract.delivery_vehicle.companies_house_number,
            Contract.specification.reference,
            Contract.specification.title,
            Contract.specification.title_cy,
            Contract.specification.description,
            Contract.specification.description_cy,
            Contract.specification.procurement_route,
            Contract.menu_service_version.name,
            Contract.menu_service_version.name_cy,
            Contract.menu_service_version.version,
            Contract.menu_service_version.unit_of_activity,
            Contract.menu_service_version.unit_of_activity_cy,
        ).where(Contract.id == contract_id),
        read_scope(actor),
    ).first()
    if row is None:
        raise NotFound("No such contract")
    return row


async def contract_document(*, actor: Actor, contract_id: int, now: datetime) -> ContractDocument:
    """Out of the reader's scope a contract is missing (404), as everywhere in contracts."""
    c = await _contract(actor, contract_id)
    welsh = current_language.get() == "cy"

    def pick(english: str | None, cymraeg: str | None) -> str:
        return name_in_reading_language(english or "", cymraeg)

    years = (
        await ContractYear.select(ContractYear.financial_year, ContractYear.value_pence)
        .where(ContractYear.contract == contract_id)
        .order_by(ContractYear.financial_year)
    )
    clusters = await ContractCluster.select(ContractCluster.cluster.name, ContractCluster.cluster.name_cy).where(
        ContractCluster.contract == contract_id
    )
    activity = (
        await ContractActivity.select()
        .where(ContractActivity.contract == contract_id)
        .order_by(ContractActivity.financial_year, ContractActivity.quarter)
    )
    payments = (
        await ContractPayment.select()
        .where(ContractPayment.contract == contract_id)
        .order_by(ContractPayment.financial_year, ContractPayment.quarter)
    )
    kpis = (
        await ContractKpi.select()
        .where(ContractKpi.contract == contract_id)
        .order_by(ContractKpi.position, ContractKpi.id)
    )
    allocations = (
        await ContractAllocation.select(
            *ContractAllocation.all_columns(), ContractAllocation.cluster.name, ContractAllocation.cluster.name_cy
        )
        .where(ContractAllocation.contract == contract_id)
        .order_by(ContractAllocation.financial_year, ContractAllocation.cluster.name)
    )
    variations = (
        await ContractVariation.select()
        .where(
            (ContractVariation.contract == contract_id) & (ContractVariation.status == VariationStatus.APPROVED.value)
        )
        .order_by(ContractVariation.number)
    )
    versions = (
        await ContractVersion.select(ContractVersion.version, ContractVersion.made_at, ContractVersion.variation.number)
        .where(ContractVersion.contract == contract_id)
        .order_by(ContractVersion.version)
    )

    status = ContractStatus(c["status"])
    version_of = {v["version_made"]: v["number"] for v in variations if v["version_made"] is not None}
    returns = rules.return_schedule(
        start_on=c["start_on"],
        end_on=c["end_on"],
        terminated_on=c["terminated_on"],
        due_days=c["reporting_due_days"],
        reported_from_on=c.get("reported_from_on"),
    )
    return ContractDocument(
        contract_id=contract_id,
        reference=c["reference"],
        title=c["title_cy"] if welsh and c["title_cy"] else c["title"],
        produced_on=now.astimezone(LONDON).date(),
        status=status.value,
        status_label=gettext(status.label),
        version=c["version"],
        health_board=pick(c["health_board.name"], c["health_board.name_cy"]),
        pcpg=pick(c["pcpg.name"], c["pcpg.name_cy"]),
        delivery_vehicle=c["delivery_vehicle.name"],
        legal_form_label=_legal_form(c["delivery_vehicle.legal_form"]),
        companies_house_number=c["delivery_vehicle.companies_house_number"] or "",
        start_on=c["start_on"],
        end_on=c["end_on"],
        live_from_on=c["live_from_on"],
        terminated_on=c["terminated_on"],
        status_reason=c["status_reason"] or "",
        years=[DocumentYear(y["financial_year"], _label(y["financial_year"]), int(y["value_pence"])) for y in years],
        total_value_pence=sum(int(y["value_pence"]) for y in years),
        specification_reference=c["specification.reference"] or "",
        specification_title=pick(c["specification.title"] or "", c["specification.title_cy"]),
        specification_description=pick(c["specification.description"] or "", c["specification.description_cy"]),
        procurement_route_label=gettext(
            ProcurementRoute(c["specification.procurement_route"]).label
            if c["specification.procurement_route"]
            else ContractOrigin.LEGACY.label
        ),
        menu_service=pick(c["menu_service_version.name"], c["menu_service_version.name_cy"]),
        menu_service_version=c["menu_service_version.version"],
        unit_of_activity=pick(
            c["menu_service_version.unit_of_activity"], c["menu_service_version.unit_of_activity_cy"]
        ),
        clusters=sorted(pick(r["cluster.name"], r["cluster.name_cy"]) for r in clusters),
        activity=[DocumentActivity(_label(a["financial_year"]), a["quarter"], a["units"]) for a in activity],
        payment_timing_label=gettext(PaymentTiming(c["payment_timing"]).label),
        payments=[
            DocumentPayment(_label(p["financial_year"]), p["quarter"], int(p["amount_pence"]), p["due_on"])
            for p in payments
        ],
        payment_totals=_totals([(p["financial_year"], int(p["amount_pence"])) for p in payments]),
        kpis=[
            DocumentKpi(
                name=pick(k["name"], k["name_cy"]),
                unit=k["unit"],
                direction_label=gettext(DIRECTION_LABELS[k["direction"]]) if k["direction"] in DIRECTION_LABELS else "",
                baseline=k["baseline"] or "–",
                target=k["target"] or "–",
                green_from=k["green_from"] or gettext(NOT_YET_SET),
                red_from=k["red_from"] or gettext(NOT_YET_SET),
            )
            for k in kpis
        ],
        reporting_due_days=c["reporting_due_days"],
        returns=[
            DocumentReturn(_label(r.financial_year), r.quarter, r.period_from, r.period_to, r.due_on) for r in returns
        ],
        allocations=[
            DocumentAllocation(
                year_label=_label(a["financial_year"]),
                cluster=pick(a["cluster.name"], a["cluster.name_cy"]),
                amount_pence=int(a["amount_pence"]),
                method_label=gettext(METHOD_LABELS[a["method"]]) if a["method"] in METHOD_LABELS else a["method"],
                population=a["population"],
                population_source=a["population_source"] or "",
                population_as_of=period_in_words(a["population_as_of"], current_language.get())
                if a["population_as_of"]
                else "",
            )
            for a in allocations
        ],
        allocation_totals=_totals([(a["financial_year"], int(a["amount_pence"])) for a in allocations]),
        variations=[
            DocumentVariation(
                number=v["number"],
                kind_label=gettext(VariationKind(v["kind"]).label),
                effective_on=v["effective_on"],
                reason=v["reason"],
                approved_on=_day(v["decided_at"]),
                version_made=v["version_made"],
            )
            for v in variations
        ],
        versions=[
            DocumentVersion(
                version=v["version"],
                made_on=_day(v["made_at"]) or c["start_on"],
                made_by=_made_by(v["variation.number"] or version_of.get(v["version"]), c["origin"]),
            )
            for v in versions
        ],
    )


def _legal_form(code: str) -> str:
    return gettext(LEGAL_FORM_LABELS[code]) if code in LEGAL_FORM_LABELS else ""


def _made_by(variation_number: int | None, origin: str) -> str:
    return gettext(rules.version_source(variation_number, origin), number=variation_number)
