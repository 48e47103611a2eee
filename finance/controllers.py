"""JSON API: budget lines and their ledger, and the finance director's ledger of every line."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.services.bids import MAX_UPLOAD_BODY_BYTES
from core.clock import Clock
from core.pagination import DEFAULT_LIMIT, Page
from finance import budget_import, queries, services
from finance.schemas import (
    BudgetFileIn,
    BudgetImportOut,
    BudgetLineChangeIn,
    BudgetLineIn,
    BudgetLineOut,
    FundingStream,
    LedgerFilterIn,
    LedgerOut,
    LedgerReportOut,
)
from web.params import HealthBoardFilter, Limit, Offset, PcpgFilter

READERS = requires_role(Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR, Role.COMMISSIONER)
SETTERS = requires_role(Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR)


class BudgetLineController(Controller):
    path = "/api/v1/budget-lines"
    tags = ["Budgets"]

    @get("/", guards=[READERS], summary="Budget lines the caller may see, with their ledger")
    async def list_lines(
        self,
        actor: NamedDependency[Actor],
        pcpg: PcpgFilter = None,
        financial_year: Annotated[int | None, QueryParameter(name="financial_year", ge=2020, le=2100)] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[BudgetLineOut]:
        return await queries.list_budget_lines(
            actor=actor, pcpg_id=pcpg, financial_year=financial_year, limit=limit, offset=offset
        )

    @post("/", guards=[SETTERS], status_code=201, summary="Set a budget line (health board x PCPG x year x stream)")
    async def create(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], data: Annotated[BudgetLineIn, Body()]
    ) -> BudgetLineOut:
        return await services.create_budget_line(actor=actor, data=data, now=clock.now())

    @post(
        "/import",
        guards=[SETTERS],
        status_code=200,
        summary="Set budget lines from the template filled in (CSV or XLSX), all or nothing",
        description=(
            "With `dry_run=true`, says what the file would change (each row new, changed or unchanged, with the "
            "amount before and after) and changes nothing; without it, applies the whole file in one operation. A "
            "file with problems is refused whole (422, one error per problem, its `field` naming the cell as "
            "`file.D7` and its `row` and `column` given apart), as is a file that is not the template. Finance "
            "directors set their health board's lines only; no line goes below what is already held on it."
        ),
        request_max_body_size=MAX_UPLOAD_BODY_BYTES,
        upload_field="file",
    )
    async def import_lines(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        data: Annotated[BudgetFileIn, Body(media_type=RequestEncodingType.MULTI_PART)],
        dry_run: Annotated[bool, QueryParameter(name="dry_run")] = False,
    ) -> BudgetImportOut:
        lines, problems = await budget_import.read_file(await data.file.read())
        if dry_run:
            return await budget_import.preview_budget_lines(actor=actor, lines=lines, problems=problems)
        return await budget_import.import_budget_lines(actor=actor, lines=lines, now=clock.now(), problems=problems)

    @get("/{budget_line_id:int}", guards=[READERS])
    async def get_line(self, actor: NamedDependency[Actor], budget_line_id: int) -> BudgetLineOut:
        return await queries.get_budget_line(actor=actor, budget_line_id=budget_line_id)

    @put("/{budget_line_id:int}", guards=[SETTERS], summary="Change the amount (never below what is held)")
    async def change(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        budget_line_id: int,
        data: Annotated[BudgetLineChangeIn, Body()],
    ) -> BudgetLineOut:
        return await services.change_budget_line(actor=actor, budget_line_id=budget_line_id, data=data, now=clock.now())

    @get("/{budget_line_id:int}/ledger", guards=[READERS], summary="Budget, earmarked, committed, actual, headroom")
    async def ledger(self, actor: NamedDependency[Actor], budget_line_id: int) -> LedgerOut:
        return (await queries.get_budget_line(actor=actor, budget_line_id=budget_line_id)).ledger


class LedgerController(Controller):
    path = "/api/v1/finance"
    tags = ["Budgets"]

    @get(
        "/ledger",
        guards=[READERS],
        summary="Every budget line the caller may see, by PCPG, year and stream, with totals per financial year",
        description=(
            "Each line adds up to the penny: budget_pence = earmarked_pence + committed_unspent_pence + actual_pence "
            "+ headroom_pence. `years` totals every line the filters select, not only this page. Finance directors "
            "see their health board's lines, commissioners their PCPGs', national administrators every line "
            "(`health_board` narrows them)."
        ),
    )
    async def ledger(
        self,
        actor: NamedDependency[Actor],
        financial_year: Annotated[int | None, QueryParameter(name="financial_year", ge=2020, le=2100)] = None,
        pcpg: PcpgFilter = None,
        funding_stream: Annotated[FundingStream | None, QueryParameter(name="funding_stream")] = None,
        health_board: HealthBoardFilter = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> LedgerReportOut:
        filters = LedgerFilterIn(
            financial_year=financial_year, pcpg_id=pcpg, funding_stream=funding_stream, health_board_id=health_board
        )
        return await queries.ledger_report(actor=actor, filters=filters, limit=limit, offset=offset)
