"""Write operations on the menu: load from the national CSV, add, edit (a new version each time), retire."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any

from accounts.actor import Actor
from audit.operation import Recorder, operation
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken
from menu import queries, rules
from menu.schemas import MenuKpiIn, MenuServiceIn, MenuServiceOut, MenuSourcesIn, NewMenuServiceIn
from menu.tables import MenuKpi, MenuService, MenuServiceVersion

DATA_DIR = Path(__file__).parent / "data"


def _check(data: MenuServiceIn) -> None:
    problem = rules.price_range_problem(data.price_min_pence, data.price_max_pence)
    if problem:
        raise RuleBroken(problem, field="price_min_pence")
    if not data.kpis:
        raise RuleBroken("Suggest at least one KPI", field="kpis")
    names = [kpi.name.strip().lower() for kpi in data.kpis]
    if len(set(names)) != len(names):
        raise RuleBroken("Each KPI needs a different name", field="kpis")


# What a version holds besides its sources, price basis and change note (as _version_values makes them).
VERSION_FIELDS = (
    "name",
    "name_cy",
    "description",
    "description_cy",
    "translation_status",
    "category",
    "unit_of_activity",
    "unit_of_activity_cy",
    "price_min_pence",
    "price_max_pence",
    "price_note",
)


def _version_values(data: MenuServiceIn) -> dict[str, Any]:
    return {
        "name": data.name.strip(),
        "name_cy": data.name_cy.strip(),
        "description": data.description.strip(),
        "description_cy": data.description_cy.strip(),
        "translation_status": data.translation_status,
        "category": data.category,
        "unit_of_activity": data.unit_of_activity.strip(),
        "unit_of_activity_cy": data.unit_of_activity_cy.strip(),
        "price_min_pence": data.price_min_pence,
        "price_max_pence": data.price_max_pence,
        "price_note": data.price_note.strip(),
    }


def _kpi_values(kpis: list[MenuKpiIn], code: str) -> list[dict[str, Any]]:
    return [
        {
            "code": kpi.code or f"{code}-{position + 1}",
            "name": kpi.name.strip(),
            "name_cy": kpi.name_cy.strip(),
            "unit": kpi.unit.strip(),
            "direction": kpi.direction,
            "typical_target": kpi.typical_target.strip(),
        }
        for position, kpi in enumerate(kpis)
    ]


async def _save_version(
    op: Recorder,
    *,
    service_id: int,
    version: int,
    values: dict[str, Any],
    kpis: list[dict[str, Any]],
    extra: dict[str, Any],
) -> int:
    row = MenuServiceVersion(
        menu_service=service_id,
        version=version,
        created_at=op.now,
        created_by_username=op.actor.username,
        **values,
        **extra,
    )
    await row.save()
    if kpis:
        await MenuKpi.insert(*[MenuKpi(menu_service_version=row.id, position=i, **kpi) for i, kpi in enumerate(kpis)])
    return int(row.id)


def _price_basis(current: str, price_min_pence: int | None) -> str:
    """A range keeps the basis it had; one given where there was none is worked out like an added service's."""
    if price_min_pence is None:
        return "none"
    return current if current != "none" else "derived_from_staffing"


async def add_menu_service(*, actor: Actor, data: NewMenuServiceIn, now: datetime) -> MenuServiceOut:
    _check(data)
    async with operation("menu_service.added", actor=actor, now=now) as op:
        if await MenuService.exists().where(MenuService.code == data.code):
            raise Conflict("A service with the code %(code)s is already on the menu", field="code", code=data.code)
        service = MenuService(code=data.code, current_version=1)
        await service.save()
        values = _version_values(data)
        kpis = _kpi_values(data.kpis, data.code)
        basis = "derived_from_staffing" if data.price_min_pence is not None else "none"
        await _save_version(
            op,
            service_id=service.id,
            version=1,
            values=values,
            kpis=kpis,
            extra={"price_basis": basis, "change_note": data.change_note.strip()},
        )
        op.record("MenuService", service.id, after={"code": data.code, "version": 1, **values, "kpis": kpis})
    return await queries.get_menu_service(service.id)


