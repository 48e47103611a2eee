"""Pages: the contracts a reader may see (filtered and sorted by a form that works without JavaScript), one contract
whole with the links to what may be done next, and a contract's public page (issue 12, items 1, 2 and 8)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from contracts import rules
from contracts.queries import contracts as queries
from contracts.queries import public as public_queries
from contracts.rules import ContractStatus
from core.bounds import MAX_ID
from core.clock import Clock
from core.errors import RuleBroken
from core.i18n import N_, gettext
from core.periods import FinancialYear
from menu import queries as menu_queries
from organisations import queries as org_queries
from returns.queries.ratings import public_ratings
from web.templating import form_page_offset, page, paging

PAGE_SIZE = 25
READERS = requires_role(Role.PROVIDER, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.NATIONAL_ADMIN)

SORT_CHOICES = (
    ("reference", N_("Reference, first to last")),
    ("-reference", N_("Reference, last to first")),
    ("title", N_("Title, A to Z")),
    ("-title", N_("Title, Z to A")),
    ("start_on", N_("Start date, earliest first")),
    ("-start_on", N_("Start date, latest first")),
    ("-value", N_("Value, largest first")),
    ("value", N_("Value, smallest first")),
    ("status", N_("Status")),
)


def _id(text: str | None) -> int | None:
    """A filter's id as a browser sends it; anything else means the filter is not applied."""
    try:
        value = int(text or "")
    except ValueError:
        return None
    return value if 1 <= value <= MAX_ID else None


def _year(text: str | None) -> int | None:
    try:
        value = int(text or "")
    except ValueError:
        return None
    return value if 2020 <= value <= 2100 else None


def _heading(actor: Actor) -> str:
    if actor.role is Role.PROVIDER:
        return gettext(N_("My contracts"))
    if actor.role is Role.FINANCE_DIRECTOR:
        return gettext(N_("Contracts of your health board"))
    if actor.role is Role.COMMISSIONER:
        return gettext(N_("Contracts your PCPGs manage"))
    return gettext(N_("Contracts"))


async def _pcpg_choices(actor: Actor) -> list[dict[str, Any]]:
    if actor.role is Role.PROVIDER:
        return []
    board = actor.health_board_id if actor.role is Role.FINANCE_DIRECTOR else None
    pcpgs = (await org_queries.list_pcpgs(health_board_id=board, limit=200)).items
    if actor.role is Role.COMMISSIONER:
        pcpgs = [p for p in pcpgs if p.id in actor.pcpg_ids]
    return [{"id": p.id, "name": p.name_shown} for p in pcpgs]


async def _vehicle_choices(actor: Actor) -> list[dict[str, Any]]:
    if actor.role is Role.PROVIDER:
        return []
    vehicles = (await org_queries.list_delivery_vehicles(actor=actor, limit=200)).items
    return [{"id": v.id, "name": v.name} for v in vehicles]


class ContractPages(Controller):
    path = "/contracts"
    include_in_schema = False

    @get("/", guards=[READERS])
    async def list_contracts(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        status: str | None = None,
        pcpg: str | None = None,
        delivery_vehicle: str | None = None,
        service: str | None = None,
        financial_year: str | None = None,
        sort: str | None = None,
        offset: str | None = None,
    ) -> Template:
        shown_status = status if status in set(ContractStatus) else None
        shown_sort = sort if sort in {value for value, _ in SORT_CHOICES} else "reference"
        filters: dict[str, Any] = {
            "status": shown_status,
            "pcpg": _id(pcpg),
            "delivery_vehicle": _id(delivery_vehicle) if actor.role is not Role.PROVIDER else None,
            "service": _id(service),
            "financial_year": _year(financial_year),
        }
        try:
            result = await queries.list_contracts(
                actor=actor,
                status=filters["status"],
                pcpg_id=filters["pcpg"],
                delivery_vehicle_id=filters["delivery_vehicle"],
                menu_service_id=filters["service"],
                financial_year=filters["financial_year"],
                sort=shown_sort,
                limit=PAGE_SIZE,
                offset=form_page_offset(offset),
            )
        except RuleBroken:  # an offset past any page: the first page instead
            result = await queries.list_contracts(actor=actor, sort=shown_sort, limit=PAGE_SIZE)
        current = FinancialYear.containing(clock.today().date()).start_year
        services = (await menu_queries.list_menu_services(limit=200, include_retired=True)).items
        return page(
            request,
            "contracts/contracts.html",
            {
                "title": _heading(actor),
                "contracts": result.items,
                "paging": paging(result, request),
                "filters": filters,
                "filtered": any(value is not None for value in filters.values()),
                "sort": shown_sort,
                "sorts": [{"value": value, "text": gettext(text)} for value, text in SORT_CHOICES],
                "statuses": [{"value": s.value, "text": gettext(s.label)} for s in ContractStatus],
                "pcpgs": await _pcpg_choices(actor),
                "vehicles": await _vehicle_choices(actor),
                "services": services,
                "years": [{"value": y, "text": FinancialYear(y).label} for y in range(current - 2, current + 5)],
                "can_import": rules.can_import_contracts(actor.role),
            },
        )

    @get("/{contract_id:int}", guards=[READERS])
    async def detail(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Template:
        contract = await queries.get_contract(actor=actor, contract_id=contract_id, now=clock.now())
        return page(
            request,
            "contracts/contract.html",
            {"title": f"{contract.title} ({contract.reference})", "contract": contract, "list_title": _heading(actor)},
        )

    @get("/{contract_id:int}/public")
    async def public(self, request: Request, contract_id: int) -> Template:
        contract = await public_queries.get_public_contract(contract_id=contract_id)
        return page(
            request,
            "contracts/public.html",
            {
                "title": gettext(
                    "%(title)s (%(reference)s): public page", title=contract.title, reference=contract.reference
                ),
                "contract": contract,
                "public_ratings": await public_ratings(contract_id=contract_id),  # issue 13, item 6
            },
        )
