"""Pages: PCPG three-year plans and their priorities (open to all; written by the PCPG's commissioners)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from api.templating import error_list, page, with_flash
from commissioning import queries
from commissioning.schemas import PlanIn, PlanPriorityIn
from commissioning.services import plans
from core.clock import Clock
from core.errors import DomainError, NotFound
from core.i18n import gettext
from core.periods import FinancialYear
from organisations import queries as org_queries

COMMISSIONER = requires_role(Role.COMMISSIONER)


class PlanPages(Controller):
    path = "/plans"
    include_in_schema = False

    @get("/")
    async def list_plans(self, request: Request, maybe_actor: NamedDependency[Actor | None]) -> Template:
        mine = maybe_actor.pcpg_ids if maybe_actor is not None and maybe_actor.role is Role.COMMISSIONER else ()
        return page(
            request,
            "commissioning/plans.html",
            {"title": gettext("PCPG plans"), "plans": await queries.list_plans(), "mine": mine},
        )

    async def _plan_form(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        current = FinancialYear.containing(clock.today().date())
        return page(
            request,
            "commissioning/plan_form.html",
            {
                "title": gettext("Add a three-year plan"),
                "values": values,
                "errors": errors,
                "error_list": error_list(errors),
                "pcpgs": [await org_queries.get_pcpg(p) for p in actor.pcpg_ids],
                "years": [FinancialYear(current.start_year + n) for n in range(0, 3)],
            },
            status_code=status_code,
        )

    @get("/new", guards=[COMMISSIONER])
    async def new_plan(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Template:
        return await self._plan_form(request, actor, clock, {}, {})

    @post("/new", guards=[COMMISSIONER])
    async def create_plan(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        form = await request.form()
        values = {
            key: str(form.get(key, "")).strip() for key in ("pcpg_id", "first_financial_year", "title", "title_cy")
        }
        if len(actor.pcpg_ids) == 1:
            values["pcpg_id"] = str(actor.pcpg_ids[0])
        errors: dict[str, str] = {}
        if not values["pcpg_id"].isdigit():
            errors["pcpg_id"] = gettext("Select a PCPG")
        if not values["first_financial_year"].isdigit():
            errors["first_financial_year"] = gettext("Select the plan's first financial year")
        offered = {str(FinancialYear.containing(clock.today().date()).start_year + n) for n in range(0, 3)}
        if "first_financial_year" not in errors and values["first_financial_year"] not in offered:
            errors["first_financial_year"] = gettext("Select the plan's first financial year")
        if not values["title"]:
            errors["title"] = gettext("Enter the plan's title in English")
        if not values["title_cy"]:
            errors["title_cy"] = gettext("Enter the plan's title in Welsh")
        if not errors:
            try:
                await plans.create_plan(
                    actor=actor,
                    data=PlanIn(
                        pcpg_id=int(values["pcpg_id"]),
                        first_financial_year=int(values["first_financial_year"]),
                        title=values["title"],
                        title_cy=values["title_cy"],
                    ),
                    now=clock.now(),
                )
            except DomainError as exc:
                errors[exc.field or "title"] = gettext(exc.message, **exc.params)
            else:
                return with_flash(Redirect(path="/plans"), "plan_added")
        return await self._plan_form(request, actor, clock, values, errors, status_code=400)

    async def _priority_form(
        self, request: Request, plan: Any, values: dict[str, Any], errors: dict[str, str], status_code: int = 200
    ) -> Template:
        return page(
            request,
            "commissioning/priority_form.html",
            {
                "title": gettext("Add a priority"),
                "plan": plan,
                "values": values,
                "errors": errors,
                "error_list": error_list(errors),
                "clusters": (await org_queries.list_clusters(pcpg_id=plan.pcpg_id, limit=200)).items,
            },
            status_code=status_code,
        )

    async def _own_plan(self, actor: Actor, plan_id: int) -> Any:
        for plan in await queries.list_plans(pcpg_ids=list(actor.pcpg_ids)):
            if plan.id == plan_id:
                return plan
        raise NotFound("No such plan")

    @get("/{plan_id:int}/priorities/new", guards=[COMMISSIONER])
    async def new_priority(self, request: Request, actor: NamedDependency[Actor], plan_id: int) -> Template:
        return await self._priority_form(request, await self._own_plan(actor, plan_id), {"cluster_ids": []}, {})

    @post("/{plan_id:int}/priorities/new", guards=[COMMISSIONER])
    async def add_priority(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], plan_id: int
    ) -> Response[Any]:
        plan = await self._own_plan(actor, plan_id)
        form = await request.form()
        values: dict[str, Any] = {
            key: str(form.get(key, "")).strip() for key in ("title", "title_cy", "need", "need_source")
        }
        values["cluster_ids"] = [int(v) for v in form.getall("cluster_ids", []) if str(v).isdigit()]
        errors: dict[str, str] = {}
        if not values["title"]:
            errors["title"] = gettext("Enter the priority in English")
        if not values["need"]:
            errors["need"] = gettext("Describe the need it answers")
        if not values["cluster_ids"]:
            errors["cluster_ids"] = gettext("Select the clusters concerned")
        if not errors:
            try:
                await plans.add_priority(actor=actor, plan_id=plan_id, data=PlanPriorityIn(**values), now=clock.now())
            except DomainError as exc:
                errors[exc.field or "title"] = gettext(exc.message, **exc.params)
            else:
                return with_flash(Redirect(path="/plans"), "priority_added")
        return await self._priority_form(request, plan, values, errors, status_code=400)