async def edit_menu_service(
    *, actor: Actor, menu_service_id: int, data: MenuServiceIn, now: datetime
) -> MenuServiceOut:
    """A new version; the old one stays, so specifications written from it still read as written."""
    _check(data)
    async with operation("menu_service.edited", actor=actor, now=now) as op:
        current = await queries.get_menu_service(menu_service_id)
        if current.retired:
            raise Conflict("A retired service cannot be edited")
        values = _version_values(data)
        kpis = _kpi_values(data.kpis, current.code)
        before_values = {key: getattr(current, key) for key in values}
        before_kpis = [
            {
                "code": k.code,
                "name": k.name,
                "name_cy": k.name_cy,
                "unit": k.unit,
                "direction": k.direction,
                "typical_target": k.typical_target,
            }
            for k in current.kpis
        ]
        if rules.is_same_content({**before_values, "kpis": before_kpis}, {**values, "kpis": kpis}):
            raise RuleBroken("Nothing has changed, so no new version was made", field="name")
        kpis_changed = kpis != before_kpis  # before the sources are copied onto them below
        known = {k.code: k for k in current.kpis}
        for kpi in kpis:
            if kpi["code"] in known:
                kpi["target_source"] = known[kpi["code"]].target_source
                kpi["source"] = known[kpi["code"]].source
        version = current.current_version + 1
        await _save_version(
            op,
            service_id=menu_service_id,
            version=version,
            values=values,
            kpis=kpis,
            extra={
                "price_basis": _price_basis(current.price_basis, data.price_min_pence),
                "source": current.source,
                "change_note": data.change_note.strip(),
            },
        )
        await MenuService.update({MenuService.current_version: version}).where(MenuService.id == menu_service_id)
        changed = {key: value for key, value in values.items() if before_values[key] != value}
        op.record(
            "MenuService",
            menu_service_id,
            before={"version": current.current_version, **{key: before_values[key] for key in changed}},
            after={"version": version, **changed, **({"kpis": kpis} if kpis_changed else {})},
        )
    return await queries.get_menu_service(menu_service_id)


async def edit_menu_service_sources(
    *, actor: Actor, menu_service_id: int, data: MenuSourcesIn, now: datetime
) -> MenuServiceOut:
    """Correct or add where a service and its KPIs come from (DOMAIN.md: reference data keeps its sources). A new
    version like any edit, so a specification keeps the sources it was written with."""
    if not rules.can_edit_menu(actor):
        raise NotAllowed("Only a national administrator edits the menu")
    async with operation("menu_service.sources_edited", actor=actor, now=now) as op:
        current = await queries.get_menu_service(menu_service_id)
        if current.retired:
            raise Conflict("A retired service cannot be edited")
        known = {kpi.code: kpi for kpi in current.kpis}
        given = {kpi.code: kpi for kpi in data.kpis}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise RuleBroken("This service has no KPI with the code %(code)s", field="kpis", code=unknown[0])
        source = rules.normalised_sources(data.source)
        kpis = [
            {
                "code": kpi.code,
                "name": kpi.name,
                "name_cy": kpi.name_cy,
                "unit": kpi.unit,
                "direction": kpi.direction,
                "typical_target": kpi.typical_target,
                "target_source": given[kpi.code].target_source.strip() if kpi.code in given else kpi.target_source,
                "source": rules.normalised_sources(given[kpi.code].source) if kpi.code in given else kpi.source,
            }
            for kpi in current.kpis
        ]
        changed_kpis = {
            kpi["name"]: {"source": kpi["source"], "target_source": kpi["target_source"]}
            for kpi in kpis
            if (kpi["source"], kpi["target_source"]) != (known[kpi["code"]].source, known[kpi["code"]].target_source)
        }
        if source == current.source and not changed_kpis:
            raise RuleBroken("Nothing has changed, so no new version was made", field="source")
        version = current.current_version + 1
        values = {key: getattr(current, key) for key in VERSION_FIELDS}
        await _save_version(
            op,
            service_id=menu_service_id,
            version=version,
            values=values,
            kpis=kpis,
            extra={
                "price_basis": current.price_basis,
                "source": source,
                "change_note": data.change_note.strip(),
            },
        )
        await MenuService.update({MenuService.current_version: version}).where(MenuService.id == menu_service_id)
        op.record(
            "MenuService",
            menu_service_id,
            before={"name": current.name, "version": current.current_version, "source": current.source},
            after={"version": version, "source": source, **({"kpis": changed_kpis} if changed_kpis else {})},
        )
    return await queries.get_menu_service(menu_service_id)


