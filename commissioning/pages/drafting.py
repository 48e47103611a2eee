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
from commissioning.pages import forms
from commissioning.queries import plans as plan_queries
from commissioning.queries import specifications as specification_queries
from commissioning.schemas import (
    CriterionIn,
    DescriptorIn,
    KpiIn,
    SpecificationChangeIn,
    SpecificationIn,
    SpecificationOut,
    YearIn,
)
from commissioning.services import specifications
from core.clock import Clock
from core.errors import DomainError, NotFound
from core.i18n import gettext
from core.periods import FinancialYear
from finance import queries as finance_queries
from finance import rules as finance_rules
from menu import queries as menu_queries
from organisations import queries as org_queries
from web.templating import error_list, form_page_offset, page, paging, with_flash

COMMISSIONER = requires_role(Role.COMMISSIONER)
SECTIONS = ("particulars", "clusters", "money", "kpis", "criteria")


async def _own_draft(actor: Actor, specification_id: int, clock: Clock) -> SpecificationOut:
    spec = await specification_queries.get_specification(
        actor=actor, specification_id=specification_id, now=clock.now()
    )
    if spec.pcpg_id not in actor.pcpg_ids:
        raise NotFound("No such specification")
    return spec


def _years_ahead(clock: Clock) -> list[FinancialYear]:
    current = FinancialYear.containing(clock.today().date())
    return [FinancialYear(current.start_year + offset) for offset in range(0, 4)]


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
                "status": status,
                "statuses": rules.STATUSES,
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
                "error_list": error_list(errors),
                "services": (await menu_queries.list_menu_services(limit=200)).items,
                "pcpgs": [await org_queries.get_pcpg(p) for p in actor.pcpg_ids],
                "years": _years_ahead(clock),
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
            {"menu_service_id": service, "term_years": "3", "procurement_route": "competitive"},
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
        offered = {str(year.start_year) for year in _years_ahead(clock)}
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
        actor: Actor,
        clock: Clock,
        spec: SpecificationOut,
        section: str,
        values: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        context: dict[str, Any] = {
            "title": gettext("Edit: %(section)s", section=gettext(SECTION_TITLES[section])),
            "spec": spec,
            "section": section,
            "values": values,
            "errors": errors,
            "error_list": error_list(errors, {"bid_deadline_at": "bid_deadline_at-day"}),
            "routes": rules.ROUTES,
        }
        if section == "particulars":
            plans = await plan_queries.list_plans(pcpg_ids=[spec.pcpg_id])
            context["priorities"] = [p for plan in plans for p in plan.priorities]
        if section == "clusters":
            context["clusters"] = (await org_queries.list_clusters(pcpg_id=spec.pcpg_id, limit=200)).items
        if section == "money":
            years = rules.term_years(spec.start_financial_year, spec.term_years)
            context["lines"] = await finance_queries.lines_for_pcpg(spec.pcpg_id, years)
            context["streams"] = finance_rules.FUNDING_STREAMS
            context["term"] = [FinancialYear(y) for y in years]
            context["years"] = _years_ahead(clock)
        return page(request, f"commissioning/edit_{section}.html", context, status_code=status_code)

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
        spec = await _own_draft(actor, specification_id, clock)
        if spec.status != "draft":
            return Redirect(path=f"/specifications/{specification_id}")
        return await self._section_page(request, actor, clock, spec, section, _values(spec, section), {})

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
        spec = await _own_draft(actor, specification_id, clock)
        form = await request.form()
        errors: dict[str, str] = {}
        values, changes, again = _read_section(section, form, spec, errors)
        if not errors and await _save(actor, clock, specification_id, changes, errors):
            if again:
                return with_flash(Redirect(path=f"/specifications/{specification_id}/edit/{section}"), "term_changed")
            return with_flash(Redirect(path=f"/specifications/{specification_id}"), "draft_saved")
        return await self._section_page(request, actor, clock, spec, section, values, errors, status_code=400)

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
                "error_list": error_list(errors),
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
        spec = await _own_draft(actor, specification_id, clock)
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
        spec = await _own_draft(actor, specification_id, clock)
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
        spec = await _own_draft(actor, specification_id, clock)
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
            if spec.status == "draft"
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
                "error_list": error_list(errors, {"publish": "publish-button"}),
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
            spec = await _own_draft(actor, specification_id, clock)
            return await self._publish_page(
                request, actor, clock, spec, {"publish": gettext(exc.message, **exc.params)}, status_code=409
            )
        return with_flash(
            Redirect(path=f"/specifications/{specification_id}"),
            "published_warning" if result.warnings else "published",
        )

    @get("/{specification_id:int}/cancel")
    async def cancel_form(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Template:
        spec = await _own_draft(actor, specification_id, clock)
        return page(
            request,
            "commissioning/cancel.html",
            {
                "title": gettext("Cancel %(reference)s", reference=spec.reference),
                "spec": spec,
                "errors": {},
                "reason": "",
            },
        )

    @post("/{specification_id:int}/cancel")
    async def cancel(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[Any]:
        reason = str((await request.form()).get("reason", "")).strip()
        try:
            await specifications.cancel_specification(
                actor=actor, specification_id=specification_id, reason=reason, now=clock.now()
            )
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            spec = await _own_draft(actor, specification_id, clock)
            errors = {"reason": gettext(exc.message, **exc.params)}
            return page(
                request,
                "commissioning/cancel.html",
                {
                    "title": gettext("Cancel %(reference)s", reference=spec.reference),
                    "spec": spec,
                    "errors": errors,
                    "error_list": error_list(errors),
                    "reason": reason,
                },
                status_code=400,
            )
        return with_flash(Redirect(path=f"/specifications/{specification_id}"), "cancelled")

    @post("/{specification_id:int}/begin-evaluation")
    async def begin_evaluation(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], specification_id: int
    ) -> Response[Any]:
        await specifications.begin_evaluation(actor=actor, specification_id=specification_id, now=clock.now())
        return with_flash(Redirect(path=f"/specifications/{specification_id}"), "evaluation_begun")


SECTION_TITLES = {
    "particulars": "Title, description and deadline",
    "clusters": "Clusters covered",
    "money": "Term, maximum values and budget lines",
    "kpis": "Outcome measures (KPIs)",
    "criteria": "Evaluation criteria and weights",
}
KPI_FIELDS = ("name", "name_cy", "unit", "direction", "baseline", "target")
CRITERION_FIELDS = ("title", "title_cy", "weight")


def _values(spec: SpecificationOut, section: str) -> dict[str, Any]:
    if section == "particulars":
        return {
            "title": spec.title,
            "title_cy": spec.title_cy,
            "description": spec.description,
            "description_cy": spec.description_cy,
            "plan_priority_id": str(spec.plan_priority_id or ""),
            "procurement_route": spec.procurement_route,
            "clarification_contact": spec.clarification_contact,
            **forms.deadline_parts(spec.bid_deadline_at),
        }
    if section == "clusters":
        return {"cluster_ids": [c.id for c in spec.clusters]}
    if section == "money":
        by_year = {y.financial_year: y for y in spec.years}
        return {
            "start_financial_year": str(spec.start_financial_year),
            "term_years": str(spec.term_years),
            "rows": {
                year: {
                    "max_value": f"{by_year[year].max_value_pence / 100:.2f}" if year in by_year else "",
                    "budget_line_id": str(by_year[year].budget_line_id or "") if year in by_year else "",
                }
                for year in rules.term_years(spec.start_financial_year, spec.term_years)
            },
        }
    if section == "kpis":
        rows = [{field: getattr(k, field) for field in KPI_FIELDS} for k in spec.kpis]
        return {"rows": rows + [dict.fromkeys(KPI_FIELDS, "") for _ in range(2)]}
    rows = [{"title": c.title, "title_cy": c.title_cy, "weight": str(c.weight)} for c in spec.criteria]
    return {"rows": [*rows, dict.fromkeys(CRITERION_FIELDS, "")], "price_weight": str(spec.price_weight)}


def _read_section(
    section: str, form: Any, spec: SpecificationOut, errors: dict[str, str]
) -> tuple[dict[str, Any], dict[str, Any], bool]:
    """The values to show again, the changes for the service, and whether to come back to the same section."""
    values: dict[str, Any]
    changes: dict[str, Any]
    if section == "particulars":
        keys = (
            "title",
            "title_cy",
            "description",
            "description_cy",
            "plan_priority_id",
            "procurement_route",
            "clarification_contact",
            "day",
            "month",
            "year",
            "time",
        )
        values = {key: str(form.get(key, "")).strip() for key in keys}
        deadline = None
        if any(values[k] for k in ("day", "month", "year")):
            try:
                deadline = forms.london_datetime(values["day"], values["month"], values["year"], values["time"])
            except ValueError:
                errors["bid_deadline_at"] = gettext("Enter a real date and a time like 17:00")
        changes = {
            "title": values["title"],
            "title_cy": values["title_cy"],
            "description": values["description"],
            "description_cy": values["description_cy"],
            "plan_priority_id": int(values["plan_priority_id"]) if values["plan_priority_id"].isdigit() else None,
            "procurement_route": values["procurement_route"]
            if values["procurement_route"] in rules.ROUTES
            else spec.procurement_route,
            "clarification_contact": values["clarification_contact"],
            "bid_deadline_at": deadline,
        }
        return values, changes, False
    if section == "clusters":
        ids = [int(v) for v in form.getall("cluster_ids", []) if str(v).isdigit()]
        if not ids:
            errors["cluster_ids"] = gettext("Select the clusters the service covers")
        return {"cluster_ids": ids}, {"cluster_ids": ids}, False
    if section == "money":
        start, term = str(form.get("start_financial_year", "")), str(form.get("term_years", ""))
        if not (start.isdigit() and term.isdigit()):
            errors["term_years"] = gettext("Select the term")
            return _values(spec, "money"), {}, False
        if (int(start), int(term)) != (spec.start_financial_year, spec.term_years):
            return {}, {"start_financial_year": int(start), "term_years": int(term)}, True
        rows: dict[int, dict[str, str]] = {}
        years = []
        for year in rules.term_years(spec.start_financial_year, spec.term_years):
            row = {
                "max_value": str(form.get(f"year-{year}-max_value", "")).strip(),
                "budget_line_id": str(form.get(f"year-{year}-budget_line_id", "")),
            }
            rows[year] = row
            pence = forms.pounds_field(row["max_value"], f"year-{year}-max_value", errors)
            if not row["budget_line_id"].isdigit():
                errors.setdefault(f"year-{year}-budget_line_id", gettext("Choose the budget line each year draws on"))
            if pence is not None and row["budget_line_id"].isdigit():
                years.append(
                    YearIn(financial_year=year, max_value_pence=pence, budget_line_id=int(row["budget_line_id"]))
                )
        values = {"start_financial_year": start, "term_years": term, "rows": rows}
        return values, {"years": [msgspec.to_builtins(y) for y in years]}, False
    if section == "kpis":
        found = forms.rows(form, "kpis", KPI_FIELDS)
        kpis = []
        for row in found:
            i = row["index"]
            for field, message in (
                ("name", "Enter the KPI name in English"),
                ("name_cy", "Enter the KPI name in Welsh"),
                ("unit", "Enter the KPI's unit"),
            ):
                if not row[field]:
                    errors.setdefault(f"kpis-{i}-{field}", gettext(message))
            if row["direction"] not in ("higher_is_better", "lower_is_better"):
                errors.setdefault(f"kpis-{i}-direction", gettext("Select whether higher or lower is better"))
            else:
                kpis.append(KpiIn(**{f: row[f] for f in KPI_FIELDS}))  # type: ignore[arg-type]
        if not found:
            errors["kpis-0-name"] = gettext("Set at least one KPI")
        values = {"rows": [*found, *[dict.fromkeys(KPI_FIELDS, "") for _ in range(2)]]}
        return values, {"kpis": [msgspec.to_builtins(k) for k in kpis]}, False
    found = forms.rows(form, "criteria", CRITERION_FIELDS)
    price_weight = str(form.get("price_weight", "")).strip()
    existing = {i: c for i, c in enumerate(spec.criteria)}
    criteria = []
    for row in found:
        position = int(row["index"])
        if not row["title"]:
            errors.setdefault(f"criteria-{position}-title", gettext("Enter the criterion in English"))
        if not row["title_cy"]:
            errors.setdefault(f"criteria-{position}-title_cy", gettext("Enter the criterion in Welsh"))
        if not row["weight"].isdigit() or not 1 <= int(row["weight"]) <= 100:
            errors.setdefault(f"criteria-{position}-weight", gettext("Enter a weight from 1 to 100"))
            continue
        descriptors = (
            [DescriptorIn(en=d.en, cy=d.cy) for d in existing[position].descriptors]
            if position in existing
            else specifications.default_criteria()[0].descriptors
        )
        criteria.append(
            CriterionIn(
                title=row["title"], title_cy=row["title_cy"], weight=int(row["weight"]), descriptors=descriptors
            )
        )
    if not price_weight.isdigit() or int(price_weight) > 100:
        errors["price_weight"] = gettext("Enter a weight from 0 to 100")
    elif not errors and sum(c.weight for c in criteria) + int(price_weight) != 100:
        errors["price_weight"] = gettext("The quality weights and the price weight must add up to 100")
    values = {"rows": [*found, dict.fromkeys(CRITERION_FIELDS, "")], "price_weight": price_weight}
    changes = {
        "criteria": [msgspec.to_builtins(c) for c in criteria],
        "price_weight": int(price_weight) if price_weight.isdigit() else 0,
    }
    return values, changes, False
