"""Pages: browse the menu (anyone), add, edit and retire services (national administrators)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from core.clock import Clock
from core.i18n import N_, gettext
from core.money import pounds_input
from menu import queries, rules, services
from menu.schemas import MenuServiceIn, MenuServiceOut, MenuSourcesIn, NewMenuServiceIn, RetireIn
from web.forms import Form, error_summary, read_form
from web.templating import page, with_flash

ADMIN = requires_role(Role.NATIONAL_ADMIN)
BLANK_KPI_ROWS = 2
KPI_FIELDS = ("code", "name", "name_cy", "unit", "direction", "typical_target")
REQUIRED = {
    "name": N_("Enter the service name in English"),
    "name_cy": N_("Enter the service name in Welsh"),
    "description": N_("Enter the description in English"),
    "description_cy": N_("Enter the description in Welsh"),
    "category": N_("Select a category"),
    "unit_of_activity": N_("Enter the unit of activity in English"),
    "unit_of_activity_cy": N_("Enter the unit of activity in Welsh"),
}
MESSAGES = {
    **REQUIRED,
    "code": N_("Enter a short code, like weight-management"),
    "kpis": N_("Suggest at least one KPI"),
    "kpis.name": N_("Enter the KPI name in English"),
    "kpis.name_cy": N_("Enter the KPI name in Welsh"),
    "kpis.unit": N_("Enter the KPI's unit"),
    "kpis.direction": N_("Select whether higher or lower is better"),
}
SOURCE_MESSAGES = {
    "source": N_("Enter the sources in 8,000 characters or fewer"),
    "kpis.source": N_("Enter the KPI's sources in 4,000 characters or fewer"),
    "kpis.target_source": N_("Enter where the target comes from in 2,000 characters or fewer"),
    "change_note": N_("Enter what changed in 2,000 characters or fewer"),
}
PRICES = {"price_min": "price_min_pence", "price_max": "price_max_pence"}
IDS = {"price_min_pence": "price_min", "price_max_pence": "price_max", "kpis": "kpis-0-name"}
# A KPI row is answered once any of these is typed (its hidden code and unticked radios do not count).
KPI_ROWS = {"kpis": ("name", "name_cy", "unit", "typical_target")}


async def _read(request: Request, schema: type[Any]) -> Form[Any]:
    return await read_form(
        request, schema, messages=MESSAGES, pounds=PRICES, ids=IDS, rows=KPI_ROWS, required=("kpis",)
    )


def _kpi_rows(kpis: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return list(kpis) + [dict.fromkeys(KPI_FIELDS, "") for _ in range(BLANK_KPI_ROWS)]


def _values_from(service: MenuServiceOut) -> dict[str, Any]:
    values: dict[str, Any] = {
        key: getattr(service, key) for key in (*REQUIRED, "code", "translation_status", "price_note")
    }
    values["price_min"] = pounds_input(service.price_min_pence)
    values["price_max"] = pounds_input(service.price_max_pence)
    values["change_note"] = ""
    values["kpis"] = [{field: getattr(kpi, field) for field in KPI_FIELDS} for kpi in service.kpis]
    return values


class MenuPages(Controller):
    path = "/menu"
    include_in_schema = False

    @get("/")
    async def browse(
        self, request: Request, maybe_actor: NamedDependency[Actor | None], category: str | None = None
    ) -> Template:
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
                "can_add": rules.can_edit_menu(maybe_actor),
            },
        )

    @get("/{menu_service_id:int}")
    async def detail(
        self,
        request: Request,
        maybe_actor: NamedDependency[Actor | None],
        menu_service_id: int,
        version: int | None = None,
    ) -> Template:
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
                "is_latest": rules.is_latest_version(service.version, service.current_version),
                "welsh_draft": rules.shows_welsh_draft_notice(language, service.translation_status),
                "sources": rules.source_list(service.source),
                "kpi_sources": [
                    (kpi, rules.source_list(kpi.source), kpi.target_source)
                    for kpi in service.kpis
                    if kpi.source or kpi.target_source
                ],
                "can_change": rules.can_change_service(
                    maybe_actor,
                    retired=service.retired,
                    version=service.version,
                    current_version=service.current_version,
                ),
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
                "error_list": error_summary(errors),
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
        form = await _read(request, NewMenuServiceIn)
        service = await form.run(
            lambda data: services.add_menu_service(actor=actor, data=data, now=clock.now()), default_field="name"
        )
        if service is not None:
            return _done(service.id, "menu_added")
        return self._form(
            request,
            title=gettext("Add a service to the menu"),
            action="/menu/new",
            values=form.values,
            errors=form.errors,
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
        form = await _read(request, MenuServiceIn)
        await form.run(
            lambda data: services.edit_menu_service(
                actor=actor, menu_service_id=menu_service_id, data=data, now=clock.now()
            ),
            default_field="name",
        )
        if form.ok:
            return _done(menu_service_id, "menu_edited")
        return self._form(
            request,
            title=gettext("Edit %(name)s", name=service.name),
            action=f"/menu/{menu_service_id}/edit",
            values={**form.values, "code": service.code},
            errors=form.errors,
            new=False,
            status_code=400,
        )

    def _sources_form(
        self,
        request: Request,
        service: MenuServiceOut,
        values: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "menu/sources.html",
            {
                "title": gettext("Sources for %(name)s", name=service.name),
                "service": service,
                "values": values,
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=status_code,
        )

    @get("/{menu_service_id:int}/sources", guards=[ADMIN])
    async def sources_form(self, request: Request, menu_service_id: int) -> Template:
        """One source per line, for the service and for each KPI and its typical target."""
        service = await queries.get_menu_service(menu_service_id)
        values = {
            "source": "\n".join(rules.source_list(service.source)),
            "change_note": "",
            "kpis": [
                {
                    "code": kpi.code,
                    "name_shown": kpi.name_shown,
                    "source": "\n".join(rules.source_list(kpi.source)),
                    "target_source": kpi.target_source,
                }
                for kpi in service.kpis
            ],
        }
        return self._sources_form(request, service, values, {})

    @post("/{menu_service_id:int}/sources", guards=[ADMIN])
    async def edit_sources(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], menu_service_id: int
    ) -> Response[Any]:
        service = await queries.get_menu_service(menu_service_id)
        form = await read_form(request, MenuSourcesIn, rows={"kpis": ("code",)}, messages=SOURCE_MESSAGES)
        await form.run(
            lambda data: services.edit_menu_service_sources(
                actor=actor, menu_service_id=menu_service_id, data=data, now=clock.now()
            ),
            default_field="source",
        )
        if form.ok:
            return _done(menu_service_id, "menu_sources_edited")
        names = {kpi.code: kpi for kpi in service.kpis}
        rows = [
            {**row, "name_shown": names[row["code"]].name_shown if row.get("code") in names else row.get("code", "")}
            for row in form.values.get("kpis", [])
        ]
        return self._sources_form(request, service, {**form.values, "kpis": rows}, form.errors, status_code=400)

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
        form = await read_form(request, RetireIn, messages={"reason": N_("Give the reason for retiring the service")})
        await form.run(
            lambda data: services.retire_menu_service(
                actor=actor, menu_service_id=menu_service_id, reason=data.reason, now=clock.now()
            ),
            default_field="reason",
        )
        if form.ok:
            return _done(menu_service_id, "menu_retired")
        service = await queries.get_menu_service(menu_service_id)
        return page(
            request,
            "menu/retire.html",
            {
                "title": gettext("Retire %(name)s", name=service.name),
                "service": service,
                "errors": form.errors,
                "error_list": error_summary(form.errors),
                "reason": form.values.get("reason", ""),
            },
            status_code=400,
        )


def _done(menu_service_id: int, flash: str) -> Redirect:
    return with_flash(Redirect(path=f"/menu/{menu_service_id}"), flash)
