"""Pages for the commissioner managing a contract: mobilise, suspend, resume and terminate (each after a
check-your-answers page; a termination's shows its effect on the ledger), and, while mobilising, the KPI thresholds
with the activity plan and the split by cluster. Each calls the same service as the API."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from contracts.queries import viability as viability_queries
from contracts.queries.lifecycle import ContractForMove, get_contract_for_move
from contracts.rules import ContractAction
from contracts.schemas.lifecycle import (
    REASON_MAX_LENGTH,
    ActivityPlanIn,
    AllocationSplitIn,
    ContractSuspensionIn,
    ContractTerminationIn,
    KpiThresholdPairIn,
    KpiThresholdsIn,
    SplitAmountIn,
    SplitPercentIn,
)
from contracts.services import lifecycle
from core.clock import Clock
from core.errors import DomainError
from core.i18n import N_, gettext
from core.money import parse_pounds, pounds_input
from web.forms import Form, button_form, error_summary, parse_form
from web.templating import page, with_flash, with_query

COMMISSIONER = requires_role(Role.COMMISSIONER)
REASON_TOO_LONG = N_("Give the reason in %(max)s characters or fewer")
SUSPEND_MESSAGES = {"reason": N_("Give the reason for suspending")}
TERMINATE_MESSAGES = {
    "reason": N_("Give the reason for terminating"),
    "terminated_on": N_("Enter the last day of service as a real date, like 30 9 2027"),
}
ENTER_UNITS = N_("Enter a whole number of units, like 120, or leave it blank")
ENTER_POUNDS = N_("Enter an amount in pounds, like 1250.00")
CHOOSE_METHOD = N_("Choose how you give the split")


@dataclass(frozen=True)
class _ButtonMove:
    """A move made by one button after a check page: no answers to give."""

    template: str
    title: str
    service: Callable[..., Awaitable[Any]]
    flash: str


_BUTTON_MOVES = {
    ContractAction.MOBILISE: _ButtonMove(
        "contracts/mobilise_check.html",
        N_("Check before the service goes live: %(reference)s"),
        lifecycle.mobilise_contract,
        "contract_mobilised",
    ),
    ContractAction.RESUME: _ButtonMove(
        "contracts/resume_check.html",
        N_("Check before you resume %(reference)s"),
        lifecycle.resume_contract,
        "contract_resumed",
    ),
}


def _base(contract_id: int) -> str:
    return f"/contracts/{contract_id}"


def _reason_checked(form: Form[Any]) -> Form[Any]:
    if len(str(form.values.get("reason", ""))) > REASON_MAX_LENGTH:
        form.errors["reason"] = gettext(REASON_TOO_LONG, max=f"{REASON_MAX_LENGTH:,}")
    return form


def _suspension_form(posted: Any) -> Form[ContractSuspensionIn]:
    return _reason_checked(parse_form(posted, ContractSuspensionIn, messages=SUSPEND_MESSAGES))


def _termination_form(posted: Any) -> Form[ContractTerminationIn]:
    """The date as an NHS.UK date input (`terminated_on-day`...), or as one ISO value from the check page's links."""
    iso = str(posted.get("terminated_on", "")).strip()
    if iso and "terminated_on-day" not in posted:
        try:
            day = date.fromisoformat(iso)
            posted = {
                "terminated_on-day": str(day.day),
                "terminated_on-month": str(day.month),
                "terminated_on-year": str(day.year),
                "reason": posted.get("reason", ""),
            }
        except ValueError:
            posted = {"terminated_on-day": "x", "reason": posted.get("reason", "")}
    form = parse_form(
        posted,
        ContractTerminationIn,
        messages=TERMINATE_MESSAGES,
        dates={"terminated_on": "terminated_on"},
        required=("terminated_on",),
    )
    return _reason_checked(form)


def _terminated_on(form: Form[ContractTerminationIn]) -> str:
    return form.data.terminated_on.isoformat() if form.data is not None else ""


