"""Pages: PCPG three-year plans and their priorities (open to all; written by the PCPG's commissioners)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.queries import plans as plan_queries
from commissioning.schemas import PlanIn, PlanPriorityIn
from commissioning.services import plans
from core.clock import Clock
from core.errors import NotFound
from core.i18n import N_, gettext
from core.periods import FinancialYear
from needs.queries.engagements import about_priorities
from organisations import queries as org_queries
from web.forms import error_summary, read_form
from web.templating import page, with_flash

COMMISSIONER = requires_role(Role.COMMISSIONER)

PLAN_MESSAGES = {
    "pcpg_id": N_("Select a PCPG"),
    "first_financial_year": N_("Select the plan's first financial year"),
    "title": N_("Enter the plan's title in English"),
    "title_cy": N_("Enter the plan's title in Welsh"),
}
PRIORITY_MESSAGES = {
    "title": N_("Enter the priority in English"),
    "need": N_("Describe the need it answers"),
    "cluster_ids": N_("Select the clusters concerned"),
}


class PlanPages(Controller):
    path = "/plans"
    include_in_schema = False

    @get("/")
    async def list_plans(self, request: Request, maybe_actor: NamedDependency[Actor | None]) -> Template:
        mine = maybe_actor.pcpg_ids if maybe_actor is not None and maybe_actor.role is Role.COMMISSIONER else ()
        listed = await plan_queries.list_plans()
        engagements = await about_priorities([p.id for plan in listed for p in plan.priorities], maybe_actor)
        return page(
            request,
            "commissioning/plans.html",
            {"title": gettext("PCPG plans"), "plans": listed, "mine": mine, "engagements": engagements},
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
                "error_list": error_summary(errors),
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
        offered = [FinancialYear.containing(clock.today().date()).start_year + n for n in range(0, 3)]
        form = await read_form(
            request,
            PlanIn,
            messages=PLAN_MESSAGES,
            required=("title_cy",),  # the API may add the Welsh title later; a person adding a plan gives both
            fixed={"pcpg_id": actor.pcpg_ids[0]} if len(actor.pcpg_ids) == 1 else None,
        )
        if form.data is not None and form.data.first_financial_year not in offered:
            form.add_error("first_financial_year", gettext(PLAN_MESSAGES["first_financial_year"]))
        await form.run(lambda data: plans.create_plan(actor=actor, data=data, now=clock.now()), default_field="title")
        if form.ok:
            return with_flash(Redirect(path="/plans"), "plan_added")
        return await self._plan_form(request, actor, clock, form.values, form.errors, status_code=400)

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
                "error_list": error_summary(errors),
                "clusters": (await org_queries.list_clusters(pcpg_id=plan.pcpg_id, limit=200)).items,
            },
            status_code=status_code,
        )

    async def _own_plan(self, actor: Actor, plan_id: int) -> Any:
        for plan in await plan_queries.list_plans(pcpg_ids=list(actor.pcpg_ids)):
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
        form = await read_form(
            request, PlanPriorityIn, messages=PRIORITY_MESSAGES, lists=("cluster_ids",), required=("cluster_ids",)
        )
        await form.run(
            lambda data: plans.add_priority(actor=actor, plan_id=plan_id, data=data, now=clock.now()),
            default_field="title",
        )
        if form.ok:
            return with_flash(Redirect(path="/plans"), "priority_added")
        return await self._priority_form(request, plan, form.values, form.errors, status_code=400)
