"""Pages: sign in, sign out, and a dashboard per role."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts import services
from accounts.actor import Actor, Role
from accounts.guards import signed_in
from commissioning import rules as spec_rules
from commissioning.queries import specifications as spec_queries
from core.clock import Clock
from core.i18n import gettext
from core.periods import FinancialYear
from finance import queries as finance_queries
from organisations import queries as org_queries
from web.cookies import SESSION_COOKIE
from web.templating import error_list, page, with_flash


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the sign-in form cannot be used to send people elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/dashboard"


class SignInPages(Controller):
    path = "/"
    include_in_schema = False

    @get("/sign-in")
    async def sign_in_form(self, request: Request, next: str | None = None) -> Template:
        return page(request, "accounts/sign_in.html", {"title": gettext("Sign in"), "next": _safe_next(next)})

    @post("/sign-in")
    async def sign_in(self, request: Request, clock: NamedDependency[Clock]) -> Response[Any]:
        form = await request.form()
        username = str(form.get("username", "")).strip()
        password = str(form.get("password", ""))
        target = _safe_next(str(form.get("next", "")))
        errors: dict[str, str] = {}
        if not username:
            errors["username"] = gettext("Enter your username")
        if not password:
            errors["password"] = gettext("Enter your password")
        if not errors:
            try:
                key, _user_id = await services.sign_in(username=username, password=password, now=clock.now())
            except services.SignInRefused as refused:
                errors["username"] = gettext(refused.message, **refused.params)
            else:
                response: Response[Any] = Redirect(path=target)
                response.set_cookie(
                    SESSION_COOKIE,
                    key,
                    httponly=True,
                    samesite="lax",
                    secure=request.app.state.settings.secure_cookies,
                    path="/",
                )
                return response
        return page(
            request,
            "accounts/sign_in.html",
            {
                "title": gettext("Sign in"),
                "next": target,
                "username": username,
                "errors": errors,
                "error_list": error_list(errors),
            },
            status_code=400,
        )

    @post("/sign-out", guards=[signed_in])
    async def sign_out(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Redirect:
        key = request.scope["state"].get("session_key") or ""
        await services.sign_out(actor=actor, session_key=key, now=clock.now())
        response = Redirect(path="/")
        response.delete_cookie(SESSION_COOKIE, path="/")
        with_flash(response, "signed_out")
        return response

    @get("/dashboard", guards=[signed_in])
    async def dashboard(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Template:
        context: dict[str, Any] = {"title": gettext("Dashboard")}
        if actor.role is Role.COMMISSIONER:
            mine = (
                await spec_queries.list_specifications(actor=actor, now=clock.now(), pcpg_ids=actor.pcpg_ids, limit=200)
            ).items
            context["spec_counts"] = {
                status: sum(1 for s in mine if s.status == status)
                for status in ("draft", "published", "closed", "under_evaluation")
            }
            context["spec_statuses"] = spec_rules.STATUSES
        if actor.role in (Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.NATIONAL_ADMIN):
            year = FinancialYear.containing(clock.today().date())
            lines = (await finance_queries.list_budget_lines(actor=actor, limit=200)).items
            context["budget_years"] = [
                {
                    "label": FinancialYear(y).label,
                    "budget": sum(line.ledger.budget_pence for line in lines if line.financial_year == y),
                    "earmarked": sum(line.ledger.earmarked_pence for line in lines if line.financial_year == y),
                    "headroom": sum(line.ledger.headroom_pence for line in lines if line.financial_year == y),
                    "warnings": sum(1 for line in lines if line.financial_year == y and line.ledger.warning),
                }
                for y in range(year.start_year, year.start_year + 3)
            ]
        if actor.role in (Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR):
            pending = await org_queries.list_delivery_vehicles(actor=actor, status="pending", limit=200)
            context["pending_vehicles"] = pending.items
        if actor.role is Role.COMMISSIONER:
            context["pcpgs"] = [await org_queries.get_pcpg(pcpg_id) for pcpg_id in actor.pcpg_ids]
        if actor.role is Role.PROVIDER and actor.delivery_vehicle_id is not None:
            context["vehicle"] = await org_queries.get_delivery_vehicle(
                actor=actor, delivery_vehicle_id=actor.delivery_vehicle_id
            )
        if actor.role is Role.FINANCE_DIRECTOR and actor.health_board_id is not None:
            board = await org_queries.get_health_board(actor.health_board_id)
            clusters = (await org_queries.list_clusters(health_board_id=board.id, limit=200)).items
            known = [c.population for c in clusters if c.population is not None]
            context.update(
                board=board,
                pcpgs=(await org_queries.list_pcpgs(health_board_id=board.id, limit=200)).items,
                cluster_count=len(clusters),
                population_known=sum(known),
                clusters_without_population=len(clusters) - len(known),
            )
        return page(request, "accounts/dashboard.html", context)
