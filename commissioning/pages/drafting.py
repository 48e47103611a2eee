"""Pages for commissioners: their specifications, a new draft from the menu, each section of a draft, then
publish (with the budget effect shown first), cancel, or open evaluation."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning import rules
from commissioning.pages.sections import SECTIONS, Section, years_ahead
from commissioning.queries import specifications as specification_queries
from commissioning.schemas import (
    CancelIn,
    SpecificationChangeIn,
    SpecificationIn,
    SpecificationOut,
)
from commissioning.services import specifications
from core.clock import Clock
from core.errors import DomainError, NotFound
from core.i18n import N_, gettext
from menu import queries as menu_queries
from organisations import queries as org_queries
from web.forms import error_summary, read_form
from web.templating import form_page_offset, page, paging, with_flash

COMMISSIONER = requires_role(Role.COMMISSIONER)
CANCEL_MESSAGES = {"reason": N_("Give the reason for cancelling")}


async def _save(
    actor: Actor, clock: Clock, specification_id: int, changes: dict[str, Any], errors: dict[str, str]
) -> bool:
    """Apply a section's changes through the same service as the API; errors land beside their field."""
    try:
        await specifications.update_specification(
            actor=actor,
            specification_id=specification_id,
            changes=msgspec.convert(changes, SpecificationChangeIn, strict=False),
            now=clock.now(),
        )
    except msgspec.ValidationError as exc:
        from web.forms import field_of_validation_message

        errors.setdefault(
            (field_of_validation_message(str(exc)) or "title").split(".")[0].split("[")[0], gettext("Check this answer")
        )
        return False
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        errors.setdefault(exc.field or "title", gettext(exc.message, **exc.params))
        return False
    return True


