"""The finance director's pages (issue 13, items 4 and 8): payments to approve (what is due first) and withheld
payments, and each decision after a check page: approve; withhold or release with a reason. Each calls the same
service as the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from core.clock import Clock
from core.errors import RuleBroken
from core.i18n import N_, gettext
from core.periods import FinancialYear
from returns.controllers.payments import quarter_in_range
from returns.queries import payments as queries
from returns.rules import PaymentAction, PaymentStatus
from returns.schemas.payments import REASON_MAX_LENGTH, PaymentOut, PaymentReasonIn
from returns.services import payments as services
from web.forms import Form, button_form, error_summary, parse_form
from web.templating import form_page_offset, page, paging, with_flash, with_query

FINANCE = requires_role(Role.FINANCE_DIRECTOR)
PAGE_SIZE = 25
QUARTER = "/{contract_id:int}/{financial_year:int}/{quarter:int}"
REASON_TOO_LONG = N_("Give the reason in %(max)s characters or fewer")


@dataclass(frozen=True)
class _ReasonMove:
    """A decision taken with a reason: its form, its check page and the service that takes it."""

    action: PaymentAction
    title: str
    check_title: str
    label: str
    hint: str
    button: str
    missing: str
    flash: str


_REASON_MOVES = {
    PaymentAction.WITHHOLD: _ReasonMove(
        PaymentAction.WITHHOLD,
        N_("Withhold the payment"),
        N_("Check before you withhold the payment"),
        N_("Reason for withholding (the performance notice)"),
        N_("The provider and the commissioner will see it. The payment is not made until you release it."),
        N_("Withhold the payment"),
        N_("Give the reason for withholding the payment"),
        "payment_withheld",
    ),
    PaymentAction.RELEASE: _ReasonMove(
        PaymentAction.RELEASE,
        N_("Release the withheld payment"),
        N_("Check before you release the payment"),
        N_("Reason for releasing it"),
        N_("Once released, the payment is due again and can be approved."),
        N_("Release the payment"),
        N_("Give the reason for releasing the payment"),
        "payment_released",
    ),
}


def _path(contract_id: int, financial_year: int, quarter: int) -> str:
    return f"/payments/{contract_id}/{financial_year}/{quarter}"


def _year(text: str | None) -> int | None:
    try:
        value = int(text or "")
    except ValueError:
        return None
    return value if 2020 <= value <= 2100 else None


def _words(move: _ReasonMove) -> dict[str, str]:
    """The move's words in the reader's language, for its form and check pages."""
    return {
        "action": move.action.value,
        "title": gettext(move.title),
        "label": gettext(move.label),
        "hint": gettext(move.hint),
        "button": gettext(move.button),
    }


def _reason_form(posted: Any, move: _ReasonMove) -> Form[PaymentReasonIn]:
    form = parse_form(posted, PaymentReasonIn, messages={"reason": gettext(move.missing)})
    if len(str(form.values.get("reason", ""))) > REASON_MAX_LENGTH:
        form.errors["reason"] = gettext(REASON_TOO_LONG, max=f"{REASON_MAX_LENGTH:,}")
    return form


class PaymentPages(Controller):
    path = "/payments"
    include_in_schema = False
    guards = [FINANCE]
    before_request = quarter_in_range

    async def _list(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        *,
        status: str | None,
        financial_year: str | None,
        offset: str | None,
        withheld: bool,
    ) -> Template:
        shown_status = PaymentStatus.WITHHELD.value if withheld else (status if status in set(PaymentStatus) else None)
        year = _year(financial_year)
        try:
            result = await queries.list_payments(
                actor=actor,
                now=clock.now(),
                status=shown_status,
                financial_year=year,
                limit=PAGE_SIZE,
                offset=form_page_offset(offset),
            )
        except RuleBroken:  # an offset past any page: the first page instead
            result = await queries.list_payments(actor=actor, now=clock.now(), status=shown_status, limit=PAGE_SIZE)
        current = FinancialYear.containing(clock.today().date()).start_year
        return page(
            request,
            "returns/payments.html",
            {
                "title": gettext(N_("Withheld payments") if withheld else N_("Payments to approve")),
                "withheld": withheld,
                "payments": result.items,
                "amount_pence": result.amount_pence,
                "paging": paging(result, request),
                "filters": {"status": shown_status, "financial_year": year},
                "filtered": (shown_status is not None and not withheld) or year is not None,
                "statuses": [{"value": s.value, "text": gettext(s.label)} for s in PaymentStatus],
                "years": [{"value": y, "text": FinancialYear(y).label} for y in range(current - 2, current + 5)],
            },
        )

    @get("/")
    async def payments(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        status: str | None = None,
        financial_year: str | None = None,
        offset: str | None = None,
    ) -> Template:
        return await self._list(
            request, actor, clock, status=status, financial_year=financial_year, offset=offset, withheld=False
        )

    @get("/withheld")
    async def withheld(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        financial_year: str | None = None,
        offset: str | None = None,
    ) -> Template:
        return await self._list(
            request, actor, clock, status=None, financial_year=financial_year, offset=offset, withheld=True
        )

    async def _payment(
        self, actor: Actor, clock: Clock, contract_id: int, financial_year: int, quarter: int
    ) -> PaymentOut:
        return await queries.get_payment(
            actor=actor, contract_id=contract_id, financial_year=financial_year, quarter=quarter, now=clock.now()
        )

    def _render(
        self,
        request: Request,
        template: str,
        payment: PaymentOut,
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
                "payment": payment,
                "payment_path": _path(payment.contract_id, payment.financial_year, payment.quarter),
                "back_href": "/payments/withheld" if payment.status is PaymentStatus.WITHHELD else "/payments",
                "errors": errors,
                "error_list": error_summary(errors),
                **context,
            },
            status_code=status_code,
        )

    # Approve: a check page, then the button.

    async def _approve_page(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        ids: tuple[int, int, int],
        *,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        payment = await self._payment(actor, clock, *ids)
        return self._render(
            request,
            "returns/payment_approve.html",
            payment,
            gettext(N_("Check before you approve the payment")),
            errors=errors,
            status_code=status_code,
            allowed=PaymentAction.APPROVE.value in {a.action for a in payment.actions},
        )

    @get(f"{QUARTER}/approve")
    async def approve_check(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        financial_year: int,
        quarter: int,
    ) -> Template:
        return await self._approve_page(request, actor, clock, (contract_id, financial_year, quarter))

    @post(f"{QUARTER}/approve")
    async def approve(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        financial_year: int,
        quarter: int,
    ) -> Response[Any]:
        form = button_form(ids={"payment": "confirm-button"})
        done = await form.run(
            lambda _: services.approve_payment(
                actor=actor,
                contract_id=contract_id,
                financial_year=financial_year,
                quarter=quarter,
                now=clock.now(),
            ),
            default_field="payment",
        )
        if done is not None:
            return with_flash(Redirect(path="/payments"), "payment_approved")
        return await self._approve_page(
            request, actor, clock, (contract_id, financial_year, quarter), errors=form.errors, status_code=409
        )

    # Withhold and release: the reason, a check page, then the button.

    async def _reason_page(
        self,
        request: Request,
        payment: PaymentOut,
        move: _ReasonMove,
        reason: str,
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return self._render(
            request,
            "returns/payment_reason.html",
            payment,
            gettext(move.title),
            errors=errors,
            status_code=status_code,
            reason=reason,
            move=_words(move),
        )

    async def _reason_form_page(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        ids: tuple[int, int, int],
        action: PaymentAction,
        reason: str,
    ) -> Template:
        payment = await self._payment(actor, clock, *ids)
        return await self._reason_page(request, payment, _REASON_MOVES[action], reason, {})

    async def _reason_post(
        self, request: Request, actor: Actor, clock: Clock, ids: tuple[int, int, int], action: PaymentAction
    ) -> Response[Any]:
        """The reason, then the check page, then the decision once confirmed: without `confirm=yes` nothing is
        written (a good reason leads to the check page)."""
        move = _REASON_MOVES[action]
        payment = await self._payment(actor, clock, *ids)
        posted = await request.form()
        form = _reason_form(posted, move)
        base = f"{_path(*ids)}/{action}"
        if form.ok and form.data is not None and posted.get("confirm") != "yes":
            return Redirect(path=with_query(f"{base}/check", {"reason": form.data.reason}))
        if posted.get("confirm") == "yes":
            service = services.withhold_payment if action is PaymentAction.WITHHOLD else services.release_payment
            await form.run(
                lambda data: service(
                    actor=actor,
                    contract_id=ids[0],
                    financial_year=ids[1],
                    quarter=ids[2],
                    reason=data.reason,
                    now=clock.now(),
                ),
                default_field="reason",
            )
            if form.ok:
                target = "/payments/withheld" if action is PaymentAction.WITHHOLD else "/payments"
                return with_flash(Redirect(path=target), move.flash)
        return await self._reason_page(
            request, payment, move, str(form.values.get("reason", "")), form.errors, status_code=400
        )

    async def _reason_check(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        ids: tuple[int, int, int],
        action: PaymentAction,
        reason: str,
    ) -> Template:
        move = _REASON_MOVES[action]
        payment = await self._payment(actor, clock, *ids)
        form = _reason_form({"reason": reason}, move)
        if not form.ok or form.data is None:
            return await self._reason_page(
                request, payment, move, str(form.values.get("reason", "")), form.errors, status_code=400
            )
        base = f"{_path(*ids)}/{action}"
        return self._render(
            request,
            "returns/payment_reason_check.html",
            payment,
            gettext(move.check_title),
            reason=form.data.reason,
            move=_words(move),
            action_path=base,
            change_reason=with_query(base, {"reason": form.data.reason}),
            allowed=action.value in {a.action for a in payment.actions},
        )

    @get(f"{QUARTER}/withhold")
    async def withhold_form(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        financial_year: int,
        quarter: int,
        reason: str = "",
    ) -> Template:
        ids = (contract_id, financial_year, quarter)
        return await self._reason_form_page(request, actor, clock, ids, PaymentAction.WITHHOLD, reason)

    @post(f"{QUARTER}/withhold")
    async def withhold(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        financial_year: int,
        quarter: int,
    ) -> Response[Any]:
        ids = (contract_id, financial_year, quarter)
        return await self._reason_post(request, actor, clock, ids, PaymentAction.WITHHOLD)

    @get(f"{QUARTER}/withhold/check")
    async def withhold_check(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        financial_year: int,
        quarter: int,
        reason: str = "",
    ) -> Template:
        ids = (contract_id, financial_year, quarter)
        return await self._reason_check(request, actor, clock, ids, PaymentAction.WITHHOLD, reason)

    @get(f"{QUARTER}/release")
    async def release_form(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        financial_year: int,
        quarter: int,
        reason: str = "",
    ) -> Template:
        ids = (contract_id, financial_year, quarter)
        return await self._reason_form_page(request, actor, clock, ids, PaymentAction.RELEASE, reason)

    @post(f"{QUARTER}/release")
    async def release(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        financial_year: int,
        quarter: int,
    ) -> Response[Any]:
        ids = (contract_id, financial_year, quarter)
        return await self._reason_post(request, actor, clock, ids, PaymentAction.RELEASE)

    @get(f"{QUARTER}/release/check")
    async def release_check(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
        financial_year: int,
        quarter: int,
        reason: str = "",
    ) -> Template:
        ids = (contract_id, financial_year, quarter)
        return await self._reason_check(request, actor, clock, ids, PaymentAction.RELEASE, reason)
