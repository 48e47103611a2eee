"""Pages for commissioners: their specifications, a new draft from the menu, each section of a draft, then
publish or cancel (each after a check-your-answers step), or open evaluation."""

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
    CANCEL_REASON_MAX_LENGTH,
    CancelIn,
    CriterionIn,
    SpecificationChangeIn,
    SpecificationIn,
    SpecificationOut,
)
from commissioning.services import specifications
from core.clock import Clock
from core.errors import NotFound
from core.i18n import N_, gettext
from menu import queries as menu_queries
from organisations import queries as org_queries
from web.forms import Form, KeyedRows, button_form, error_summary, parse_form, read_form
from web.templating import form_page_offset, page, paging, with_flash, with_query

COMMISSIONER = requires_role(Role.COMMISSIONER)
CANCEL_MESSAGES = {"reason": N_("Give the reason for cancelling")}
REASON_TOO_LONG = N_("Give the reason in %(max)s characters or fewer")
NEW_MESSAGES = {
    "menu_service_id": N_("Choose a service from the menu"),
    "pcpg_id": N_("Select a PCPG"),
    "start_financial_year": N_("Select the first financial year"),
    "term_years": N_("Select the term"),
    "procurement_route": N_("Select the procurement route"),
}
DESCRIPTOR_MESSAGES = {
    "descriptors.en": N_("Describe score %(score)s in English"),
    "descriptors.cy": N_("Describe score %(score)s in Welsh"),
}


def _reason_form(posted: Any) -> Form[CancelIn]:
    """The reason for cancelling, read as the API reads it (CancelIn); an overlong one is told so in those words."""
    form = parse_form(posted, CancelIn, messages=CANCEL_MESSAGES)
    if len(str(form.values.get("reason", ""))) > CANCEL_REASON_MAX_LENGTH:
        form.errors["reason"] = gettext(REASON_TOO_LONG, max=f"{CANCEL_REASON_MAX_LENGTH:,}")
    return form


