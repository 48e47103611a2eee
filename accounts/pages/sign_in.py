"""Pages: sign in, sign out (of this browser, or everywhere), and a dashboard per role."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts import rules
from accounts.actor import Actor
from accounts.controllers import client_address
from accounts.guards import signed_in
from accounts.schemas import TokenIn
from accounts.services import sign_in as services
from commissioning.queries import dashboards as commissioning_dashboards
from commissioning.queries import specifications as specification_queries
from commissioning.summaries import specification_counts
from contracts.queries import viability as viability_queries
from core.clock import Clock
from core.i18n import N_, gettext
from core.periods import FinancialYear
from finance import queries as finance_queries
from organisations import queries as org_queries
from organisations.rules import DeliveryVehicleStatus
from returns.queries import dashboard as returns_dashboard
from web.cookies import LANGUAGE_COOKIE, SESSION_COOKIE
from web.forms import error_summary, read_form
from web.templating import page, with_flash

SIGN_IN_MESSAGES = {"username": N_("Enter your username"), "password": N_("Enter your password")}


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the sign-in form cannot be used to send people elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/dashboard"


def keep_language(response: Response[Any], request: Request, language: str) -> None:
    """The language cookie, as `?lang=` sets it (api/security.py): the language of this visit."""
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        path="/",
        max_age=31_536_000,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.secure_cookies,
    )


PENDING_SHOWN = 10  # the rest are a link away, on the delivery vehicles list
DASHBOARD_SHOWN = 10  # each list on a dashboard shows this many, with a link to the rest


class SignInPages(Controller):
    path = "/"
    include_in_schema = False

    @get("/sign-in")
    async def sign_in_form(self, request: Request, next: str | None = None) -> Template:
        return page(request, "accounts/sign_in.html", {"title": gettext("Sign in"), "next": _safe_next(next)})

    @post("/sign-in")
    async def sign_in(self, request: Request, clock: NamedDependency[Clock]) -> Response[Any]:
        posted = await request.form()
        target = _safe_next(str(posted.get("next", "")))
        # The password exactly as typed (the kit trims answers; a password's spaces are part of it).
        form = await read_form(
            request, TokenIn, messages=SIGN_IN_MESSAGES, fixed={"password": str(posted.get("password", ""))}
        )

        retry_after: int | None = None

        async def sign_in(data: TokenIn) -> str | None:
            nonlocal retry_after
            try:
                key, _user_id = await services.sign_in(
                    username=data.username,
                    password=data.password,
                    now=clock.now(),
                    client_address=client_address(request),
                )
            except services.SignInRefused as refused:
                form.add_error("username", gettext(refused.message, **refused.params))
                retry_after = refused.retry_after
                return None
            return key

        key = await form.run(sign_in, default_field="username")
        if key is not None:
            response: Response[Any] = Redirect(path=target)
            response.set_cookie(
                SESSION_COOKIE,
                key,
                httponly=True,
                samesite="lax",
                secure=request.app.state.settings.secure_cookies,
                path="/",
            )
            response.delete_cookie(LANGUAGE_COOKIE, path="/")  # a new visit: the user's own language applies
            return response
        refused = page(
            request,
            "accounts/sign_in.html",
            {
                "title": gettext("Sign in"),
                "next": target,
                "username": form.values.get("username", ""),
                "errors": form.errors,
                "error_list": error_summary(form.errors),
            },
            status_code=400 if retry_after is None else 429,  # 429: too many failed attempts, the password unchecked
        )
        if retry_after is not None:
            refused.headers["Retry-After"] = str(retry_after)
        return refused

    @get("/sign-out", guards=[signed_in])
    async def sign_out_choice(self, request: Request) -> Template:
        """The header's Sign out: of this browser (POST /sign-out), or everywhere, every browser and API token
        (POST /sign-out/everywhere, accounts/pages/account.py). Two forms; no script needed."""
        return page(request, "accounts/sign_out.html", {"title": gettext("Sign out")})

    @post("/sign-out", guards=[signed_in])
    async def sign_out(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Redirect:
        key = request.scope["state"].get("session_key") or ""
        await services.sign_out(actor=actor, session_key=key, now=clock.now())
        response = Redirect(path="/")
        response.delete_cookie(SESSION_COOKIE, path="/")
        keep_language(response, request, request.scope["state"].get("language", "en"))  # carry on reading in it
        with_flash(response, "signed_out")
        return response

    @get("/dashboard", guards=[signed_in])
    async def dashboard(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Template:
        """Each role's sections (accounts.rules.dashboard_sections); every count and total is summed in SQL."""
        sections = rules.dashboard_sections(actor)
        context: dict[str, Any] = {"title": gettext("Dashboard"), "sections": sections}
        if "specification_counts" in sections:
            context["spec_counts"] = await specification_counts(actor=actor, now=clock.now())
        if "budget_years" in sections:
            year = FinancialYear.containing(clock.today().date()).start_year
            context["budget_years"] = await finance_queries.budget_years(
                actor=actor, financial_years=[year, year + 1, year + 2]
            )
            context["budget_totals"] = finance_queries.budget_totals(context["budget_years"])
        if "pending_vehicles" in sections:
            pending = await org_queries.list_delivery_vehicles(
                actor=actor, status=DeliveryVehicleStatus.PENDING, limit=PENDING_SHOWN
            )
            context["pending_vehicles"] = pending.items
            context["pending_total"] = pending.total
            context["pending_more"] = pending.total > len(pending.items)
        if "own_pcpgs" in sections:
            context["pcpgs"] = [await org_queries.get_pcpg(pcpg_id) for pcpg_id in actor.pcpg_ids]
        if "evaluations" in sections:
            context["panels"] = await commissioning_dashboards.own_panels(actor=actor)
        if "open_opportunities" in sections and actor.delivery_vehicle_id is not None:
            context["opportunities"] = await specification_queries.list_specifications(
                actor=actor,
                now=clock.now(),
                open_only=True,
                serving_vehicle_id=actor.delivery_vehicle_id,
                limit=DASHBOARD_SHOWN,
            )
        if "returns_due" in sections:  # issue 13, item 7: overdue returns and the next due
            context["returns_due"] = await returns_dashboard.returns_due(
                actor=actor, now=clock.now(), limit=DASHBOARD_SHOWN
            )
        if "own_bids" in sections:
            context["own_bids"] = await commissioning_dashboards.own_bid_summaries(
                actor=actor, now=clock.now(), limit=DASHBOARD_SHOWN
            )
        if "own_vehicle" in sections and actor.delivery_vehicle_id is not None:
            context["vehicle"] = await org_queries.get_delivery_vehicle(
                actor=actor, delivery_vehicle_id=actor.delivery_vehicle_id
            )
            # The vehicle's viability this year and the next three (contracts/queries/viability.py)
            context["own_viability"] = await viability_queries.own_viability(actor=actor, now=clock.now())
        if "health_board" in sections and actor.health_board_id is not None:
            context.update(
                board=await org_queries.get_health_board(actor.health_board_id),
                board_summary=await org_queries.health_board_summary(actor.health_board_id),
            )
        return page(request, "accounts/dashboard.html", context)
