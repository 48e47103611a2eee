"""Reads of the menu: the current version of each service, or a given version (for specifications)."""

from __future__ import annotations

from typing import Any

from accounts.queries import full_names
from core.cache import cached_read
from core.errors import NotFound
from core.i18n import gettext, in_reading_language
from core.pagination import Page, check_window
from menu import rules
from menu.schemas import MenuKpiOut, MenuServiceOut, MenuVersionSummary
from menu.tables import MenuKpi, MenuService, MenuServiceVersion

# The menu changes only by a national administrator's edit: kept in the process, dropped when written (core/cache.py).
MENU_TABLES = ("menu_service", "menu_service_version", "menu_kpi")


async def _kpis(version_ids: list[int]) -> dict[int, list[MenuKpiOut]]:
    if not version_ids:
        return {}
    rows = (
        await MenuKpi.select(*MenuKpi.all_columns(), in_reading_language(MenuKpi.name, MenuKpi.name_cy, alias="shown"))
        .where(MenuKpi.menu_service_version.is_in(version_ids))
        .order_by(MenuKpi.position)
    )
    grouped: dict[int, list[MenuKpiOut]] = {}
    for row in rows:
        grouped.setdefault(row["menu_service_version"], []).append(
            MenuKpiOut(
                code=row["code"],
                name=row["name"],
                name_cy=row["name_cy"],
                unit=row["unit"],
                direction=row["direction"],
                typical_target=row["typical_target"],
                target_source=row["target_source"],
                source=row["source"],
                name_shown=row["shown"],
                unit_shown=unit_shown(row["unit"]),
            )
        )
    return grouped


def unit_shown(unit: str) -> str:
    """A KPI's unit in the reader's language (menu.rules.KPI_UNITS); one of its own as it was typed."""
    label = rules.unit_label(unit)
    return gettext(label) if label else unit


def _out(service: dict[str, Any], version: dict[str, Any], kpis: list[MenuKpiOut]) -> MenuServiceOut:
    return MenuServiceOut(
        id=service["id"],
        code=service["code"],
        version=version["version"],
        version_id=version["id"],
        current_version=service["current_version"],
        name=version["name"],
        name_cy=version["name_cy"],
        description=version["description"],
        description_cy=version["description_cy"],
        translation_status=version["translation_status"],
        category=version["category"],
        unit_of_activity=version["unit_of_activity"],
        unit_of_activity_cy=version["unit_of_activity_cy"],
        price_min_pence=version["price_min_pence"],
        price_max_pence=version["price_max_pence"],
        price_basis=version["price_basis"],
        price_note=version["price_note"],
        source=version["source"],
        kpis=kpis,
        retired=service["retired_at"] is not None,
        retired_at=service["retired_at"],
        created_at=version["created_at"],
        created_by=version["created_by_username"],
        change_note=version["change_note"],
    )


@cached_read(*MENU_TABLES)
async def list_menu_services(
    *, category: str | None = None, include_retired: bool = False, limit: int = 50, offset: int = 0
) -> Page[MenuServiceOut]:
    """Current versions, by name; a short catalogue, so filtered in Python after one read."""
    check_window(limit, offset)
    services = {row["id"]: row for row in await MenuService.select()}
    versions = await MenuServiceVersion.select().order_by(MenuServiceVersion.name)
    current = [
        v
        for v in versions
        if v["version"] == services[v["menu_service"]]["current_version"]
        and (include_retired or services[v["menu_service"]]["retired_at"] is None)
        and (category is None or v["category"] == category)
    ]
    window = current[offset : offset + limit]
    kpis = await _kpis([v["id"] for v in window])
    items = [_out(services[v["menu_service"]], v, kpis.get(v["id"], [])) for v in window]
    return Page(items=items, total=len(current), limit=limit, offset=offset)


@cached_read(*MENU_TABLES)
async def get_menu_service(menu_service_id: int, *, version: int | None = None) -> MenuServiceOut:
    service = await MenuService.select().where(MenuService.id == menu_service_id).first()
    if service is None:
        raise NotFound("No such service on the menu")
    wanted = version or service["current_version"]
    row = (
        await MenuServiceVersion.select()
        .where((MenuServiceVersion.menu_service == menu_service_id) & (MenuServiceVersion.version == wanted))
        .first()
    )
    if row is None:
        raise NotFound("No such version of this service")
    return _out(service, row, (await _kpis([row["id"]])).get(row["id"], []))


@cached_read(*MENU_TABLES)
async def get_menu_version(version_id: int) -> MenuServiceOut:
    """A specific version, as a specification refers to it."""
    row = await MenuServiceVersion.select().where(MenuServiceVersion.id == version_id).first()
    if row is None:
        raise NotFound("No such version of this service")
    service = await MenuService.select().where(MenuService.id == row["menu_service"]).first()
    assert service is not None
    return _out(service, row, (await _kpis([row["id"]])).get(row["id"], []))


@cached_read(*MENU_TABLES)
async def list_versions(menu_service_id: int) -> list[MenuVersionSummary]:
    """Newest first, each with who made it by full name (a person's name does not change, so the menu's cache
    holds it; None for the national menu's own load)."""
    rows = (
        await MenuServiceVersion.select()
        .where(MenuServiceVersion.menu_service == menu_service_id)
        .order_by(MenuServiceVersion.version, ascending=False)
    )
    names = await full_names(row["created_by_username"] for row in rows)
    return [
        MenuVersionSummary(
            version=row["version"],
            version_id=row["id"],
            created_at=row["created_at"],
            created_by=row["created_by_username"],
            change_note=row["change_note"],
            created_by_name=names.get(row["created_by_username"]),
        )
        for row in rows
    ]
