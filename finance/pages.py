"""Pages: budget lines with their ledger, and the form to set or change one."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from core.clock import Clock
from core.errors import DomainError
from core.i18n import gettext
from core.money import parse_pounds
from core.periods import FinancialYear
from finance import queries, rules, services
from finance.schemas import BudgetLineChangeIn, BudgetLineIn
from organisations import queries as org_queries
from web.forms import field_of_validation_message
from web.templating import error_list, form_page_offset, page, paging, with_flash

READERS = requires_role(Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR, Role.COMMISSIONER)
SETTERS = requires_role(Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR)


async def _pcpg_choices(actor: NamedDependency[Actor]) -> list[Any]:
    board = actor.health_board_id if actor.role is Role.FINANCE_DIRECTOR else None
    return (await org_queries.list_pcpgs(health_board_id=board, limit=200)).items


def _year_choices(clock: NamedDependency[Clock]) -> list[FinancialYear]:
    current = FinancialYear.containing(clock.today().date())
    return [FinancialYear(current.start_year + offset) for offset in range(-1, 4)]


class BudgetPages(Controller):
    path = "/budgets"
    include_in_schema = False

    @get("/", guards=[READERS])
    async def list_lines(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        financial_year: int | None = None,
        offset: str | None = None,
    ) -> Template:
        result = await queries.list_budget_lines(
            actor=actor, financial_year=financial_year, limit=50, offset=form_page_offset(offset)
        )
        return page(
            request,
            "finance/budget_lines.html",
            {
                "title": gettext("Budget lines"),
                "lines": result.items,
                "paging": paging(result, request),
                "financial_year": financial_year,
                "years": _year_choices(clock),
                "streams": rules.FUNDING_STREAMS,
                "can_set": actor.role in (Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR),
            },
        )

    async def _form(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        values: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "finance/budget_line_form.html",
            {
                "title": gettext("Set a budget line"),
                "values": values,
                "errors": errors,
                "error_list": error_list(errors),
                "pcpgs": await _pcpg_choices(actor),
                "years": _year_choices(clock),
                "streams": rules.FUNDING_STREAMS,
            },
            status_code=status_code,
        )

    @get("/new", guards=[SETTERS])
    async def new_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Template:
        return await self._form(request, actor, clock, {}, {})

    @post("/new", guards=[SETTERS])
    async def create(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        form = await request.form()
        values = {
            key: str(form.get(key, "")).strip()
            for key in ("pcpg_id", "financial_year", "funding_stream", "amount", "note")
        }
        errors: dict[str, str] = {}
        if not values["pcpg_id"].isdigit():
            errors["pcpg_id"] = gettext("Select a PCPG")
        if not values["financial_year"].isdigit():
            errors["financial_year"] = gettext("Select a financial year")
        if values["funding_stream"] not in rules.FUNDING_STREAMS:
            errors["funding_stream"] = gettext("Select a funding stream")
        amount = None
        try:
            amount = parse_pounds(values["amount"], field="amount")
        except DomainError as exc:
            errors["amount"] = gettext(exc.message)
        if amount is not None and amount < 0:
            errors["amount"] = gettext("The amount cannot be negative")
        if not errors:
            try:
                line = await services.create_budget_line(
                    actor=actor,
                    data=msgspec.convert(
                        {
                            "pcpg_id": int(values["pcpg_id"]),
                            "financial_year": int(values["financial_year"]),
                            "funding_stream": values["funding_stream"],
                            "amount_pence": amount,
                            "note": values["note"],
                        },
                        BudgetLineIn,
                    ),
                    now=clock.now(),
                )
            except msgspec.ValidationError as exc:
                field = field_of_validation_message(str(exc)) or "amount"
                errors[{"amount_pence": "amount"}.get(field, field)] = gettext("Check this answer")
            except DomainError as exc:
                if exc.status_code in (403, 404):
                    raise
                errors[{"pcpg_id": "pcpg_id"}.get(exc.field or "", exc.field or "amount")] = gettext(
                    exc.message, **exc.params
                )
            else:
                response = Redirect(path=f"/budgets/{line.id}")
                with_flash(response, "budget_set")
                return response
        return await self._form(request, actor, clock, values, errors, status_code=400)

    @get("/{budget_line_id:int}", guards=[READERS])
    async def detail(self, request: Request, actor: NamedDependency[Actor], budget_line_id: int) -> Template:
        line = await queries.get_budget_line(actor=actor, budget_line_id=budget_line_id)
        return page(
            request,
            "finance/budget_line.html",
            {
                "title": gettext("Budget line %(number)s", number=line.id),
                "line": line,
                "streams": rules.FUNDING_STREAMS,
                "can_set": queries.can_change_budget(actor, line.health_board_id),
                "errors": {},
                "amount": f"{line.amount_pence / 100:.2f}",
            },
        )

    @post("/{budget_line_id:int}", guards=[SETTERS])
    async def change(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], budget_line_id: int
    ) -> Response[Any]:
        form = await request.form()
        text = str(form.get("amount", "")).strip()
        note = str(form.get("note", "")).strip()
        errors: dict[str, str] = {}
        try:
            amount = parse_pounds(text, field="amount")
            if amount < 0:
                raise DomainError("The amount cannot be negative", field="amount")
            try:
                change = msgspec.convert({"amount_pence": amount, "note": note}, BudgetLineChangeIn)
            except msgspec.ValidationError as exc:  # beyond what a budget line can hold
                raise DomainError("Check this answer", field="amount") from exc
            await services.change_budget_line(actor=actor, budget_line_id=budget_line_id, data=change, now=clock.now())
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            errors["amount"] = gettext(exc.message, **exc.params)
            line = await queries.get_budget_line(actor=actor, budget_line_id=budget_line_id)
            return page(
                request,
                "finance/budget_line.html",
                {
                    "title": gettext("Budget line %(number)s", number=line.id),
                    "line": line,
                    "streams": rules.FUNDING_STREAMS,
                    "can_set": True,
                    "errors": errors,
                    "error_list": error_list(errors),
                    "amount": text,
                },
                status_code=400,
            )
        response = Redirect(path=f"/budgets/{budget_line_id}")
        with_flash(response, "budget_changed")
        return response
