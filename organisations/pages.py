"""Pages: reference data (public) and delivery vehicles (scoped): list, detail, register, approve or reject, suspend
and reinstate (national administrators, checked before the suspension)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from core.clock import Clock
from core.errors import NotAllowed, NotFound
from core.i18n import N_, gettext
from organisations import queries, rules, services
from organisations.rules import DeliveryVehicleStatus
from organisations.schemas import DeliveryVehicleDecisionIn, DeliveryVehicleIn, HealthBoardSummary, SuspensionIn
from web.forms import Confirmation, error_summary, read_form
from web.templating import form_page_offset, page, paging, with_flash

PAGE_SIZE = 25


class ReferencePages(Controller):
    path = "/reference"
    include_in_schema = False

    @get("/health-boards")
    async def health_boards(self, request: Request) -> Template:
        boards = (await queries.list_health_boards(limit=200)).items
        summaries = await queries.counts_by_health_board()
        empty = HealthBoardSummary(0, 0, 0, 0, 0)
        return page(
            request,
            "organisations/health_boards.html",
            {
                "title": gettext("Health boards"),
                "boards": boards,
                "counts": {board.id: summaries.get(board.id, empty).cluster_count for board in boards},
                "pcpg_counts": {board.id: summaries.get(board.id, empty).pcpg_count for board in boards},
            },
        )

    @get("/health-boards/{health_board_id:int}")
    async def health_board(self, request: Request, health_board_id: int) -> Template:
        board = await queries.get_health_board(health_board_id)
        pcpgs = (await queries.list_pcpgs(health_board_id=health_board_id, limit=200)).items
        authorities = (await queries.list_local_authorities(health_board_id=health_board_id, limit=200)).items
        return page(
            request,
            "organisations/health_board.html",
            {
                "title": board.name_shown,
                "board": board,
                "pcpgs": pcpgs,
                "authorities": authorities,
            },
        )

    @get("/pcpgs/{pcpg_id:int}")
    async def pcpg(self, request: Request, pcpg_id: int) -> Template:
        pcpg = await queries.get_pcpg(pcpg_id)
        clusters = (await queries.list_clusters(pcpg_id=pcpg_id, sort="name", limit=200)).items
        known = [c.population for c in clusters if c.population is not None]
        return page(
            request,
            "organisations/pcpg.html",
            {
                "title": gettext("%(name)s Pan Cluster Planning Group", name=pcpg.name_shown),
                "pcpg": pcpg,
                "board": await queries.get_health_board(pcpg.health_board_id),
                "clusters": clusters,
                "population_known": sum(known),
                "clusters_without_population": len(clusters) - len(known),
            },
        )

    @get("/clusters")
    async def clusters(
        self, request: Request, health_board: int | None = None, sort: str = "name", offset: str | None = None
    ) -> Template:
        sort = sort if sort in queries.CLUSTER_SORTS else "name"
        result = await queries.list_clusters(
            health_board_id=health_board, sort=sort, limit=PAGE_SIZE, offset=form_page_offset(offset)
        )
        boards = (await queries.list_health_boards(limit=200)).items
        return page(
            request,
            "organisations/clusters.html",
            {
                "title": gettext("Clusters"),
                "clusters": result.items,
                "paging": paging(result, request),
                "boards": boards,
                "health_board": health_board,
                "sort": sort,
            },
        )


VEHICLE_READERS = requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.PROVIDER)
VEHICLE_DECIDERS = requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER)
NATIONAL_ADMIN = requires_role(Role.NATIONAL_ADMIN)
SUSPENSION_MESSAGES = {"reason": N_("Give the reason for suspending the delivery vehicle")}

REGISTRATION_MESSAGES = {
    "name": N_("Enter the organisation's name"),
    "legal_form": N_("Select the legal form"),
    "contact_name": N_("Enter the name of a contact"),
    "contact_email": N_("Enter the contact's email address"),
    "cluster_ids": N_("Select at least one cluster served"),
}


class DeliveryVehiclePages(Controller):
    path = "/delivery-vehicles"
    include_in_schema = False

    @get("/", guards=[VEHICLE_READERS])
    async def list_vehicles(
        self, request: Request, actor: NamedDependency[Actor], status: str | None = None, offset: str | None = None
    ) -> Template | Redirect:
        if not rules.lists_delivery_vehicles(actor):
            if actor.delivery_vehicle_id is None:
                return Redirect(path="/delivery-vehicles/register")
            return Redirect(path=f"/delivery-vehicles/{actor.delivery_vehicle_id}")
        shown = DeliveryVehicleStatus(status) if status in set(DeliveryVehicleStatus) else None
        result = await queries.list_delivery_vehicles(
            actor=actor, status=shown, limit=PAGE_SIZE, offset=form_page_offset(offset)
        )
        return page(
            request,
            "organisations/delivery_vehicles.html",
            {
                "title": gettext("Delivery vehicles"),
                "vehicles": result.items,
                "paging": paging(result, request),
                "status": shown,
                "filters": [
                    {"value": code.value, "label": code.label, "current": code is shown}
                    for code in DeliveryVehicleStatus
                ],
            },
        )

    async def _register_page(
        self, request: Request, values: dict[str, Any], errors: dict[str, str], status_code: int = 200
    ) -> Template:
        clusters = (await queries.list_clusters(limit=200, sort="name")).items
        return page(
            request,
            "organisations/register_delivery_vehicle.html",
            {
                "title": gettext("Register your delivery vehicle"),
                "values": values,
                "errors": errors,
                "error_list": error_summary(errors),
                "clusters": clusters,
                "legal_forms": rules.LEGAL_FORM_LABELS,
            },
            status_code=status_code,
        )

    @get("/register", guards=[requires_role(Role.PROVIDER)])
    async def register_form(self, request: Request, actor: NamedDependency[Actor]) -> Template | Redirect:
        if actor.delivery_vehicle_id is not None:
            return Redirect(path=f"/delivery-vehicles/{actor.delivery_vehicle_id}")
        return await self._register_page(request, {"cluster_ids": []}, {})

    @post("/register", guards=[requires_role(Role.PROVIDER)])
    async def register(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        form = await read_form(
            request,
            DeliveryVehicleIn,
            messages=REGISTRATION_MESSAGES,
            lists=("cluster_ids",),
            required=("cluster_ids",),
        )
        vehicle = await form.run(
            lambda data: services.register_delivery_vehicle(actor=actor, data=data, now=clock.now()),
            default_field="name",
            passes=(NotAllowed,),
        )
        if vehicle is not None:
            return with_flash(Redirect(path=f"/delivery-vehicles/{vehicle.id}"), "vehicle_registered")
        return await self._register_page(request, form.values, form.errors, status_code=400)

    @get("/{delivery_vehicle_id:int}", guards=[VEHICLE_READERS])
    async def detail(self, request: Request, actor: NamedDependency[Actor], delivery_vehicle_id: int) -> Template:
        vehicle = await queries.get_delivery_vehicle(actor=actor, delivery_vehicle_id=delivery_vehicle_id)
        return page(
            request,
            "organisations/delivery_vehicle.html",
            {"title": vehicle.name, "vehicle": vehicle, "list_link": rules.lists_delivery_vehicles(actor)},
        )

    async def _suspension_page(
        self,
        request: Request,
        actor: Actor,
        delivery_vehicle_id: int,
        *,
        template: str,
        reason: str = "",
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        vehicle = await queries.get_delivery_vehicle(actor=actor, delivery_vehicle_id=delivery_vehicle_id)
        titles = {
            "organisations/suspend_delivery_vehicle.html": gettext("Suspend %(name)s", name=vehicle.name),
            "organisations/check_suspension.html": gettext("Check before you suspend %(name)s", name=vehicle.name),
            "organisations/check_reinstatement.html": gettext("Reinstate %(name)s", name=vehicle.name),
        }
        return page(
            request,
            template,
            {
                "title": titles[template],
                "vehicle": vehicle,
                "reason": reason,
                "change_href": f"/delivery-vehicles/{delivery_vehicle_id}/suspend?{urlencode({'reason': reason})}",
                "errors": errors or {},
                "error_list": error_summary(errors or {}),
            },
            status_code=status_code,
        )

    @get("/{delivery_vehicle_id:int}/suspend", guards=[NATIONAL_ADMIN])
    async def suspend_form(
        self, request: Request, actor: NamedDependency[Actor], delivery_vehicle_id: int, reason: str = ""
    ) -> Template:
        """The question (why); its answer is checked on the next page before anything changes."""
        return await self._suspension_page(
            request,
            actor,
            delivery_vehicle_id,
            template="organisations/suspend_delivery_vehicle.html",
            reason=reason[:2000],
        )

    @post("/{delivery_vehicle_id:int}/suspend", guards=[NATIONAL_ADMIN])
    async def suspend(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], delivery_vehicle_id: int
    ) -> Response[Any]:
        """The reason, then check your answers (NHS.UK pattern), then the suspension once confirmed."""
        form = await read_form(request, SuspensionIn, messages=SUSPENSION_MESSAGES)
        reason = str(form.values.get("reason", ""))
        if form.ok and (await request.form()).get("confirm") != "yes":
            return await self._suspension_page(
                request, actor, delivery_vehicle_id, template="organisations/check_suspension.html", reason=reason
            )
        await form.run(
            lambda data: services.suspend_delivery_vehicle(
                actor=actor, delivery_vehicle_id=delivery_vehicle_id, data=data, now=clock.now()
            ),
            default_field="reason",
        )
        if form.ok:
            return with_flash(Redirect(path=f"/delivery-vehicles/{delivery_vehicle_id}"), "vehicle_suspended")
        return await self._suspension_page(
            request,
            actor,
            delivery_vehicle_id,
            template="organisations/suspend_delivery_vehicle.html",
            reason=reason,
            errors=form.errors,
            status_code=400,
        )

    @get("/{delivery_vehicle_id:int}/reinstate", guards=[NATIONAL_ADMIN])
    async def check_reinstatement(
        self, request: Request, actor: NamedDependency[Actor], delivery_vehicle_id: int
    ) -> Template:
        return await self._suspension_page(
            request, actor, delivery_vehicle_id, template="organisations/check_reinstatement.html"
        )

    @post("/{delivery_vehicle_id:int}/reinstate", guards=[NATIONAL_ADMIN])
    async def reinstate(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], delivery_vehicle_id: int
    ) -> Response[Any]:
        form = await read_form(request, Confirmation)
        await form.run(
            lambda _: services.reinstate_delivery_vehicle(
                actor=actor, delivery_vehicle_id=delivery_vehicle_id, now=clock.now()
            ),
            default_field="reinstate",
        )
        if form.ok:
            return with_flash(Redirect(path=f"/delivery-vehicles/{delivery_vehicle_id}"), "vehicle_reinstated")
        return await self._suspension_page(
            request,
            actor,
            delivery_vehicle_id,
            template="organisations/check_reinstatement.html",
            errors=form.errors,
            status_code=409,
        )

    @get("/{delivery_vehicle_id:int}/{decision:str}", guards=[VEHICLE_DECIDERS])
    async def confirm_decision(
        self, request: Request, actor: NamedDependency[Actor], delivery_vehicle_id: int, decision: str, reason: str = ""
    ) -> Template:
        """The question (why); its answer is checked on the next page before anything changes. A Change link on
        that page brings the reason back in the query."""
        return await self._decision_page(request, actor, delivery_vehicle_id, decision, reason[:2000], {})

    async def _decision_page(
        self,
        request: Request,
        actor: Actor,
        delivery_vehicle_id: int,
        decision: str,
        reason: str,
        errors: dict[str, str],
        status_code: int = 200,
        *,
        checking: bool = False,
    ) -> Template:
        """The decision's form, or (`checking`) the page that checks it before it is made."""
        if decision not in rules.DECISIONS:
            raise NotFound()
        vehicle = await queries.get_delivery_vehicle(actor=actor, delivery_vehicle_id=delivery_vehicle_id)
        approving = rules.DECISIONS[decision] is DeliveryVehicleStatus.APPROVED
        if checking:
            title = (
                gettext("Check before you approve %(name)s", name=vehicle.name)
                if approving
                else gettext("Check before you reject %(name)s", name=vehicle.name)
            )
        else:
            title = (
                gettext("Approve %(name)s", name=vehicle.name)
                if approving
                else gettext("Reject %(name)s", name=vehicle.name)
            )
        return page(
            request,
            "organisations/check_delivery_vehicle_decision.html"
            if checking
            else "organisations/decide_delivery_vehicle.html",
            {
                "title": title,
                "vehicle": vehicle,
                "decision": decision,
                "approving": approving,
                "reason": reason,
                "change_href": f"/delivery-vehicles/{delivery_vehicle_id}/{decision}?{urlencode({'reason': reason})}",
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=status_code,
        )

    @post("/{delivery_vehicle_id:int}/{decision:str}", guards=[VEHICLE_DECIDERS])
    async def decide(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        delivery_vehicle_id: int,
        decision: str,
    ) -> Response[Any]:
        """The reason, then check your answers (NHS.UK pattern), then the decision once confirmed; each post is
        checked again in full, and nothing is written before the confirmation."""
        target = rules.DECISIONS.get(decision)
        if target is None:
            raise NotFound()
        approving = target is DeliveryVehicleStatus.APPROVED
        form = await read_form(request, DeliveryVehicleDecisionIn)
        reason = str(form.values.get("reason", ""))
        if (await request.form()).get("confirm") != "yes":
            vehicle = await queries.get_delivery_vehicle(actor=actor, delivery_vehicle_id=delivery_vehicle_id)
            refusal = rules.decision_refusal(rules.VehicleAction(decision), current=vehicle.status, reason=reason)
            if form.ok and refusal is not None:
                form.refuse(refusal, default_field="reason")
            if form.ok:
                return await self._decision_page(
                    request, actor, delivery_vehicle_id, decision, reason, {}, checking=True
                )
        else:
            act = services.approve_delivery_vehicle if approving else services.reject_delivery_vehicle
            await form.run(
                lambda data: act(actor=actor, delivery_vehicle_id=delivery_vehicle_id, decision=data, now=clock.now()),
                default_field="reason",
            )
            if form.ok:
                flash = "vehicle_approved" if approving else "vehicle_rejected"
                return with_flash(Redirect(path=f"/delivery-vehicles/{delivery_vehicle_id}"), flash)
        return await self._decision_page(
            request, actor, delivery_vehicle_id, decision, reason, form.errors, status_code=400
        )