def _criteria_with(spec: SpecificationOut, number: int, criterion: CriterionIn) -> list[CriterionIn]:
    """Every criterion as stored, with one replaced: a change gives the whole list."""
    criteria = msgspec.convert(msgspec.to_builtins(spec.criteria), list[CriterionIn])
    criteria[number] = criterion
    return criteria


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
        form = await read_form(
            request,
            SpecificationIn,
            only=NEW_MESSAGES,
            messages=NEW_MESSAGES,
            required=("procurement_route",),  # the API starts a draft as competitive if told nothing; the form asks
            fixed={"pcpg_id": actor.pcpg_ids[0]} if len(actor.pcpg_ids) == 1 else None,
        )
        if form.data is not None and form.data.start_financial_year not in [y.start_year for y in years_ahead(clock)]:
            form.add_error("start_financial_year", gettext(NEW_MESSAGES["start_financial_year"]))
        spec = await form.run(
            lambda data: specifications.create_specification(actor=actor, data=data, now=clock.now()),
            default_field="menu_service_id",
        )
        if spec is not None:
            return with_flash(Redirect(path=f"/specifications/{spec.id}"), "draft_created")
        return await self._new_page(request, actor, clock, form.values, form.errors, status_code=400)

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
            "error_list": error_summary(errors),
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
        part = SECTIONS[section]
        form = await part.read(request, spec)
        saved = await form.run(
            lambda change: specifications.update_specification(
                actor=actor, specification_id=specification_id, changes=change, now=clock.now()
            ),
            default_field="title",
        )
        if saved is None:
            return await self._section_page(
                request, clock, spec, part, part.shown(form, spec), form.errors, status_code=400
            )
        if part.again(form):
            return with_flash(Redirect(path=f"/specifications/{specification_id}/edit/{section}"), "term_changed")
        return with_flash(Redirect(path=f"/specifications/{specification_id}"), "draft_saved")

    async def _descriptor_page(
        self,
        request: Request,
        spec: SpecificationOut,
        number: int,
        values: dict[int, dict[str, str]],
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
        values = {score: {"en": d.en, "cy": d.cy} for score, d in enumerate(spec.criteria[number].descriptors)}
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
        criterion = spec.criteria[number]
        form = await read_form(
            request,
            CriterionIn,
            keyed_rows={"descriptors": KeyedRows(prefix="score", keys=range(rules.SCORE_LEVELS))},
            fixed={"title": criterion.title, "title_cy": criterion.title_cy, "weight": criterion.weight},
            messages=DESCRIPTOR_MESSAGES,
        )
        saved = await form.run(
            lambda data: specifications.update_specification(
                actor=actor,
                specification_id=specification_id,
                changes=SpecificationChangeIn(criteria=_criteria_with(spec, number, data)),
                now=clock.now(),
            ),
            default_field="title",
        )
        if saved is not None:
            return with_flash(Redirect(path=f"/specifications/{specification_id}"), "draft_saved")
        return await self._descriptor_page(
            request, spec, number, form.values["descriptors"], form.errors, status_code=400
        )

    @get("/{specification_id:int}/publish")
    async def publish_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Template:
        """Check your answers: the whole draft section by section, each with a link to change it, then the effect on
        the budget, and the Publish button only when publishing can succeed now."""
        return await self._publish_page(request, actor, clock, specification_id, {})

    async def _publish_page(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        specification_id: int,
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        check = await specification_queries.publish_check(
            actor=actor, specification_id=specification_id, now=clock.now()
        )
        return page(
            request,
            "commissioning/publish.html",
            {
                "title": gettext("Check before you publish %(reference)s", reference=check.specification.reference),
                "spec": check.specification,
                "check": check,
                "effects": check.effects,
                "sections": {name: gettext(section.title) for name, section in SECTIONS.items()},
                "directions": {code: gettext(label) for code, label in rules.KPI_DIRECTIONS.items()},
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=status_code,
        )

    @post("/{specification_id:int}/publish")
    async def publish(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[Any]:
        # A refusal is shown at the publish step, which the page has whether or not it still offers the button.
        form = button_form(ids={"publish": "publish-step"})
        result = await form.run(
            lambda _: specifications.publish_specification(
                actor=actor, specification_id=specification_id, now=clock.now()
            ),
            default_field="publish",
        )
        if result is None:
            return await self._publish_page(request, actor, clock, specification_id, form.errors, status_code=409)
        return with_flash(
            Redirect(path=f"/specifications/{specification_id}"),
            "published_warning" if result.warnings else "published",
        )

    async def _cancel_page(
        self,
        request: Request,
        actor: Actor,
        clock: Clock,
        specification_id: int,
        reason: str,
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        spec = await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now(), managed=True
        )
        return page(
            request,
            "commissioning/cancel.html",
            {
                "title": gettext("Cancel %(reference)s", reference=spec.reference),
                "spec": spec,
                "reason": reason,
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=status_code,
        )

    @get("/{specification_id:int}/cancel")
    async def cancel_form(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        reason: str = "",
    ) -> Template:
        """The reason, first of two steps; the check page's Change link comes back here with the reason as given."""
        return await self._cancel_page(request, actor, clock, specification_id, reason, {})

    @post("/{specification_id:int}/cancel")
    async def cancel(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[Any]:
        """The reason, then check before you cancel, then the cancellation once confirmed (NHS.UK pattern; as a
        delivery vehicle's suspension). Without `confirm=yes` nothing is written: a good reason leads to the check
        page, a blank one back to the form. The confirmation's reason comes back in a hidden field, so it is read and
        checked again as if typed: a blank or overlong one shows the form."""
        # Read first, so another PCPG's specification is absent whatever was posted.
        await specification_queries.get_specification(
            actor=actor, specification_id=specification_id, now=clock.now(), managed=True
        )
        posted = await request.form()
        form = _reason_form(posted)
        if form.ok and form.data is not None and posted.get("confirm") != "yes":
            return Redirect(
                path=with_query(f"/specifications/{specification_id}/cancel/check", {"reason": form.data.reason})
            )
        if posted.get("confirm") == "yes":
            await form.run(
                lambda data: specifications.cancel_specification(
                    actor=actor, specification_id=specification_id, reason=data.reason, now=clock.now()
                ),
                default_field="reason",
            )
            if form.ok:
                return with_flash(Redirect(path=f"/specifications/{specification_id}"), "cancelled")
        return await self._cancel_page(
            request, actor, clock, specification_id, form.values.get("reason", ""), form.errors, status_code=400
        )

    @get("/{specification_id:int}/cancel/check")
    async def cancel_check(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        specification_id: int,
        reason: str = "",
    ) -> Template:
        """Check before you cancel: the specification, the reason (with a link to change it), the money released and
        who learns of it, then the button that cancels. A link, so the language switch and a reload keep the reason."""
        form = _reason_form({"reason": reason})
        if not form.ok or form.data is None:
            return await self._cancel_page(
                request, actor, clock, specification_id, form.values.get("reason", ""), form.errors, status_code=400
            )
        check = await specification_queries.cancel_check(
            actor=actor, specification_id=specification_id, reason=form.data.reason, now=clock.now()
        )
        return page(
            request,
            "commissioning/cancel_check.html",
            {
                "title": gettext("Check before you cancel %(reference)s", reference=check.specification.reference),
                "spec": check.specification,
                "check": check,
                "change_reason": with_query(f"/specifications/{specification_id}/cancel", {"reason": check.reason}),
            },
        )

    @post("/{specification_id:int}/begin-evaluation")
    async def begin_evaluation(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[Any]:
        await specifications.begin_evaluation(actor=actor, specification_id=specification_id, now=clock.now())
        return with_flash(Redirect(path=f"/specifications/{specification_id}"), "evaluation_begun")
