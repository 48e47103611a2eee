"""Reads of contract variations and the contract's history, scoped to the reader; what each change did, field by
field, in words a person reads (issue 12, item 5). The public page takes `published_changes` (no personal data).

Stable names other modules call: `list_variations`, `get_variation`, `history`, `published_changes`,
`ledger_effect` and `variation_ledger_effect` (each with the decision preview of the vehicle's viability, item 7),
`changes_in_words`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import msgspec
from piccolo.query.functions.aggregate import Sum

from accounts.actor import Actor, Role
from accounts.queries import full_names, person
from contracts import rules
from contracts.autonomy_rules import quarter_containing
from contracts.queries import autonomy
from contracts.queries import variation_plans as planning
from contracts.queries import viability as viability_queries
from contracts.queries.scope import manage_scope, read_scope, scoped
from contracts.rules import PaymentTiming, VariationKind, VariationStatus
from contracts.schemas.variation import (
    LedgerEffectOut,
    PublishedChangeOut,
    VariationIn,
    VariationOut,
    VersionOut,
)
from contracts.schemas.viability import DecisionPreviewOut
from contracts.tables import (
    Contract,
    ContractCluster,
    ContractKpi,
    ContractVariation,
    ContractVersion,
    ContractYear,
)
from core.errors import NotFound, RuleBroken
from core.i18n import N_, current_language, gettext, name_in_reading_language, order_in_reading_language
from core.money import format_pounds
from core.periods import FinancialYear
from finance import queries as finance_queries
from finance import services as finance_services
from finance.tables import BudgetCommitment, BudgetLine
from organisations.tables import Cluster

NOT_SET = N_("not set")


def _json(value: Any) -> Any:
    return msgspec.json.decode(value) if isinstance(value, str | bytes) else value


def _money(pence: Any) -> str:
    return format_pounds(int(pence), current_language.get())


def _day(text: str) -> Any:
    return date.fromisoformat(text) if text else gettext(NOT_SET)


def _text(value: Any) -> str:
    return str(value) if value not in (None, "") else gettext(NOT_SET)


def _kpis_in_words(before: list[dict[str, str]], after: list[dict[str, str]]) -> list[str]:
    labels = {
        "target": N_("KPI %(name)s, target: %(before)s -> %(after)s"),
        "green_from": N_("KPI %(name)s, green from: %(before)s -> %(after)s"),
        "red_from": N_("KPI %(name)s, red from: %(before)s -> %(after)s"),
    }
    words = []
    for old, new in zip(before, after, strict=False):
        for name, label in labels.items():
            if old.get(name, "") != new.get(name, ""):
                words.append(
                    gettext(label, name=new.get("name", ""), before=_text(old.get(name)), after=_text(new.get(name)))
                )
    return words


def changes_in_words(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Each field a version changed, as a sentence in the reader's language: "Annual value 2028-29: £120,000.00 ->
    £135,000.00", "Clusters: added Cardiff North" (the fields are those of `contracts.queries.snapshot.particulars`)."""
    words: list[str] = []
    for change in rules.changes_between(before, after):
        old, new = change.before, change.after
        if change.field == "start_on":
            words.append(
                gettext(N_("Term starts: %(before)s -> %(after)s"), before=_day(old or ""), after=_day(new or ""))
            )
        elif change.field == "end_on":
            words.append(
                gettext(N_("Term ends: %(before)s -> %(after)s"), before=_day(old or ""), after=_day(new or ""))
            )
        elif change.field == "annual_values":
            words += _year_values(old or {}, new or {})
        elif change.field == "clusters":
            added = [name for name in new or [] if name not in (old or [])]
            removed = [name for name in old or [] if name not in (new or [])]
            if added:
                words.append(gettext(N_("Clusters: added %(names)s"), names=", ".join(added)))
            if removed:
                words.append(gettext(N_("Clusters: removed %(names)s"), names=", ".join(removed)))
        elif change.field == "kpis":
            words += _kpis_in_words(old or [], new or [])
        elif change.field == "payment_timing":
            words.append(
                gettext(
                    N_("Payment: %(before)s -> %(after)s"),
                    before=PaymentTiming(old) if old else gettext(NOT_SET),
                    after=PaymentTiming(new) if new else gettext(NOT_SET),
                )
            )
        elif change.field == "allocations":
            words += _split_values(old or {}, new or {})
        else:
            words.append(gettext(N_("%(field)s: %(before)s -> %(after)s"), field=change.field, before=old, after=new))
    return words