class ContractLifecyclePages(Controller):
    path = "/contracts/{contract_id:int}"
    include_in_schema = False
    guards = [COMMISSIONER]

    async def _contract(self, actor: Actor, clock: Clock, contract_id: int) -> ContractForMove:
        return await get_contract_for_move(actor=actor, contract_id=contract_id, now=clock.now())

    def _render(
        self,
        request: Request,
        template: str,
        contract: ContractForMove,
        title: str,
        *,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
        **context: Any,
    ) -> Template:
        errors = errors or {}
        return page(
            request,
            template,
            {
                "title": title,
                "contract": contract,
                "contract_path": _base(contract.id),
                "errors": errors,
                "error_list": error_summary(errors),
                **context,
            },
            status_code=status_code,
        )

    # Mobilise and resume: a check page, then the button.

    async def _button_check(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        contract_id: int,
        action: ContractAction,
        *,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        move = _BUTTON_MOVES[action]
        contract = await self._contract(actor, clock, contract_id)
        return self._render(
            request,
            move.template,
            contract,
            gettext(move.title, reference=contract.reference),
            errors=errors,
            status_code=status_code,
            allowed=action.value in contract.actions,
        )

    async def _button_move(
        self, request: Request, actor: Actor, clock: Clock, contract_id: int, action: ContractAction
    ) -> Response[Any]:
        move = _BUTTON_MOVES[action]
        form = button_form(ids={"confirm": "confirm-button"})
        done = await form.run(
            lambda _: move.service(actor=actor, contract_id=contract_id, now=clock.now()), default_field="confirm"
        )
        if done is not None:
            return with_flash(Redirect(path=_base(contract_id)), move.flash)
        return await self._button_check(request, actor, clock, contract_id, action, errors=form.errors, status_code=409)

    @get("/mobilise")
    async def mobilise_check(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Template:
        return await self._button_check(request, actor, clock, contract_id, ContractAction.MOBILISE)

    @post("/mobilise")
    async def mobilise(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Response[Any]:
        return await self._button_move(request, actor, clock, contract_id, ContractAction.MOBILISE)

    @get("/resume")
    async def resume_check(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Template:
        return await self._button_check(request, actor, clock, contract_id, ContractAction.RESUME)

    @post("/resume")
    async def resume(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Response[Any]:
        return await self._button_move(request, actor, clock, contract_id, ContractAction.RESUME)

    # Suspend: the reason, a check page, then the button.

    async def _suspend_page(
        self, request: Request, contract: ContractForMove, reason: str, errors: dict[str, str], status_code: int = 200
    ) -> Template:
        return self._render(
            request,
            "contracts/suspend.html",
            contract,
            gettext("Suspend %(reference)s", reference=contract.reference),
            errors=errors,
            status_code=status_code,
            reason=reason,
        )

    @get("/suspend")
    async def suspend_form(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        reason: str = "",
    ) -> Template:
        return await self._suspend_page(request, await self._contract(actor, clock, contract_id), reason, {})

    @post("/suspend")
    async def suspend(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Response[Any]:
        """The reason, then check before you suspend, then the suspension once confirmed: without `confirm=yes`
        nothing is written (a good reason leads to the check page)."""
        contract = await self._contract(actor, clock, contract_id)
        posted = await request.form()
        form = _suspension_form(posted)
        if form.ok and form.data is not None and posted.get("confirm") != "yes":
            return Redirect(path=with_query(f"{_base(contract_id)}/suspend/check", {"reason": form.data.reason}))
        if posted.get("confirm") == "yes":
            await form.run(
                lambda data: lifecycle.suspend_contract(
                    actor=actor, contract_id=contract_id, reason=data.reason, now=clock.now()
                ),
                default_field="reason",
            )
            if form.ok:
                return with_flash(Redirect(path=_base(contract_id)), "contract_suspended")
        return await self._suspend_page(
            request, contract, str(form.values.get("reason", "")), form.errors, status_code=400
        )

    @get("/suspend/check")
    async def suspend_check(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        reason: str = "",
    ) -> Template:
        contract = await self._contract(actor, clock, contract_id)
        form = _suspension_form({"reason": reason})
        if not form.ok or form.data is None:
            return await self._suspend_page(
                request, contract, str(form.values.get("reason", "")), form.errors, status_code=400
            )
        return self._render(
            request,
            "contracts/suspend_check.html",
            contract,
            gettext("Check before you suspend %(reference)s", reference=contract.reference),
            reason=form.data.reason,
            change_reason=with_query(f"{_base(contract_id)}/suspend", {"reason": form.data.reason}),
            allowed=ContractAction.SUSPEND.value in contract.actions,
        )

    # Terminate: the date and reason, the check page with the effect on the ledger, then the button.

    async def _terminate_page(
        self,
        request: Request,
        contract: ContractForMove,
        values: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return self._render(
            request,
            "contracts/terminate.html",
            contract,
            gettext("Terminate %(reference)s", reference=contract.reference),
            errors=errors,
            status_code=status_code,
            values=values,
        )

    @get("/terminate")
    async def terminate_form(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        terminated_on: str = "",
        reason: str = "",
    ) -> Template:
        contract = await self._contract(actor, clock, contract_id)
        values: dict[str, Any] = {"reason": reason}
        try:
            day = date.fromisoformat(terminated_on)
            values |= {
                "terminated_on-day": str(day.day),
                "terminated_on-month": str(day.month),
                "terminated_on-year": str(day.year),
            }
        except ValueError:
            pass
        return await self._terminate_page(request, contract, values, {})

    @post("/terminate")
    async def terminate(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Response[Any]:
        """Without `confirm=yes` nothing is written: a date and reason the termination would accept lead to the
        check page (the preview refuses what the termination would refuse, so its refusal shows on the form)."""
        contract = await self._contract(actor, clock, contract_id)
        posted = await request.form()
        form = _termination_form(posted)
        if posted.get("confirm") == "yes":
            await form.run(
                lambda data: lifecycle.terminate_contract(
                    actor=actor,
                    contract_id=contract_id,
                    terminated_on=data.terminated_on,
                    reason=data.reason,
                    now=clock.now(),
                ),
                default_field="terminated_on",
            )
            if form.ok:
                return with_flash(Redirect(path=_base(contract_id)), "contract_terminated")
        elif form.ok and form.data is not None:
            preview = await lifecycle.termination_preview(
                actor=actor, contract_id=contract_id, terminated_on=form.data.terminated_on, now=clock.now()
            )
            if not preview.can_terminate:
                form.add_error(preview.refusal_field or "terminated_on", preview.refusal)
            else:
                return Redirect(
                    path=with_query(
                        f"{_base(contract_id)}/terminate/check",
                        {"terminated_on": _terminated_on(form), "reason": form.data.reason},
                    )
                )
        return await self._terminate_page(request, contract, form.values, form.errors, status_code=400)

    @get("/terminate/check")
    async def terminate_check(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        terminated_on: str = "",
        reason: str = "",
    ) -> Template:
        """Check before you terminate: the date and reason (with links to change them) and, per budget line and
        year, what is committed now, what is released and what stays; the last payment kept; and how the vehicle's
        viability changes in each year the termination touches (the decision preview, issue 12 item 7)."""
        contract = await self._contract(actor, clock, contract_id)
        form = _termination_form({"terminated_on": terminated_on, "reason": reason})
        preview = (
            await lifecycle.termination_preview(
                actor=actor, contract_id=contract_id, terminated_on=form.data.terminated_on, now=clock.now()
            )
            if form.ok and form.data is not None
            else None
        )
        if preview is not None and not preview.can_terminate:
            form.add_error(preview.refusal_field or "terminated_on", preview.refusal)
        if preview is None or form.data is None or form.errors:
            return await self._terminate_page(request, contract, form.values, form.errors, status_code=400)
        change = with_query(
            f"{_base(contract_id)}/terminate", {"terminated_on": _terminated_on(form), "reason": form.data.reason}
        )
        return self._render(
            request,
            "contracts/terminate_check.html",
            contract,
            gettext("Check before you terminate %(reference)s", reference=contract.reference),
            preview=preview,
            viability=await viability_queries.termination_preview(
                contract_id=contract_id, terminated_on=form.data.terminated_on
            ),
            reason=form.data.reason,
            terminated_on=_terminated_on(form),
            change=change,
        )

    # While mobilising: KPI thresholds with the activity plan, and the split by cluster.

    def _kpi_values(self, contract: ContractForMove) -> dict[str, str]:
        values = {}
        for kpi in contract.kpis:
            values[f"kpi-{kpi.id}-green_from"] = kpi.green_from
            values[f"kpi-{kpi.id}-red_from"] = kpi.red_from
        for year in contract.years:
            for quarter in range(1, 5):
                units = contract.activity.get(f"{year.financial_year}-{quarter}")
                values[f"activity-{year.financial_year}-{quarter}"] = "" if units is None else str(units)
        return values

    def _kpis_page(
        self,
        request: Request,
        contract: ContractForMove,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return self._render(
            request,
            "contracts/kpis.html",
            contract,
            gettext("KPI thresholds and activity plan: %(reference)s", reference=contract.reference),
            errors=errors,
            status_code=status_code,
            values=values,
            allowed=ContractAction.SET_KPIS.value in contract.actions,
        )

    @get("/kpis")
    async def kpis_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Template:
        contract = await self._contract(actor, clock, contract_id)
        return self._kpis_page(request, contract, self._kpi_values(contract), {})

    @post("/kpis")
    async def set_kpis(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Response[Any]:
        contract = await self._contract(actor, clock, contract_id)
        posted = await request.form()
        values: dict[str, str] = {}
        errors: dict[str, str] = {}
        ids: dict[str, str] = {"thresholds": "thresholds", "activity": "activity"}
        thresholds = []
        for kpi in contract.kpis:
            answers = {}
            for part in ("green_from", "red_from"):
                name = f"kpi-{kpi.id}-{part}"
                answers[part] = values[name] = str(posted.get(name, "")).strip()
                ids[f"thresholds.{kpi.id}.{part}"] = name
                if not answers[part]:
                    errors.setdefault(
                        name,
                        gettext(N_("Enter the value %(kpi)s is green from"), kpi=kpi.name)
                        if part == "green_from"
                        else gettext(N_("Enter the value %(kpi)s is red from"), kpi=kpi.name),
                    )
            thresholds.append(KpiThresholdPairIn(kpi_id=kpi.id, **answers))
        activity = []
        for year in contract.years:
            for quarter in range(1, 5):
                name = f"activity-{year.financial_year}-{quarter}"
                text = values[name] = str(posted.get(name, "")).strip().replace(",", "")
                if not text:
                    continue
                if not text.isdigit() or int(text) > 10_000_000:
                    errors.setdefault(name, gettext(ENTER_UNITS))
                    continue
                activity.append(ActivityPlanIn(financial_year=year.financial_year, quarter=quarter, units=int(text)))
        form: Form[KpiThresholdsIn] = Form(
            values=values,
            data=KpiThresholdsIn(thresholds=thresholds, activity=activity),
            errors=errors,
            ids=ids,
            messages={},
        )
        done = await form.run(
            lambda data: lifecycle.set_kpis(actor=actor, contract_id=contract_id, data=data, now=clock.now()),
            default_field="thresholds",
        )
        if done is not None:
            return with_flash(Redirect(path=_base(contract_id)), "contract_kpis_set")
        return self._kpis_page(request, contract, values, form.errors, status_code=400)

    def _allocations_page(
        self,
        request: Request,
        contract: ContractForMove,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return self._render(
            request,
            "contracts/allocations.html",
            contract,
            gettext("Split by cluster: %(reference)s", reference=contract.reference),
            errors=errors,
            status_code=status_code,
            values=values,
            allowed=ContractAction.SET_ALLOCATIONS.value in contract.actions,
        )

    @get("/allocations")
    async def allocations_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Template:
        contract = await self._contract(actor, clock, contract_id)
        values = {"method": "pounds"}
        for year in contract.years:
            for cluster in contract.clusters:
                pence = contract.allocations.get(f"{year.financial_year}-{cluster.id}")
                values[f"amount-{year.financial_year}-{cluster.id}"] = "" if pence is None else pounds_input(pence)
        return self._allocations_page(request, contract, values, {})

    @post("/allocations")
    async def set_allocations(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Response[Any]:
        """Pounds per year and cluster, or one percentage per cluster for every year; refused unless it sums
        exactly (the service says which year is out, and by how much)."""
        contract = await self._contract(actor, clock, contract_id)
        posted = await request.form()
        method = str(posted.get("method", "")).strip()
        values: dict[str, str] = {"method": method}
        errors: dict[str, str] = {}
        data: AllocationSplitIn | None = None
        if method == "pounds":
            amounts = []
            for year in contract.years:
                for cluster in contract.clusters:
                    name = f"amount-{year.financial_year}-{cluster.id}"
                    text = values[name] = str(posted.get(name, "")).strip()
                    try:
                        pence = parse_pounds(text, field=name)
                    except DomainError:
                        errors.setdefault(name, gettext(ENTER_POUNDS))
                        continue
                    if pence < 0:
                        errors.setdefault(name, gettext(N_("An amount cannot be negative")))
                        continue
                    amounts.append(
                        SplitAmountIn(financial_year=year.financial_year, cluster_id=cluster.id, amount_pence=pence)
                    )
            data = AllocationSplitIn(amounts=amounts)
        elif method == "percentages":
            percentages = []
            for cluster in contract.clusters:
                name = f"percent-{cluster.id}"
                text = values[name] = str(posted.get(name, "")).strip()
                if not text:
                    errors.setdefault(name, gettext(N_("Enter a percentage, like 33.33")))
                    continue
                percentages.append(SplitPercentIn(cluster_id=cluster.id, percent=text[:20]))
            data = AllocationSplitIn(percentages=percentages)
        else:
            errors["method"] = gettext(CHOOSE_METHOD)
        form: Form[AllocationSplitIn] = Form(values=values, data=data, errors=errors, ids={}, messages={})
        done = await form.run(
            lambda split: lifecycle.set_allocations(actor=actor, contract_id=contract_id, data=split, now=clock.now()),
            default_field="split",
        )
        if done is not None:
            return with_flash(Redirect(path=_base(contract_id)), "contract_allocated")
        return self._allocations_page(request, contract, values, form.errors, status_code=400)
