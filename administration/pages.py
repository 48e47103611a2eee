"""Page: the training clock (demo and test only, like its API): set it to a date and time, move it on by days, or
put it back to real time. Every page shows the banner while it is moved."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from administration import services
from administration.schemas import ClockAdvanceIn, ClockDateIn
from core.clock import LONDON, Clock
from core.i18n import N_, gettext
from web.forms import Confirmation, error_summary, read_form
from web.templating import page, with_flash

SET_MESSAGES = {
    "day": N_("Enter a real date, like 2 4 2027"),
    "month": N_("Enter a real date, like 2 4 2027"),
    "year": N_("Enter a year from 2000 to 2100"),
    "time": N_("Enter a 24-hour time, like 09:30"),
}
DATE_IDS = {"day": "clock_on", "month": "clock_on", "year": "clock_on"}
ADVANCE_MESSAGES = {"days": N_("Enter a whole number of days from 1 to 3650")}


def _set_values(clock: Clock) -> dict[str, str]:
    """The set form starts at the clock's own time, in London time."""
    shown = clock.now().astimezone(LONDON)
    return {"day": str(shown.day), "month": str(shown.month), "year": str(shown.year), "time": shown.strftime("%H:%M")}


class ClockPages(Controller):
    path = "/admin/clock"
    include_in_schema = False
    guards = [requires_role(Role.NATIONAL_ADMIN)]

    def _page(
        self,
        request: Request,
        clock: Clock,
        *,
        values: dict[str, Any] | None = None,
        days: str = "",
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        errors = errors or {}
        return page(
            request,
            "administration/clock.html",
            {
                "title": gettext("Training clock"),
                "clock_time": clock.now(),
                "moved": clock.is_moved,
                "values": values or _set_values(clock),
                "days": days,
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=status_code,
        )

    @get("/")
    async def show(self, request: Request, clock: NamedDependency[Clock]) -> Template:
        return self._page(request, clock)

    @post("/")
    async def set_clock(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        form = await read_form(request, ClockDateIn, messages=SET_MESSAGES, ids=DATE_IDS)
        moved = await form.run(
            lambda data: services.set_clock_to_london_time(actor=actor, data=data, now=clock.now()),
            default_field="time",
        )
        if moved is not None:
            return with_flash(Redirect(path="/admin/clock"), "clock_set")
        return self._page(request, clock, values=form.values, errors=form.errors, status_code=400)

    @post("/advance")
    async def advance(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        form = await read_form(request, ClockAdvanceIn, messages=ADVANCE_MESSAGES)
        moved = await form.run(
            lambda data: services.advance_clock(actor=actor, days=data.days, now=clock.now()), default_field="days"
        )
        if moved is not None:
            return with_flash(Redirect(path="/admin/clock"), "clock_advanced")
        return self._page(request, clock, days=str(form.values.get("days", "")), errors=form.errors, status_code=400)

    @post("/reset")
    async def reset(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        form = await read_form(request, Confirmation)
        await form.run(lambda _: services.clear_clock(actor=actor, now=clock.now()), default_field="reset")
        return with_flash(Redirect(path="/admin/clock"), "clock_reset")