def _year_values(before: Mapping[str, int], after: Mapping[str, int]) -> list[str]:
    words = []
    for year in sorted(set(before) | set(after)):
        if year in before and year in after:
            if before[year] != after[year]:
                words.append(
                    gettext(
                        N_("Annual value %(year)s: %(before)s -> %(after)s"),
                        year=year,
                        before=_money(before[year]),
                        after=_money(after[year]),
                    )
                )
        elif year in after:
            words.append(gettext(N_("Annual value %(year)s: added, %(after)s"), year=year, after=_money(after[year])))
        else:
            words.append(
                gettext(N_("Annual value %(year)s: removed, was %(before)s"), year=year, before=_money(before[year]))
            )
    return words


def _split_values(before: Mapping[str, Mapping[str, int]], after: Mapping[str, Mapping[str, int]]) -> list[str]:
    words = []
    for year in sorted(set(before) | set(after)):
        old, new = before.get(year, {}), after.get(year, {})
        for cluster in sorted(set(old) | set(new)):
            if cluster in old and cluster in new:
                if old[cluster] != new[cluster]:
                    words.append(
                        gettext(
                            N_("Split %(year)s, %(cluster)s: %(before)s -> %(after)s"),
                            year=year,
                            cluster=cluster,
                            before=_money(old[cluster]),
                            after=_money(new[cluster]),
                        )
                    )
            elif cluster in new:
                words.append(
                    gettext(
                        N_("Split %(year)s, %(cluster)s: added, %(after)s"),
                        year=year,
                        cluster=cluster,
                        after=_money(new[cluster]),
                    )
                )
            else:
                words.append(
                    gettext(
                        N_("Split %(year)s, %(cluster)s: removed, was %(before)s"),
                        year=year,
                        cluster=cluster,
                        before=_money(old[cluster]),
                    )
                )
    return words


async def _readable(actor: Actor, contract_id: int) -> dict[str, Any]:
    row = await scoped(
        Contract.select(Contract.id, Contract.reference, Contract.status).where(Contract.id == contract_id),
        read_scope(actor),
    ).first()
    if row is None:
        raise NotFound("No such contract")
    return row


async def _manages(actor: Actor, contract_id: int) -> bool:
    if actor.role not in (Role.COMMISSIONER, Role.NATIONAL_ADMIN):
        return False
    return await scoped(Contract.exists().where(Contract.id == contract_id), manage_scope(actor))


def _variation_out(
    row: dict[str, Any], *, reference: str, names: dict[str, str], actor: Actor | None, manages: bool
) -> VariationOut:
    status = VariationStatus(row["status"])
    kind = VariationKind(row["kind"])
    stored = _json(row["change"]) or {}
    can_decide = (
        actor is not None
        and manages
        and rules.decision_refusal(proposer=row["proposed_by_username"], decider=actor.username, status=status) is None
    )
    return VariationOut(
        contract_id=int(row["contract"]),
        contract_reference=reference,
        number=int(row["number"]),
        kind=kind,
        kind_label=gettext(kind.label),
        reason=row["reason"],
        effective_on=row["effective_on"],
        status=status.value,
        status_label=gettext(status.label),
        proposed_by=person(row["proposed_by_username"], names),
        proposed_at=row["proposed_at"],
        decided_by=person(row["decided_by_username"], names) if row["decided_by_username"] else "",
        decided_at=row["decided_at"],
        decision_note=(
            gettext(
                rules.AGREED_BY_VEHICLE, limit=format_pounds(int(stored["agreed_within_pence"]), current_language.get())
            )
            if stored.get("agreed_within_pence") is not None
            else row["decision_note"]
        ),
        version_made=row["version_made"],
        changes=changes_in_words(stored.get("before", {}), stored.get("after", {})),
        can_decide=can_decide,
    )