class DraftingPages(Controller):
    path = "/specifications"
    include_in_schema = False
    guards = [COMMISSIONER]

    @get("/")
    async def mine(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        status: str | None = None,
        offset: str | None = None,
    ) -> Template:
        status = status if status in rules.STATUSES else None
        result = await specification_queries.list_specifications(
            actor=actor,
            now=clock.now(),
            status=status,
            pcpg_ids=actor.pcpg_ids,
            limit=25,
            offset=form_page_offset(offset),
        )
        return page(
            request,
            "commissioning/mine.html",
            {
                "title": gettext("Specifications"),
                "specs": result.items,
                "paging": paging(result, request),
                "status_label": gettext(rules.STATUSES[status]) if status else "",
                "filters": [
                    {"href": "/specifications", "text": gettext("All"), "current": status is None},
                    *(
                        {"href": f"/specifications?status={code}", "text": gettext(name), "current": code == status}
                        for code, name in rules.STATUSES.items()
                    ),
                ],
            },
        )

    async def _new_page(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "commissioning/new.html",
            {
                "title": gettext("Write a specification"),
                "values": values,
                "errors": errors,
                "error_list": error_summary(errors),
                "services": (await menu_queries.list_menu_services(limit=200)).items,
                "pcpgs": [await org_queries.get_pcpg(p) for p in actor.pcpg_ids],
                "years": years_ahead(clock),
                "routes": rules.ROUTES,
            },
            status_code=status_code,
        )

    @get("/new")
    async def new_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], service: str = ""
    ) -> Template:
        return await self._new_page(
            request,
            actor,
            clock,
            {"menu_service_id": service, "term_years": "3", "procurement_route": rules.ProcurementRoute.COMPETITIVE},
            {},
        )

    @post("/new")
    async def create(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        form = await request.form()
        values = {
            key: str(form.get(key, "")).strip()
            for key in ("menu_service_id", "pcpg_id", "start_financial_year", "term_years", "procurement_route")
        }
        if len(actor.pcpg_ids) == 1:
            values["pcpg_id"] = str(actor.pcpg_ids[0])
        errors: dict[str, str] = {}
        messages = {
            "menu_service_id": "Choose a service from the menu",
            "pcpg_id": "Select a PCPG",
            "start_financial_year": "Select the first financial year",
            "term_years": "Select the term",
        }
        for field, message in messages.items():
            if not values[field].isdigit():
                errors[field] = gettext(message)
        if values["procurement_route"] not in rules.ROUTES:
            errors["procurement_route"] = gettext("Select the procurement route")
        offered = {str(year.start_year) for year in years_ahead(clock)}
        if "start_financial_year" not in errors and values["start_financial_year"] not in offered:
            errors["start_financial_year"] = gettext("Select the first financial year")
        if not errors:
            try:
                spec = await specifications.create_specification(
                    actor=actor,
                    data=SpecificationIn(
                        pcpg_id=int(values["pcpg_id"]),
                        menu_service_id=int(values["menu_service_id"]),
                        start_financial_year=int(values["start_financial_year"]),
                        term_years=min(5, max(1, int(values["term_years"]))),
                        procurement_route=values["procurement_route"],  # type: ignore[arg-type]
                    ),
                    now=clock.now(),
                )
            except DomainError as exc:
                if exc.status_code == 404:
                    raise
                errors[exc.field or "menu_service_id"] = gettext(exc.message, **exc.params)
            else:
                return with_flash(Redirect(path=f"/specifications/{spec.id}"), "draft_created")
        return await self._new_page(request, actor, clock, values, errors, status_code=400)

    async def _section_page(
        self,
        request: Request,
        clock: Clock,
        spec: SpecificationOut,
        section: Section,
        values: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        context: dict[str, Any] = {
            "title": gettext("Edit: %(section)s", section=gettext(section.title)),
            "spec": spec,
            "section": section.name,
            "values": values,
            "errors": errors,
            "error_list": error_summary(errors, section.error_ids),
            "routes": rules.ROUTES,
            **await section.context(spec, clock),
        }
        return page(request, f"commissioning/edit_{section.name}.html", context, status_code=status_code)

    @get("/{specification_id:int}/edit/{section:str}")
    async def section_form(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        section: str,
    ) -> Template | Redirect:
        if section not in SECTIONS:
            raise NotFound()
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now(), managed=True
        )
        if spec.status is not rules.SpecificationStatus.DRAFT:
            return Redirect(path=f"/specifications/{specification_id}")
        form = SECTIONS[section]
        return await self._section_page(request, clock, spec, form, form.values(spec), {})

    @post("/{specification_id:int}/edit/{section:str}")
    async def save_section(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        section: str,
    ) -> Response[Any]:
        if section not in SECTIONS:
            raise NotFound()
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now(), managed=True
        )
        form = SECTIONS[section]
        posted = form.read(await request.form(), spec)
        errors = posted.errors
        if not errors and await _save(actor, clock, specification_id, posted.changes, errors):
            if posted.again:
                return with_flash(Redirect(path=f"/specifications/{specification_id}/edit/{section}"), "term_changed")
            return with_flash(Redirect(path=f"/specifications/{specification_id}"), "draft_saved")
        return await self._section_page(request, clock, spec, form, posted.values, errors, status_code=400)

    async def _descriptor_page(
        self,
        request: Request,
        spec: SpecificationOut,
        number: int,
        values: list[dict[str, str]],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        criterion = spec.criteria[number]
        language = request.scope["state"]["language"]
        return page(
            request,
            "commissioning/edit_descriptors.html",
            {
                "title": gettext(
                    "Scoring descriptors: %(criterion)s",
                    criterion=criterion.title_cy if language == "cy" else criterion.title,
                ),
                "spec": spec,
                "number": number,
                "values": values,
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=status_code,
        )

    @get("/{specification_id:int}/descriptors/{number:int}")
    async def descriptors_form(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        number: int,
    ) -> Template:
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now(), managed=True
        )
        if not 0 <= number < len(spec.criteria):
            raise NotFound()
        values = [{"en": d.en, "cy": d.cy} for d in spec.criteria[number].descriptors]
        return await self._descriptor_page(request, spec, number, values, {})

    @post("/{specification_id:int}/descriptors/{number:int}")
    async def save_descriptors(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        number: int,
    ) -> Response[Any]:
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now(), managed=True
        )
        if not 0 <= number < len(spec.criteria):
            raise NotFound()
        form = await request.form()
        values = [
            {"en": str(form.get(f"score-{score}-en", "")).strip(), "cy": str(form.get(f"score-{score}-cy", "")).strip()}
            for score in range(rules.SCORE_LEVELS)
        ]
        errors: dict[str, str] = {}
        for score, row in enumerate(values):
            if not row["en"]:
                errors[f"score-{score}-en"] = gettext("Describe score %(score)s in English", score=score)
            if not row["cy"]:
                errors[f"score-{score}-cy"] = gettext("Describe score %(score)s in Welsh", score=score)
        if not errors:
            criteria = [msgspec.to_builtins(c) for c in spec.criteria]
            criteria[number]["descriptors"] = values
            if await _save(actor, clock, specification_id, {"criteria": criteria}, errors):
                return with_flash(Redirect(path=f"/specifications/{specification_id}"), "draft_saved")
        return await self._descriptor_page(request, spec, number, values, errors, status_code=400)

    @get("/{specification_id:int}/publish")
    async def publish_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Template:
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now(), managed=True
        )
        return await self._publish_page(request, actor, clock, spec, {})

    async def _publish_page(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        spec: SpecificationOut,
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        problems = (
            (await specifications.readiness(actor=actor, specification_id=spec.id, now=clock.now())).items
            if spec.status is rules.SpecificationStatus.DRAFT
            else {}
        )
        return page(
            request,
            "commissioning/publish.html",
            {
                "title": gettext("Publish %(reference)s", reference=spec.reference),
                "spec": spec,
                "problems": problems,
                "effects": await specification_queries.ledger_effect(spec),
                "errors": errors,
                "error_list": error_summary(errors, {"publish": "publish-button"}),
            },
            status_code=status_code,
        )

    @post("/{specification_id:int}/publish")
    async def publish(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[Any]:
        try:
            result = await specifications.publish_specification(
                actor=actor, specification_id=specification_id, now=clock.now()
            )
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            spec = await specification_queries.get_specification(
                actor=actor, specification_id=specification_id, now=clock.now(), managed=True
            )
            return await self._publish_page(
                request, actor, clock, spec, {"publish": gettext(exc.message, **exc.params)}, status_code=409
            )
        return with_flash(
            Redirect(path=f"/specifications/{specification_id}"),
            "published_warning" if result.warnings else "published",
        )

    def _cancel_page(
        self, request: Request, spec: SpecificationOut, context: dict[str, Any], status_code: int = 200
    ) -> Template:
        return page(
            request,
            "commissioning/cancel.html",
            {
                "title": gettext("Cancel %(reference)s", reference=spec.reference),
                "spec": spec,
                "errors": {},
                "reason": "",
                **context,
            },
            status_code=status_code,
        )

    @get("/{specification_id:int}/cancel")
    async def cancel_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Template:
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now(), managed=True
        )
        return self._cancel_page(request, spec, {})

    @post("/{specification_id:int}/cancel")
    async def cancel(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[Any]:
        # Read first, so another PCPG's specification is absent whatever was posted.
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now(), managed=True
        )
        form = await read_form(request, CancelIn, messages=CANCEL_MESSAGES)
        await form.run(
            lambda data: specifications.cancel_specification(
                actor=actor, specification_id=specification_id, reason=data.reason, now=clock.now()
            ),
            default_field="reason",
        )
        if form.ok:
            return with_flash(Redirect(path=f"/specifications/{specification_id}"), "cancelled")
        return self._cancel_page(
            request, spec, {**form.context(), "reason": form.values.get("reason", "")}, status_code=400
        )

    @post("/{specification_id:int}/begin-evaluation")
    async def begin_evaluation(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[Any]:
        await specifications.begin_evaluation(actor=actor, specification_id=specification_id, now=clock.now())
        return with_flash(Redirect(path=f"/specifications/{specification_id}"), "evaluation_begun")
