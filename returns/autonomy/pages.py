"""Pages: a delivery vehicle's autonomy (issue 15, item 5): the tier in force and next quarter's, why, what it sets,
the history; for a commissioner of a PCPG it serves (or a national administrator) the override with a reason, its
check-your-answers page, and lifting it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor
from contracts.autonomy_rules import TIERS, AutonomyTier
from contracts.schemas.autonomy import TierLiftIn, TierOverrideIn, VehicleAutonomyOut
from core.clock import Clock
from core.errors import NotAllowed
from core.i18n import N_, gettext
from returns.autonomy import services
from returns.autonomy.controllers import DECIDERS, READERS
from returns.autonomy.queries import get_vehicle_autonomy
from web.forms import error_summary, read_form
from web.templating import page, with_flash

OVERRIDE_MESSAGES = {
    "tier": N_("Select the tier"),
    "reason": N_("Give the reason for the tier"),
}
LIFT_MESSAGES = {"reason": N_("Give the reason for lifting the override")}


def _tier_choices(chosen: str) -> list[dict[str, Any]]:
    return [{"value": tier.value, "text": gettext(tier.label), "checked": tier.value == chosen} for tier in TIERS]


class VehicleAutonomyPages(Controller):
    path = "/delivery-vehicles/{delivery_vehicle_id:int}/autonomy"
    include_in_schema = False

    async def _page(
        self,
        request: Request,
        autonomy: VehicleAutonomyOut,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        lift_values: dict[str, str] | None = None,
        lift_errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        values = values or {}
        errors = {**(errors or {}), **(lift_errors or {})}
        return page(
            request,
            "returns/autonomy.html",
            {
                "title": gettext("Autonomy of %(name)s", name=autonomy.delivery_vehicle),
                "autonomy": autonomy,
                "values": values,
                "lift_values": lift_values or {},
                "tiers": _tier_choices(values.get("tier", "")),
                "errors": errors,
                "error_list": error_summary(errors, {"lift_reason": "lift_reason"}),
            },
            status_code=status_code,
        )

    @get("/", guards=[READERS])
    async def autonomy(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], delivery_vehicle_id: int
    ) -> Template:
        autonomy = await get_vehicle_autonomy(actor=actor, delivery_vehicle_id=delivery_vehicle_id, now=clock.now())
        values = {key: str(request.query_params.get(key, ""))[:2000] for key in ("tier", "reason")}
        return await self._page(request, autonomy, values=values)

    @post("/override", guards=[DECIDERS])
    async def override(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], delivery_vehicle_id: int
    ) -> Response[Any]:
        """The tier and reason, then check your answers, then the override once confirmed."""
        posted = await request.form()
        form = await read_form(request, TierOverrideIn, messages=OVERRIDE_MESSAGES)
        if not str(form.values.get("reason", "")).strip():  # asked for with the tier, so both show at once
            form.add_error("reason", gettext(OVERRIDE_MESSAGES["reason"]))
        autonomy = await get_vehicle_autonomy(actor=actor, delivery_vehicle_id=delivery_vehicle_id, now=clock.now())
        if not autonomy.can_override:
            raise NotAllowed("Only a commissioner or a national administrator sets a delivery vehicle's tier")
        if form.ok and posted.get("confirm") != "yes":
            assert form.data is not None
            answers = {"tier": form.data.tier.value, "reason": form.data.reason.strip()}
            return page(
                request,
                "returns/autonomy_override_check.html",
                {
                    "title": gettext("Check the tier before you set it"),
                    "autonomy": autonomy,
                    "tier_label": gettext(AutonomyTier(form.data.tier).label),
                    "answers": answers,
                    "change_href": f"/delivery-vehicles/{delivery_vehicle_id}/autonomy?{urlencode(answers)}#tier",
                },
            )
        await form.run(
            lambda data: services.set_tier_override(
                actor=actor,
                delivery_vehicle_id=delivery_vehicle_id,
                tier=data.tier,
                reason=data.reason,
                now=clock.now(),
            ),
            default_field="reason",
            passes=(NotAllowed,),
        )
        if form.ok:
            return with_flash(Redirect(path=f"/delivery-vehicles/{delivery_vehicle_id}/autonomy"), "tier_overridden")
        values = {key: str(form.values.get(key, "")) for key in ("tier", "reason")}
        return await self._page(request, autonomy, values=values, errors=form.errors, status_code=400)

    @post("/lift", guards=[DECIDERS])
    async def lift(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], delivery_vehicle_id: int
    ) -> Response[Any]:
        """Lifting gives back the tier the vehicle earns, from the next quarter; the reason is asked for on the
        page itself (nothing is lost that cannot be set again)."""
        form = await read_form(request, TierLiftIn, messages=LIFT_MESSAGES, inputs={"reason": "lift_reason"})
        if not str(form.values.get("lift_reason", form.values.get("reason", ""))).strip():
            form.add_error("lift_reason", gettext(LIFT_MESSAGES["reason"]))
        await form.run(
            lambda data: services.lift_tier_override(
                actor=actor, delivery_vehicle_id=delivery_vehicle_id, reason=data.reason, now=clock.now()
            ),
            default_field="lift_reason",
            passes=(NotAllowed,),
        )
        if form.ok:
            return with_flash(
                Redirect(path=f"/delivery-vehicles/{delivery_vehicle_id}/autonomy"), "tier_override_lifted"
            )
        autonomy = await get_vehicle_autonomy(actor=actor, delivery_vehicle_id=delivery_vehicle_id, now=clock.now())
        errors = {("lift_reason" if key == "reason" else key): value for key, value in form.errors.items()}
        return await self._page(
            request,
            autonomy,
            lift_values={"reason": str(form.values.get("lift_reason", form.values.get("reason", "")))},
            lift_errors=errors,
            status_code=400,
        )