async def list_variations(*, actor: Actor, contract_id: int) -> list[VariationOut]:
    """Every variation of a contract the reader may see, newest first."""
    contract = await _readable(actor, contract_id)
    rows = (
        await ContractVariation.select()
        .where(ContractVariation.contract == contract_id)
        .order_by(ContractVariation.number, ascending=False)
    )
    names = await full_names([r["proposed_by_username"] for r in rows] + [r["decided_by_username"] for r in rows])
    manages = await _manages(actor, contract_id)
    return [
        _variation_out(row, reference=contract["reference"], names=names, actor=actor, manages=manages) for row in rows
    ]


async def get_variation(*, actor: Actor, contract_id: int, number: int) -> VariationOut:
    contract = await _readable(actor, contract_id)
    row = (
        await ContractVariation.select()
        .where((ContractVariation.contract == contract_id) & (ContractVariation.number == number))
        .first()
    )
    if row is None:
        raise NotFound("No such variation")
    names = await full_names([row["proposed_by_username"], row["decided_by_username"]])
    manages = await _manages(actor, contract_id)
    return _variation_out(row, reference=contract["reference"], names=names, actor=actor, manages=manages)


async def history(*, actor: Actor, contract_id: int) -> list[VersionOut]:
    """Every version, oldest first, each with what it changed from the one before, field by field."""
    await _readable(actor, contract_id)
    rows = (
        await ContractVersion.select(
            ContractVersion.version,
            ContractVersion.made_at,
            ContractVersion.made_by_username,
            ContractVersion.particulars,
            ContractVersion.variation.number.as_alias("variation_number"),
        )
        .where(ContractVersion.contract == contract_id)
        .order_by(ContractVersion.version)
    )
    names = await full_names([r["made_by_username"] for r in rows])
    versions = []
    previous: dict[str, Any] | None = None
    for row in rows:
        particulars = _json(row["particulars"]) or {}
        versions.append(
            VersionOut(
                version=int(row["version"]),
                made_at=row["made_at"],
                made_by=person(row["made_by_username"], names),
                variation_number=row["variation_number"],
                changes=changes_in_words(previous, particulars) if previous is not None else [],
            )
        )
        previous = particulars
    return versions


async def published_changes(contract_id: int) -> list[PublishedChangeOut]:
    """Approved variations for the contract's public page (issue 12, items 5 and 8): see published_changes_of."""
    return (await published_changes_of([contract_id])).get(contract_id, [])


async def published_changes_of(contract_ids: list[int]) -> dict[int, list[PublishedChangeOut]]:
    """Approved variations of each contract, for its public page and the open data (opendata/): kind, effective date
    and what changed, field by field between the version the approval made and the one before it (as `history` shows
    it). Two statements for any number of contracts.

    No personal data: never who proposed or decided (names, usernames), nor the reason or the decision note, which
    are free text a commissioner may write a person into. What changed names only the contract's particulars:
    dates, money by year and cluster, cluster and KPI names, the payment timing."""
    rows = (
        await ContractVariation.select(
            ContractVariation.contract,
            ContractVariation.number,
            ContractVariation.kind,
            ContractVariation.effective_on,
            ContractVariation.version_made,
        )
        .where(
            ContractVariation.contract.is_in(contract_ids or [-1])
            & (ContractVariation.status == VariationStatus.APPROVED.value)
        )
        .order_by(ContractVariation.contract)
        .order_by(ContractVariation.number)
    )
    wanted = sorted(
        {n for r in rows if r["version_made"] for n in (int(r["version_made"]) - 1, int(r["version_made"]))}
    )
    particulars = {
        (int(v["contract"]), int(v["version"])): _json(v["particulars"]) or {}
        for v in (
            await ContractVersion.select(
                ContractVersion.contract, ContractVersion.version, ContractVersion.particulars
            ).where(
                ContractVersion.contract.is_in(sorted({int(r["contract"]) for r in rows}))
                & ContractVersion.version.is_in(wanted)
            )
            if wanted
            else []
        )
    }
    changes: dict[int, list[PublishedChangeOut]] = {}
    for row in rows:
        kind = VariationKind(row["kind"])
        contract_id, made = int(row["contract"]), int(row["version_made"] or 0)
        before, after = particulars.get((contract_id, made - 1)), particulars.get((contract_id, made))
        changes.setdefault(contract_id, []).append(
            PublishedChangeOut(
                number=int(row["number"]),
                kind=kind,
                kind_label=gettext(kind.label),
                effective_on=row["effective_on"],
                changes=changes_in_words(before, after) if before is not None and after is not None else [],
            )
        )
    return changes


