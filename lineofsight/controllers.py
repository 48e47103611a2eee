"""JSON API of the line of sight: the same tree as the page, and the same rows as its CSV."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Response

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from core.bounds import MAX_ID
from core.clock import Clock
from core.spreadsheet import CSV_TYPE, download_headers
from lineofsight import exports
from lineofsight.queries import line_of_sight
from lineofsight.schemas import LineOfSightOut, SightAsk

READERS = requires_role(Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR, Role.COMMISSIONER)
PlaceParam = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
YearParam = Annotated[int | None, QueryParameter(ge=2000, le=2100)]


class LineOfSightController(Controller):
    path = "/api/v1"
    tags = ["Line of sight"]
    guards = [READERS]

    @get(
        "/line-of-sight",
        summary="From need to outcome and spend, for a PCPG, a cluster or a health board, with the gaps",
        description=(
            "Exactly one of `pcpg_id`, `cluster_id` and `health_board_id`; `financial_year` by its start (2027 is "
            "2027-28), this year when left out. The tree runs need -> plan priority -> specification -> contract, "
            "each contract with its KPIs' latest RAG and trend and its committed and actual spend in the year (per "
            "head over clusters with a known population); what answers no need, no priority or no specification is "
            "listed apart, and `gaps` names needs with no priority, priorities with no specification, "
            "specifications with no contract and contracts with a KPI rated red. `totals` are the spend report's "
            "figures for the place. Finance directors see their health board, commissioners their PCPGs, national "
            "administrators all; a place out of sight is refused as one that does not exist."
        ),
    )
    async def tree(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        pcpg_id: PlaceParam = None,
        cluster_id: PlaceParam = None,
        health_board_id: PlaceParam = None,
        financial_year: YearParam = None,
    ) -> LineOfSightOut:
        ask = SightAsk(
            pcpg_id=pcpg_id, cluster_id=cluster_id, health_board_id=health_board_id, financial_year=financial_year
        )
        return await line_of_sight(actor=actor, ask=ask, now=clock.now())

    @get("/line-of-sight.csv", media_type=CSV_TYPE, summary="The line of sight as CSV: a row per path")
    async def tree_csv(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        pcpg_id: PlaceParam = None,
        cluster_id: PlaceParam = None,
        health_board_id: PlaceParam = None,
        financial_year: YearParam = None,
    ) -> Response[str]:
        ask = SightAsk(
            pcpg_id=pcpg_id, cluster_id=cluster_id, health_board_id=health_board_id, financial_year=financial_year
        )
        out = await line_of_sight(actor=actor, ask=ask, now=clock.now())
        return Response(
            exports.sight_csv(out), media_type=CSV_TYPE, headers=download_headers(exports.file_name(out, "csv"))
        )
