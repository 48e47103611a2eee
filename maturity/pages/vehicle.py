"""A delivery vehicle's maturity page: its latest confirmed levels as a radar chart with the same levels in a table
beside it, and every earlier confirmed year in a comparison table (issue 15, item 4)."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.controllers.ids import ids_in_range
from core.i18n import gettext
from maturity.queries.assessments import vehicle_maturity
from maturity.radar import RadarSeries, radar_svg
from web.templating import page

READERS = requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.PROVIDER)


class VehicleMaturityPages(Controller):
    path = "/delivery-vehicles/{delivery_vehicle_id:int}/maturity"
    include_in_schema = False
    before_request = ids_in_range
    guards = [READERS]

    @get("/")
    async def maturity(self, request: Request, actor: NamedDependency[Actor], delivery_vehicle_id: int) -> Template:
        shown = await vehicle_maturity(actor=actor, delivery_vehicle_id=delivery_vehicle_id)
        chart = None
        if shown.latest is not None:
            compared = shown.history[:2]
            chart = radar_svg(
                identifier="maturity-chart",
                title=gettext("Maturity levels, %(year)s", year=shown.latest.year_label),
                description=gettext(
                    "Confirmed level from 1 to 4 in each domain of the maturity matrix; the table beside the chart "
                    "gives the same levels."
                ),
                domains=shown.domains,
                series=[RadarSeries(name=year.year_label, levels=year.levels) for year in compared],
            )
        latest_rows = (
            [
                {
                    "domain": name,
                    "level": level,
                    "previous": shown.history[1].levels[n] if len(shown.history) > 1 else None,
                }
                for n, (name, level) in enumerate(zip(shown.domains, shown.latest.levels, strict=True))
            ]
            if shown.latest
            else []
        )
        return page(
            request,
            "maturity/vehicle.html",
            {
                "title": gettext("Maturity of %(vehicle)s", vehicle=shown.delivery_vehicle),
                "vehicle": shown,
                "chart": chart,
                "latest_rows": latest_rows,
                "previous_year": shown.history[1].year_label if len(shown.history) > 1 else None,
                "history_rows": [
                    {"domain": name, "levels": [year.levels[n] for year in shown.history]}
                    for n, name in enumerate(shown.domains)
                ],
            },
        )