async def _effect(plan: planning.Plan) -> list[LedgerEffectOut]:
    """The contract's commitments on each line and year before and after, and each line's headroom after."""
    if plan.allocations is None:
        return []
    contract_id = int(plan.contract["id"])
    held_rows = (
        await BudgetCommitment.select(
            BudgetCommitment.budget_line,
            BudgetCommitment.financial_year,
            Sum(BudgetCommitment.amount_pence).as_alias("held"),
        )
        .where((BudgetCommitment.contract == contract_id) & BudgetCommitment.released_at.is_null())
        .group_by(BudgetCommitment.budget_line, BudgetCommitment.financial_year)
    )
    before = {(int(r["budget_line"]), int(r["financial_year"])): int(r["held"] or 0) for r in held_rows}
    after: dict[tuple[int, int], int] = {}
    for request in plan.requests:
        key = (request.budget_line_id, request.financial_year)
        after[key] = after.get(key, 0) + request.amount_pence
    keys = sorted(set(before) | set(after), key=lambda key: (key[1], key[0]))
    line_ids = sorted({line for line, _ in keys})
    ledgers = await finance_queries.ledgers(line_ids)
    lines = {
        row["id"]: row
        for row in await BudgetLine.select(
            BudgetLine.id,
            BudgetLine.financial_year,
            BudgetLine.funding_stream,
            BudgetLine.pcpg.name.as_alias("pcpg_name"),
            BudgetLine.pcpg.name_cy.as_alias("pcpg_name_cy"),
        ).where(BudgetLine.id.is_in(line_ids or [-1]))
    }
    effects = []
    for line, year in keys:
        now_headroom = ledgers[line].headroom_pence if line in ledgers else 0
        was, will = before.get((line, year), 0), after.get((line, year), 0)
        effects.append(
            LedgerEffectOut(
                budget_line_id=line,
                line=finance_services.line_label(lines[line]) if line in lines else "",
                financial_year=year,
                financial_year_label=FinancialYear(year).label,
                committed_before_pence=was,
                committed_after_pence=will,
                headroom_now_pence=now_headroom,
                headroom_after_pence=now_headroom + was - will,
                fits=now_headroom + was - will >= 0,
            )
        )
    return effects


async def ledger_effect(
    *, actor: Actor, contract_id: int, change: VariationIn
) -> tuple[list[str], list[LedgerEffectOut], DecisionPreviewOut | None]:
    """Before proposing (check your answers): what the change would do, in words, to the ledger and to the
    vehicle's viability in each year whose value or term it moves. Refuses as the proposal would (RuleBroken on its
    field). The vehicle proposing its own change sees the words only: the budget lines are the health board's."""
    contract = await planning.managed_contract(actor, contract_id, lock=False, proposing=True)
    wanted = planning.change_fields(change)
    refusal = rules.vehicle_variation_refusal(wanted) if actor.role is Role.PROVIDER else None
    if refusal is not None:
        raise refusal
    plan = await planning.plan_variation(contract, wanted, change.effective_on)
    if actor.role is Role.PROVIDER:
        return changes_in_words(plan.before, plan.after), [], None
    preview = await viability_queries.variation_preview(contract_id=contract_id, values_after=plan.values)
    return changes_in_words(plan.before, plan.after), await _effect(plan), preview


