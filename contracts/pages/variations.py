"""Pages: propose a variation (the form, then check your answers with the effect on the ledger and on the vehicle's
viability, then propose), a variation with its approve and reject forms (and the same effects) for someone other than
its proposer, and the contract's history."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.controllers.ids import ids_in_range
from contracts import rules
from contracts.autonomy_rules import within_variation_limit
from contracts.controllers.variations import numbered
from contracts.queries import variations as queries
from contracts.rules import PaymentTiming, VariationKind, VariationStatus
from contracts.schemas.variation import DecisionIn, KpiChangeIn, SplitIn, VariationIn, YearValueIn
from contracts.services import variations as services
from core.clock import Clock
from core.errors import DomainError
from core.i18n import N_, gettext
from core.money import parse_pounds, pounds_input
from web.forms import Form, error_summary, parse_form
from web.templating import page, with_flash

READERS = requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.PROVIDER)
PROPOSERS = requires_role(Role.COMMISSIONER, Role.PROVIDER)
DECIDERS = requires_role(Role.COMMISSIONER, Role.NATIONAL_ADMIN)

MESSAGES = {
    "kind": N_("Select what kind of variation this is"),
    "reason": N_("Give the reason for the variation"),
    "effective_on": N_("Enter the date the variation takes effect, like 1 4 2028"),
    "annual_values": N_("Check the annual values"),
    "cluster_ids": N_("Select at least one cluster"),
    "kpis": N_("Check the KPI targets and thresholds"),
    "note": N_("Say why the variation is rejected"),
}
SPLIT_FOR_EACH = N_("Give a percentage for each cluster covered, and none for the others")
NOT_POSTED_BACK = {"_csrf_token", "confirm"}


def _year_input(year: int) -> str:
    return f"year-{year}-value"


def _on_inputs(errors: dict[str, str], start: queries.ProposalFormOut) -> dict[str, str]:
    """A refusal naming a part of the change lands on the part's first input, for the error summary's link."""
    first = {
        "annual_values": _year_input(start.years[0][0]),
        "split": _split_input(start.clusters[0][0]) if start.clusters else "cluster_ids",
        "kpis": f"kpi-{start.kpis[0]['position']}-target" if start.kpis else "reason",
        "payment_timing": "payment_timing",
    }
    return {first.get(field, field): message for field, message in errors.items()}


def _change_in_value(change: VariationIn, start: queries.ProposalFormOut) -> int:
    """How much the change moves the contract's total value (what a vehicle's limit is measured on)."""
    if change.annual_values is None:
        return 0
    return sum(v.value_pence for v in change.annual_values) - sum(value for _, _, value in start.years)


def _read_change(posted: Any, start: queries.ProposalFormOut, form: Form[VariationIn]) -> VariationIn | None:
    """The parts the form changed from the contract as it stands; each part left as it was is left out."""
    assert form.data is not None
    values: list[YearValueIn] = []
    for year, _, _ in [*start.years, (start.next_year[0], start.next_year[1], 0)]:
        text = str(posted.get(_year_input(year), "")).strip()
        if not text:
            continue
        try:
            values.append(YearValueIn(financial_year=year, value_pence=parse_pounds(text, field=_year_input(year))))
        except DomainError as exc:
            form.errors.setdefault(_year_input(year), gettext(exc.message))
    if not values:
        form.errors.setdefault(_year_input(start.years[0][0]), gettext(MESSAGES["annual_values"]))
    now_values = [(year, value) for year, _, value in start.years]
    changed_values = [(v.financial_year, v.value_pence) for v in values] != now_values
    try:
        clusters = sorted({int(c) for c in posted.getall("cluster_ids", [])})
    except ValueError:
        clusters = []
    if not clusters:
        form.errors.setdefault("cluster_ids", gettext(MESSAGES["cluster_ids"]))
    covered = sorted(c for c, _, on in start.clusters if on)
    kpis = []
    for kpi in start.kpis:
        position = int(kpi["position"])
        given = {
            name: str(posted.get(f"kpi-{position}-{name}", kpi[name])).strip()
            for name in ("target", "green_from", "red_from")
        }
        if any(given[name] != kpi[name] for name in given):
            kpis.append(KpiChangeIn(position=position, **{n: v for n, v in given.items() if v != kpi[n]}))
    timing_text = str(posted.get("payment_timing", start.payment_timing.value))
    timing = PaymentTiming(timing_text) if timing_text in set(PaymentTiming) else start.payment_timing
    if form.errors:
        return None
    split = _read_split(posted, start, clusters, values, form)
    if form.errors:
        return None
    return msgspec.structs.replace(
        form.data,
        annual_values=values if changed_values else None,
        cluster_ids=clusters if clusters != covered else None,
        kpis=kpis or None,
        payment_timing=timing if timing is not start.payment_timing else None,
        split=split,
    )


def _split_input(cluster_id: int) -> str:
    return f"split-{cluster_id}"


def _read_split(
    posted: Any, start: queries.ProposalFormOut, clusters: list[int], values: list[YearValueIn], form: Form[VariationIn]
) -> list[SplitIn] | None:
    """Percentages by cluster, where the commissioner gives the split (a cluster covered has no known population):
    the same shares every year, each year split exactly (contracts.rules.split_from_percentages)."""
    given = {c: str(posted.get(_split_input(c), "")).strip() for c, _, _ in start.clusters}
    if not any(given.values()):
        return None
    first = _split_input(clusters[0])
    if any(given[c] for c in given if c not in clusters) or not all(given.get(c) for c in clusters):
        form.errors.setdefault(first, gettext(SPLIT_FOR_EACH))
        return None
    try:
        pence = rules.split_from_percentages(
            {v.financial_year: v.value_pence for v in values}, {c: given[c] for c in clusters}
        )
    except DomainError as exc:
        form.errors.setdefault(first, gettext(exc.message, **exc.params))
        return None
    return [
        SplitIn(financial_year=year, cluster_id=cluster, amount_pence=amount)
        for year, parts in sorted(pence.items())
        for cluster, amount in sorted(parts.items())
    ]


class VariationPages(Controller):
    path = "/contracts/{contract_id:int}"
    include_in_schema = False
    before_request = ids_in_range

    def _form_page(
        self,
        request: Request,
        start: queries.ProposalFormOut,
        values: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "contracts/variation_form.html",
            {
                "title": gettext("Propose a variation to %(reference)s", reference=start.reference),
                "start": start,
                "values": values,
                "errors": errors,
                "error_list": error_summary(errors),
                "kinds": list(VariationKind),
                "timings": list(PaymentTiming),
            },
            status_code=status_code,
        )

    def _initial(self, start: queries.ProposalFormOut) -> dict[str, Any]:
        values: dict[str, Any] = {_year_input(year): pounds_input(value) for year, _, value in start.years}
        values["cluster_ids"] = [str(c) for c, _, on in start.clusters if on]
        for kpi in start.kpis:
            for name in ("target", "green_from", "red_from"):
                values[f"kpi-{kpi['position']}-{name}"] = kpi[name]
        values["payment_timing"] = start.payment_timing.value
        return values

    @get("/variations/new", guards=[PROPOSERS])
    async def new_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Template:
        start = await queries.proposal_form(actor=actor, contract_id=contract_id, today=clock.today().date())
        return self._form_page(request, start, self._initial(start), {})

    @post("/variations/new", guards=[PROPOSERS])
    async def propose(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Response[Any]:
        """The form, then check your answers (what changes, and the effect on each budget line and year), then the
        proposal once confirmed. A vehicle's change within its earned autonomy is agreed as it is proposed."""
        start = await queries.proposal_form(actor=actor, contract_id=contract_id, today=clock.today().date())
        posted = await request.form()
        form = parse_form(
            posted,
            VariationIn,
            messages=MESSAGES,
            dates={"effective_on": "effective"},
            ids={"effective_on": "effective"},
            only=("kind", "reason", "effective_on"),
        )
        shown = {**form.values}
        for name in posted:
            if name not in NOT_POSTED_BACK and name != "cluster_ids":
                shown.setdefault(name, str(posted.get(name, "")))
        shown["cluster_ids"] = [str(c) for c in posted.getall("cluster_ids", [])]
        change = _read_change(posted, start, form) if form.ok else None
        if change is None:
            return self._form_page(request, start, shown, form.errors, status_code=400)
        if posted.get("confirm") != "yes":
            try:
                words, effects, preview = await queries.ledger_effect(
                    actor=actor, contract_id=contract_id, change=change
                )
            except DomainError as exc:
                if exc.status_code == 404:
                    raise
                form.refuse(exc, default_field="annual_values")
                return self._form_page(request, start, shown, _on_inputs(form.errors, start), status_code=400)
            hidden = [(name, str(value)) for name, value in posted.multi_items() if name not in NOT_POSTED_BACK]
            return page(
                request,
                "contracts/variation_check.html",
                {
                    "title": gettext("Check the variation before you propose it"),
                    "start": start,
                    "change": change,
                    "kind_label": gettext(change.kind.label),
                    "words": words,
                    "effects": effects,
                    "refused": any(not e.fits for e in effects),
                    "preview": preview,
                    "hidden": hidden,
                    "agreed_at_once": start.by_vehicle
                    and within_variation_limit(_change_in_value(change, start), start.agree_limit_pence),
                },
            )
        number = await form.run(
            lambda _: services.propose_variation(actor=actor, contract_id=contract_id, change=change, now=clock.now()),
            default_field="annual_values",
        )
        if number is None:
            return self._form_page(request, start, shown, _on_inputs(form.errors, start), status_code=400)
        made = await queries.get_variation(actor=actor, contract_id=contract_id, number=number)
        flash = "variation_agreed" if made.status == VariationStatus.APPROVED.value else "variation_proposed"
        return with_flash(Redirect(path=f"/contracts/{contract_id}/variations/{number}"), flash)

    async def _variation_page(
        self,
        request: Request,
        actor: Actor,
        contract_id: int,
        number: int,
        *,
        errors: dict[str, str] | None = None,
        note: str = "",
        status_code: int = 200,
    ) -> Template:
        variation = await queries.get_variation(actor=actor, contract_id=contract_id, number=numbered(number))
        effects, preview = (
            await queries.variation_ledger_effect(actor=actor, contract_id=contract_id, number=number)
            if variation.can_decide
            else ([], None)
        )
        return page(
            request,
            "contracts/variation.html",
            {
                "title": gettext(
                    "Variation %(number)s to %(reference)s", number=number, reference=variation.contract_reference
                ),
                "variation": variation,
                "effects": effects,
                "refused": any(not e.fits for e in effects),
                "preview": preview,
                "errors": errors or {},
                "error_list": error_summary(errors or {}),
                "note": note,
            },
            status_code=status_code,
        )

    @get("/variations/{number:int}", guards=[READERS])
    async def variation(
        self, request: Request, actor: NamedDependency[Actor], contract_id: int, number: int
    ) -> Template:
        return await self._variation_page(request, actor, contract_id, number)

    async def _decide(self, request: Request, actor: Actor, contract_id: int, number: int, act: Any, flash: str) -> Any:
        form = parse_form(await request.form(), DecisionIn, messages=MESSAGES)
        await form.run(act, default_field="note")
        if form.ok:
            return with_flash(Redirect(path=f"/contracts/{contract_id}/variations/{number}"), flash)
        return await self._variation_page(
            request,
            actor,
            contract_id,
            number,
            errors=form.errors,
            note=str(form.values.get("note", "")),
            status_code=400,
        )

    @post("/variations/{number:int}/approve", guards=[DECIDERS])
    async def approve(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        number: int,
    ) -> Response[Any]:
        return await self._decide(
            request,
            actor,
            contract_id,
            numbered(number),
            lambda data: services.approve_variation(
                actor=actor, contract_id=contract_id, number=number, decision=data, now=clock.now()
            ),
            "variation_approved",
        )

    @post("/variations/{number:int}/reject", guards=[DECIDERS])
    async def reject(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        number: int,
    ) -> Response[Any]:
        return await self._decide(
            request,
            actor,
            contract_id,
            numbered(number),
            lambda data: services.reject_variation(
                actor=actor, contract_id=contract_id, number=number, decision=data, now=clock.now()
            ),
            "variation_rejected",
        )

    @get("/history", guards=[READERS])
    async def history(self, request: Request, actor: NamedDependency[Actor], contract_id: int) -> Template:
        versions = await queries.history(actor=actor, contract_id=contract_id)
        variations = await queries.list_variations(actor=actor, contract_id=contract_id)
        return page(
            request,
            "contracts/history.html",
            {
                "title": gettext("History of the contract"),
                "contract_id": contract_id,
                "versions": list(reversed(versions)),
                "variations": variations,
            },
        )