async def retire_menu_service(*, actor: Actor, menu_service_id: int, reason: str, now: datetime) -> MenuServiceOut:
    async with operation("menu_service.retired", actor=actor, now=now) as op:
        row = await MenuService.select().where(MenuService.id == menu_service_id).first()
        if row is None:
            raise NotFound("No such service on the menu")
        if row["retired_at"] is not None:
            raise Conflict("This service is already retired")
        if not reason.strip():
            raise RuleBroken("Give the reason for retiring the service", field="reason")
        await MenuService.update(
            {
                MenuService.retired_at: now,
                MenuService.retired_by_username: actor.username,
                MenuService.retirement_reason: reason.strip(),
            }
        ).where(MenuService.id == menu_service_id)
        op.record("MenuService", menu_service_id, before={"retired": False}, after={"retired": True, "reason": reason})
    return await queries.get_menu_service(menu_service_id)


def _pence(pounds: str) -> int | None:
    return int(pounds) * 100 if pounds.strip() else None


async def load_menu(*, actor: Actor, now: datetime) -> int:
    """Add the national menu's services that are not here yet; never overwrite an administrator's edits."""
    with (DATA_DIR / "menu-kpis.csv").open(encoding="utf-8", newline="") as handle:
        kpi_rows = list(csv.DictReader(handle))
    with (DATA_DIR / "menu-of-cluster-services.csv").open(encoding="utf-8", newline="") as handle:
        service_rows = list(csv.DictReader(handle))
    added = 0
    async with operation("menu_service.loaded", actor=actor, now=now) as op:
        existing = {row["code"] for row in await MenuService.select(MenuService.code)}
        for row in service_rows:
            if row["code"] in existing:
                continue
            service = MenuService(code=row["code"], current_version=1)
            await service.save()
            values = {
                "name": row["service"],
                "name_cy": row["service_cy"],
                "description": row["description"],
                "description_cy": row["description_cy"],
                "translation_status": row["translation_status"] or "draft",
                "category": row["category"],
                "unit_of_activity": row["unit_of_activity"],
                "unit_of_activity_cy": row["unit_of_activity_cy"],
                "price_min_pence": _pence(row["annual_price_min_pounds"]),
                "price_max_pence": _pence(row["annual_price_max_pounds"]),
                "price_basis": row["price_basis"],
                "price_note": row["price_note"],
                "source": row["source"],
            }
            kpis = [
                {
                    "code": k["kpi_code"],
                    "name": k["name"],
                    "name_cy": k["name_cy"],
                    "unit": k["unit"],
                    "direction": k["direction"],
                    "typical_target": k["typical_target"],
                    "target_source": k["target_source"],
                    "source": k["source"],
                }
                for k in kpi_rows
                if k["service_code"] == row["code"]
            ]
            await _save_version(
                op,
                service_id=service.id,
                version=1,
                values=values,
                kpis=kpis,
                extra={"change_note": "Loaded from the national menu"},
            )
            op.record(
                "MenuService", service.id, after={"code": row["code"], "version": 1}, action="menu_service.loaded"
            )
            added += 1
    return added