async def variation_ledger_effect(
    *, actor: Actor, contract_id: int, number: int
) -> tuple[list[LedgerEffectOut], DecisionPreviewOut | None]:
    """Before deciding a proposed variation: its effect on the ledger and on the vehicle's viability as the
    contract stands now (nothing when it can no longer be applied: the approval then says why; no ledger lines when
    it moves no money)."""
    contract = await planning.managed_contract(actor, contract_id, lock=False)
    row = (
        await ContractVariation.select(
            ContractVariation.change, ContractVariation.effective_on, ContractVariation.status
        )
        .where((ContractVariation.contract == contract_id) & (ContractVariation.number == number))
        .first()
    )
    if row is None:
        raise NotFound("No such variation")
    if row["status"] != VariationStatus.PROPOSED.value:
        return [], None
    stored = _json(row["change"]) or {}
    try:
        plan = await planning.plan_variation(contract, stored.get("requested", {}), row["effective_on"])
    except RuleBroken:
        return [], None
    preview = await viability_queries.variation_preview(contract_id=contract_id, values_after=plan.values)
    return await _effect(plan), preview


class ProposalFormOut(msgspec.Struct, frozen=True, kw_only=True):
    """What the form to propose a variation starts from: the contract as it stands and what it may cover."""

    contract_id: int
    reference: str
    title: str
    years: list[tuple[int, str, int]]  # financial year, its label, value in pence
    next_year: tuple[int, str]
    clusters: list[tuple[int, str, bool]]  # the PCPG's clusters: id, name, covered now
    english_names: list[int]  # clusters whose name is shown in English on a Welsh page (no Welsh name): lang="en"
    kpis: list[dict[str, Any]]
    payment_timing: PaymentTiming
    by_vehicle: bool = False  # the vehicle proposes: its annual values only, the rest kept as it is
    agree_limit_pence: int = 0  # what the vehicle may agree alone now (its earned autonomy tier's variation limit)


async def proposal_form(*, actor: Actor, contract_id: int, today: date) -> ProposalFormOut:
    contract = await planning.managed_contract(actor, contract_id, lock=False, proposing=True)
    by_vehicle = actor.role is Role.PROVIDER
    limit = (
        await autonomy.variation_limit(int(contract["delivery_vehicle"]), quarter_containing(today))
        if by_vehicle
        else 0
    )
    years = (
        await ContractYear.select(ContractYear.financial_year, ContractYear.value_pence)
        .where(ContractYear.contract == contract_id)
        .order_by(ContractYear.financial_year)
    )
    covered = {
        int(r["cluster"])
        for r in await ContractCluster.select(ContractCluster.cluster).where(ContractCluster.contract == contract_id)
    }
    clusters = (
        await Cluster.select(Cluster.id, Cluster.name, Cluster.name_cy)
        .where((Cluster.pcpg == contract["pcpg"]) | Cluster.id.is_in(sorted(covered) or [-1]))
        .order_by(order_in_reading_language(Cluster.name, Cluster.name_cy))
    )
    kpis = (
        await ContractKpi.select(
            ContractKpi.position,
            ContractKpi.name,
            ContractKpi.name_cy,
            ContractKpi.target,
            ContractKpi.green_from,
            ContractKpi.red_from,
        )
        .where(ContractKpi.contract == contract_id)
        .order_by(ContractKpi.position)
    )
    last = max(int(y["financial_year"]) for y in years)
    return ProposalFormOut(
        contract_id=contract_id,
        reference=contract["reference"],
        title=contract["title"],
        years=[
            (int(y["financial_year"]), FinancialYear(y["financial_year"]).label, int(y["value_pence"])) for y in years
        ],
        next_year=(last + 1, FinancialYear(last + 1).label),
        clusters=[
            (int(c["id"]), name_in_reading_language(c["name"], c["name_cy"]), int(c["id"]) in covered) for c in clusters
        ],
        kpis=[{**k, "name": name_in_reading_language(k["name"], k["name_cy"])} for k in kpis],
        english_names=[int(c["id"]) for c in clusters if current_language.get() == "cy" and not c["name_cy"]],
        payment_timing=PaymentTiming(contract["payment_timing"]),
        by_vehicle=by_vehicle,
        agree_limit_pence=limit,
    )
