"""Pages: browse the menu (anyone), add, edit and retire services (national administrators)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from core.clock import Clock
from core.errors import DomainError
from core.i18n import gettext
from core.money import parse_pounds
from menu import queries, rules, services
from menu.schemas import MenuServiceIn, NewMenuServiceIn
from web.forms import field_of_validation_message
from web.templating import error_list, page, with_flash

ADMIN = requires_role(Role.NATIONAL_ADMIN)
BLANK_KPI_ROWS = 2
KPI_FIELDS = ("code", "name", "name_cy", "unit", "direction", "typical_target")
REQUIRED = {
    "name": "Enter the service name in English",
    "name_cy": "Enter the service name in Welsh",
    "description": "Enter the description in English",
    "description_cy": "Enter the description in Welsh",
    "category": "Select a category",
    "unit_of_activity": "Enter the unit of activity in English",
    "unit_of_activity_cy": "Enter the unit of activity in Welsh",
}


def _form_values(form: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        key: str(form.get(key, "")).strip()
        for key in (*REQUIRED, "code", "translation_status", "price_note", "change_note", "price_min", "price_max")
    }
    kpis = []
    index = 0
    while f"kpis-{index}-name" in form or f"kpis-{index}-unit" in form:
        row = {field: str(form.get(f"kpis-{index}-{field}", "")).strip() for field in KPI_FIELDS}
        if any(row[field] for field in ("name", "name_cy", "unit", "typical_target")):
            kpis.append(row)
        index += 1
    values["kpis"] = kpis
    return values


def _to_input(values: dict[str, Any], errors: dict[str, str], *, new: bool) -> dict[str, Any] | None:
    for field, message in REQUIRED.items():
        if not values[field]:
            errors[field] = gettext(message)
    prices: dict[str, int | None] = {}
    for field in ("price_min", "price_max"):
        try:
            prices[field] = parse_pounds(values[field], field=field) if values[field] else None
        except DomainError as exc:
            errors[field] = gettext(exc.message)
    if new and not values["code"]:
        errors["code"] = gettext("Enter a short code, like weight-management")
    for index, kpi in enumerate(values["kpis"]):
        for field, message in (
            ("name", "Enter the KPI name in English"),
            ("name_cy", "Enter the KPI name in Welsh"),
            ("unit", "Enter the KPI's unit"),
        ):
            if not kpi[field]:
                errors.setdefault(f"kpis-{index}-{field}", gettext(message))
        if kpi["direction"] not in rules.DIRECTIONS:
            errors.setdefault(f"kpis-{index}-direction", gettext("Select whether higher or lower is better"))
    if not values["kpis"]:
        errors["kpis-0-name"] = gettext("Suggest at least one KPI")
    if errors:
        return None
    return {
        **{key: values[key] for key in REQUIRED},
        "translation_status": values["translation_status"] or "draft",
        "price_min_pence": prices["price_min"],
        "price_max_pence": prices["price_max"],
        "price_note": values["price_note"],
        "change_note": values["change_note"],
        "kpis": values["kpis"],
        **({"code": values["code"]} if new else {}),
    }


def _kpi_rows(kpis: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return list(kpis) + [dict.fromkeys(KPI_FIELDS, "") for _ in range(BLANK_KPI_ROWS)]


def _values_from(service: Any) -> dict[str, Any]:
    values = {key: getattr(service, key) for key in (*REQUIRED, "code", "translation_status", "price_note")}
    values["price_min"] = f"{service.price_min_pence / 100:.2f}" if service.price_min_pence is not None else ""
    values["price_max"] = f"{service.price_max_pence / 100:.2f}" if service.price_max_pence is not None else ""
    values["change_note"] = ""
    values["kpis"] = [{field: getattr(kpi, field) for field in KPI_FIELDS} for kpi in service.kpis]
    return values


class MenuPages(Controller):
    path = "/menu"
    include_in_schema = False

    @get("/")
    async def browse(self, request: Request, category: str | None = None) -> Template:
        category = category if category in rules.CATEGORIES else None
        result = await queries.list_menu_services(category=category, limit=200)
        return page(
            request,
            "menu/browse.html",
            {
                "title": gettext("Menu of cluster services"),
                "services": result.items,
                "categories": rules.CATEGORIES,
                "category": category,
            },
        )

    @get("/{menu_service_id:int}")
    async def detail(self, request: Request, menu_service_id: int, version: int | None = None) -> Template:
        service = await queries.get_menu_service(menu_service_id, version=version)
        language = request.scope["state"]["language"]
        return page(
            request,
            "menu/detail.html",
            {
                "title": service.name_cy if language == "cy" else service.name,
                "service": service,
                "versions": await queries.list_versions(menu_service_id),
                "categories": rules.CATEGORIES,
            },
        )

    def _form(
        self,
        request: Request,
        *,
        title: str,
        action: str,
        values: dict[str, Any],
        errors: dict[str, str],
        new: bool,
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "menu/form.html",
            {
                "title": title,
                "action": action,
                "values": values,
                "kpi_rows": _kpi_rows(values.get("kpis", [])),
                "errors": errors,
                "error_list": error_list(errors),
                "categories": rules.CATEGORIES,
                "new": new,
            },
            status_code=status_code,
        )

    @get("/new", guards=[ADMIN])
    async def new_form(self, request: Request) -> Template:
        values: dict[str, Any] = dict.fromkeys(
            (*REQUIRED, "code", "price_min", "price_max", "price_note", "change_note"), ""
        )
        values.update(translation_status="draft", kpis=[])
        return self._form(
            request, title=gettext("Add a service to the menu"), action="/menu/new", values=values, errors={}, new=True
        )

    @post("/new", guards=[ADMIN])
    async def add(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        values = _form_values(await request.form())
        errors: dict[str, str] = {}
        raw = _to_input(values, errors, new=True)
        if raw is not None:
            try:
                service = await services.add_menu_service(
                    actor=actor, data=msgspec.convert(raw, NewMenuServiceIn, strict=False), now=clock.now()
                )
            except msgspec.ValidationError as exc:
                errors[field_of_validation_message(str(exc)) or "name"] = gettext("Check this answer")
            except DomainError as exc:
                errors[exc.field or "name"] = gettext(exc.message, **exc.params)
            else:
                return _done(service.id, "menu_added")
        return self._form(
            request,
            title=gettext("Add a service to the menu"),
            action="/menu/new",
            values=values,
            errors=errors,
            new=True,
            status_code=400,
        )

    @get("/{menu_service_id:int}/edit", guards=[ADMIN])
    async def edit_form(self, request: Request, menu_service_id: int) -> Template:
        service = await queries.get_menu_service(menu_service_id)
        return self._form(
            request,
            title=gettext("Edit %(name)s", name=service.name),
            action=f"/menu/{menu_service_id}/edit",
            values=_values_from(service),
            errors={},
            new=False,
        )

    @post("/{menu_service_id:int}/edit", guards=[ADMIN])
    async def edit(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], menu_service_id: int
    ) -> Response[Any]:
        service = await queries.get_menu_service(menu_service_id)
        values = _form_values(await request.form())
        values["code"] = service.code
        errors: dict[str, str] = {}
        raw = _to_input(values, errors, new=False)
        if raw is not None:
            try:
                await services.edit_menu_service(
                    actor=actor,
                    menu_service_id=menu_service_id,
                    data=msgspec.convert(raw, MenuServiceIn, strict=False),
                    now=clock.now(),
                )
            except msgspec.ValidationError as exc:
                errors[field_of_validation_message(str(exc)) or "name"] = gettext("Check this answer")
            except DomainError as exc:
                errors[exc.field or "name"] = gettext(exc.message, **exc.params)
            else:
                return _done(menu_service_id, "menu_edited")
        return self._form(
            request,
            title=gettext("Edit %(name)s", name=service.name),
            action=f"/menu/{menu_service_id}/edit",
            values=values,
            errors=errors,
            new=False,
            status_code=400,
        )

    @get("/{menu_service_id:int}/retire", guards=[ADMIN])
    async def retire_form(self, request: Request, menu_service_id: int) -> Template:
        service = await queries.get_menu_service(menu_service_id)
        return page(
            request,
            "menu/retire.html",
            {"title": gettext("Retire %(name)s", name=service.name), "service": service, "errors": {}, "reason": ""},
        )

    @post("/{menu_service_id:int}/retire", guards=[ADMIN])
    async def retire(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], menu_service_id: int
    ) -> Response[Any]:
        reason = str((await request.form()).get("reason", "")).strip()
        try:
            await services.retire_menu_service(
                actor=actor, menu_service_id=menu_service_id, reason=reason, now=clock.now()
            )
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            service = await queries.get_menu_service(menu_service_id)
            errors = {exc.field or "reason": gettext(exc.message, **exc.params)}
            return page(
                request,
                "menu/retire.html",
                {
                    "title": gettext("Retire %(name)s", name=service.name),
                    "service": service,
                    "errors": errors,
                    "error_list": error_list(errors),
                    "reason": reason,
                },
                status_code=400,
            )
        return _done(menu_service_id, "menu_retired")


def _done(menu_service_id: int, flash: str) -> Redirect:
    response = Redirect(path=f"/menu/{menu_service_id}")
    with_flash(response, flash)
    return response
