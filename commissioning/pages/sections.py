"""The sections of a draft specification, each its own small form: what it shows, what it reads from a post,
and the changes it gives the same service the API uses (`update_specification`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import msgspec

from commissioning import rules
from commissioning.pages import forms
from commissioning.queries import plans as plan_queries
from commissioning.schemas import CriterionIn, DescriptorIn, KpiIn, SpecificationOut, YearIn
from commissioning.services import specifications
from core.clock import Clock
from core.i18n import N_, gettext
from core.money import pounds_input
from core.periods import FinancialYear
from finance import queries as finance_queries
from finance import rules as finance_rules
from organisations import queries as org_queries

KPI_FIELDS = ("name", "name_cy", "unit", "direction", "baseline", "target")
CRITERION_FIELDS = ("title", "title_cy", "weight")


def years_ahead(clock: Clock) -> list[FinancialYear]:
    current = FinancialYear.containing(clock.today().date())
    return [FinancialYear(current.start_year + offset) for offset in range(0, 4)]


@dataclass
class SectionPost:
    """A section's post: the answers to show again, the changes for the service, the errors by field id, and
    whether to come back to the same section (a changed term asks for each year's values next)."""

    values: dict[str, Any]
    changes: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    again: bool = False


class Section:
    name: ClassVar[str]
    title: ClassVar[str]
    error_ids: ClassVar[dict[str, str]] = {}

    def values(self, spec: SpecificationOut) -> dict[str, Any]:
        raise NotImplementedError

    async def context(self, spec: SpecificationOut, clock: Clock) -> dict[str, Any]:
        return {}

    def read(self, form: Any, spec: SpecificationOut) -> SectionPost:
        raise NotImplementedError


class Particulars(Section):
    name = "particulars"
    title = N_("Title, description and deadline")
    error_ids = {"bid_deadline_at": "bid_deadline_at-day"}
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

    def values(self, spec: SpecificationOut) -> dict[str, Any]:
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

    async def context(self, spec: SpecificationOut, clock: Clock) -> dict[str, Any]:
        plans = await plan_queries.list_plans(pcpg_ids=[spec.pcpg_id])
        return {"priorities": [p for plan in plans for p in plan.priorities]}

    def read(self, form: Any, spec: SpecificationOut) -> SectionPost:
        values = {key: str(form.get(key, "")).strip() for key in self.keys}
        errors: dict[str, str] = {}
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
        return SectionPost(values, changes, errors)


class Clusters(Section):
    name = "clusters"
    title = N_("Clusters covered")

    def values(self, spec: SpecificationOut) -> dict[str, Any]:
        return {"cluster_ids": [c.id for c in spec.clusters]}

    async def context(self, spec: SpecificationOut, clock: Clock) -> dict[str, Any]:
        return {"clusters": (await org_queries.list_clusters(pcpg_id=spec.pcpg_id, limit=200)).items}

    def read(self, form: Any, spec: SpecificationOut) -> SectionPost:
        ids = [int(v) for v in form.getall("cluster_ids", []) if str(v).isdigit()]
        errors = {} if ids else {"cluster_ids": gettext("Select the clusters the service covers")}
        return SectionPost({"cluster_ids": ids}, {"cluster_ids": ids}, errors)


class Money(Section):
    name = "money"
    title = N_("Term, maximum values and budget lines")

    def values(self, spec: SpecificationOut) -> dict[str, Any]:
        by_year = {y.financial_year: y for y in spec.years}
        return {
            "start_financial_year": str(spec.start_financial_year),
            "term_years": str(spec.term_years),
            "rows": {
                year: {
                    "max_value": pounds_input(by_year[year].max_value_pence) if year in by_year else "",
                    "budget_line_id": str(by_year[year].budget_line_id or "") if year in by_year else "",
                }
                for year in rules.term_years(spec.start_financial_year, spec.term_years)
            },
        }

    async def context(self, spec: SpecificationOut, clock: Clock) -> dict[str, Any]:
        years = rules.term_years(spec.start_financial_year, spec.term_years)
        return {
            "lines": await finance_queries.lines_for_pcpg(spec.pcpg_id, years),
            "streams": finance_rules.FUNDING_STREAMS,
            "term": [FinancialYear(y) for y in years],
            "years": years_ahead(clock),
        }

    def read(self, form: Any, spec: SpecificationOut) -> SectionPost:
        start, term = str(form.get("start_financial_year", "")), str(form.get("term_years", ""))
        errors: dict[str, str] = {}
        if not (start.isdigit() and term.isdigit()):
            return SectionPost(self.values(spec), {}, {"term_years": gettext("Select the term")})
        if (int(start), int(term)) != (spec.start_financial_year, spec.term_years):
            return SectionPost({}, {"start_financial_year": int(start), "term_years": int(term)}, again=True)
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
        return SectionPost(values, {"years": [msgspec.to_builtins(y) for y in years]}, errors)


class Kpis(Section):
    name = "kpis"
    title = N_("Outcome measures (KPIs)")

    def values(self, spec: SpecificationOut) -> dict[str, Any]:
        rows = [{name: getattr(k, name) for name in KPI_FIELDS} for k in spec.kpis]
        return {"rows": rows + [dict.fromkeys(KPI_FIELDS, "") for _ in range(2)]}

    def read(self, form: Any, spec: SpecificationOut) -> SectionPost:
        found = forms.rows(form, "kpis", KPI_FIELDS)
        errors: dict[str, str] = {}
        kpis = []
        for row in found:
            i = row["index"]
            for name, message in (
                ("name", "Enter the KPI name in English"),
                ("name_cy", "Enter the KPI name in Welsh"),
                ("unit", "Enter the KPI's unit"),
            ):
                if not row[name]:
                    errors.setdefault(f"kpis-{i}-{name}", gettext(message))
            if row["direction"] not in ("higher_is_better", "lower_is_better"):
                errors.setdefault(f"kpis-{i}-direction", gettext("Select whether higher or lower is better"))
            else:
                kpis.append(KpiIn(**{f: row[f] for f in KPI_FIELDS}))  # type: ignore[arg-type]
        if not found:
            errors["kpis-0-name"] = gettext("Set at least one KPI")
        values = {"rows": [*found, *[dict.fromkeys(KPI_FIELDS, "") for _ in range(2)]]}
        return SectionPost(values, {"kpis": [msgspec.to_builtins(k) for k in kpis]}, errors)


class Criteria(Section):
    name = "criteria"
    title = N_("Evaluation criteria and weights")

    def values(self, spec: SpecificationOut) -> dict[str, Any]:
        rows = [{"title": c.title, "title_cy": c.title_cy, "weight": str(c.weight)} for c in spec.criteria]
        return {"rows": [*rows, dict.fromkeys(CRITERION_FIELDS, "")], "price_weight": str(spec.price_weight)}

    def read(self, form: Any, spec: SpecificationOut) -> SectionPost:
        found = forms.rows(form, "criteria", CRITERION_FIELDS)
        price_weight = str(form.get("price_weight", "")).strip()
        existing = dict(enumerate(spec.criteria))
        errors: dict[str, str] = {}
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
        return SectionPost(values, changes, errors)


SECTIONS: dict[str, Section] = {s.name: s for s in (Particulars(), Clusters(), Money(), Kpis(), Criteria())}
