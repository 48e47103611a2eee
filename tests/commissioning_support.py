"""Budget lines, drafts and published specifications for the tests of finance, plans and specifications (services,
API, pages, access).

Everything goes through the app's own services, so the rows are the ones a user would make.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from accounts.actor import Actor, Role
from commissioning.schemas import SpecificationIn, YearIn
from commissioning.services import specifications
from finance.schemas import BudgetLineIn
from finance.services import create_budget_line
from menu.tables import MenuService
from organisations.tables import Pcpg
from tests import factories
from tests.conftest import make_actor

CARDIFF_CLUSTERS = ("Cardiff North", "Cardiff West")
FIRST_YEAR = 2027


def now() -> datetime:
    return datetime.now(UTC)


async def pcpg_id(name: str = "Cardiff") -> int:
    return await factories.reference_id(Pcpg, name)


async def service_id(code: str = "obesity") -> int:
    row = await MenuService.select(MenuService.id).where(MenuService.code == code).first()
    assert row is not None, f"no {code} on the menu (use the `menu` fixture)"
    return int(row["id"])


async def budget_line(
    *,
    pcpg: str = "Cardiff",
    year: int = FIRST_YEAR,
    amount_pence: int = 50_000_000,
    stream: str = "cluster_funding",
    actor: Actor | None = None,
) -> Any:
    """A budget line set by a national admin (or the actor given)."""
    actor = actor or await make_actor(Role.NATIONAL_ADMIN)
    return await create_budget_line(
        actor=actor,
        data=BudgetLineIn(
            pcpg_id=await pcpg_id(pcpg),
            financial_year=year,
            funding_stream=stream,  # type: ignore[arg-type]
            amount_pence=amount_pence,
        ),
        now=now(),
    )


async def lines_for_term(*, pcpg: str = "Cardiff", years: int = 2, amount_pence: int = 50_000_000) -> list[Any]:
    return [
        await budget_line(pcpg=pcpg, year=FIRST_YEAR + offset, amount_pence=amount_pence) for offset in range(years)
    ]


async def specification_in(
    lines: list[Any],
    *,
    pcpg: str = "Cardiff",
    code: str = "obesity",
    clusters: tuple[str, ...] = CARDIFF_CLUSTERS,
    value_pence: int = 20_000_000,
    deadline: datetime | None = None,
    **changes: Any,
) -> SpecificationIn:
    """A complete draft over the lines' years: publishable as it stands."""
    values: dict[str, Any] = {
        "pcpg_id": await pcpg_id(pcpg),
        "menu_service_id": await service_id(code),
        "start_financial_year": min(line.financial_year for line in lines) if lines else FIRST_YEAR,
        "term_years": len(lines) or 1,
        "cluster_ids": await factories.cluster_ids(*clusters),
        "years": [
            YearIn(financial_year=line.financial_year, max_value_pence=value_pence, budget_line_id=line.id)
            for line in lines
        ],
        "bid_deadline_at": deadline or now() + timedelta(days=30),
        "clarification_contact": "Commissioning team, commissioning@example.org",
    }
    return SpecificationIn(**{**values, **changes})


async def draft(commissioner: Actor, lines: list[Any], *, at: datetime | None = None, **options: Any) -> Any:
    return await specifications.create_specification(
        actor=commissioner, data=await specification_in(lines, **options), now=at or now()
    )


async def published(commissioner: Actor, lines: list[Any], *, at: datetime | None = None, **options: Any) -> Any:
    spec = await draft(commissioner, lines, at=at, **options)
    result = await specifications.publish_specification(actor=commissioner, specification_id=spec.id, now=at or now())
    return result.specification
