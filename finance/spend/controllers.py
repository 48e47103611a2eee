"""JSON API of the spend report: the same rows as JSON and as CSV, from the same query parameters."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Response

from accounts.actor import Actor
from core.clock import Clock
from finance.controllers import READERS
from finance.schemas import FundingStream
from finance.spend import exports
from finance.spend.queries import read_group_by, spend_report
from finance.spend.schemas import GROUPINGS, SpendFilterIn, SpendReportOut
from web.params import NO_NUL, HealthBoardFilter, PcpgFilter

FinancialYearParam = Annotated[int | None, QueryParameter(ge=2020, le=2100)]
GroupByParam = Annotated[
    list[Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)]] | None,
    QueryParameter(
        name="group_by",
        description="One or two of " + ", ".join(GROUPINGS) + ": repeated, or as a comma list",
    ),
]


class SpendController(Controller):
    """The spend report (finance.spend): the same figures as JSON and as CSV."""

    path = "/api/v1/finance"
    tags = ["Budgets"]

    @staticmethod
    def _filters(
        group_by: list[str] | None,
        from_year: int | None,
        to_year: int | None,
        pcpg: int | None,
        funding_stream: str | None,
        health_board: int | None,
    ) -> SpendFilterIn:
        return SpendFilterIn(
            group_by=read_group_by(group_by or []),
            from_year=from_year,
            to_year=to_year,
            pcpg_id=pcpg,
            funding_stream=funding_stream,  # type: ignore[arg-type]  # checked by the parameter's type
            health_board_id=health_board,
        )

    @get(
        "/spend",
        guards=[READERS],
        summary="Budget, earmarked, committed, actual and headroom by one or two groupings, with spend per head",
        description=(
            "Rows grouped by one or two of cluster, pcpg, health_board, menu_service, delivery_vehicle, "
            "financial_year and funding_stream (`group_by`, repeated or a comma list), over the budget lines the "
            "caller may see (finance directors their health board's, commissioners their PCPGs', national "
            "administrators all) and the filters. Every row adds up (budget_pence = earmarked_pence + "
            "committed_unspent_pence + actual_pence + headroom_pence), and the rows of any grouping add up to the "
            "ledger's totals. Grouped by cluster, menu service or delivery vehicle, the budget not given to a "
            "contract, the earmarks and the headroom are on a row `held_for_pcpg`. Per head counts only clusters "
            "with a known population; the others are named in `clusters_without_population`."
        ),
    )
    async def report(
        self,
        actor: NamedDependency[Actor],
        group_by: GroupByParam = None,
        from_year: FinancialYearParam = None,
        to_year: FinancialYearParam = None,
        pcpg: PcpgFilter = None,
        funding_stream: Annotated[FundingStream | None, QueryParameter(name="funding_stream")] = None,
        health_board: HealthBoardFilter = None,
    ) -> SpendReportOut:
        filters = self._filters(group_by, from_year, to_year, pcpg, funding_stream, health_board)
        return await spend_report(actor=actor, filters=filters)

    @get(
        "/spend.csv",
        guards=[READERS],
        media_type="text/csv",
        summary="The spend report as CSV (the same query and rows as /api/v1/finance/spend)",
    )
    async def spend_csv(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        group_by: GroupByParam = None,
        from_year: FinancialYearParam = None,
        to_year: FinancialYearParam = None,
        pcpg: PcpgFilter = None,
        funding_stream: Annotated[FundingStream | None, QueryParameter(name="funding_stream")] = None,
        health_board: HealthBoardFilter = None,
    ) -> Response[str]:
        filters = self._filters(group_by, from_year, to_year, pcpg, funding_stream, health_board)
        report = await spend_report(actor=actor, filters=filters)
        name = exports.spend_file_name("csv", clock.now())
        return Response(
            exports.spend_csv(report),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
