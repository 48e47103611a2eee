"""The sections of a draft specification, each its own small form: what it shows, and how the form kit reads its post
into the change the API takes (`SpecificationChangeIn`, given to `update_specification`)."""

from __future__ import annotations

from typing import Any, ClassVar

import msgspec
from litestar import Request

from commissioning import rules
from commissioning.queries import plans as plan_queries
from commissioning.schemas import SpecificationChangeIn, SpecificationOut
from commissioning.services import specifications
from core.clock import Clock
from core.i18n import N_, gettext
from core.money import pounds_input
from core.periods import FinancialYear
from finance import queries as finance_queries
from finance import rules as finance_rules
from organisations import queries as org_queries
from web.forms import Form, KeyedRows, datetime_inputs, read_form

KPI_FIELDS = ("name", "name_cy", "unit", "direction", "baseline", "target")
CRITERION_FIELDS = ("title", "title_cy", "weight")
BLANK_KPI_ROWS = 2
TERM = ("start_financial_year", "term_years")


def years_ahead(clock: Clock) -> list[FinancialYear]:
    current = FinancialYear.containing(clock.today().date())
    return [FinancialYear(current.start_year + offset) for offset in range(0, 4)]


class Section:
    name: ClassVar[str]
    title: ClassVar[str]

    def values(self, spec: SpecificationOut) -> dict[str, Any]:
        raise NotImplementedError

    async def context(self, spec: SpecificationOut, clock: Clock) -> dict[str, Any]:
        return {}

    async def read(self, request: Request, spec: SpecificationOut) -> Form[SpecificationChangeIn]:
        raise NotImplementedError

    def shown(self, form: Form[SpecificationChangeIn], spec: SpecificationOut) -> dict[str, Any]:
        """The answers as typed, to show again beside their errors."""
        return form.values

    def again(self, form: Form[SpecificationChangeIn]) -> bool:
        """Whether saving brings the commissioner back to this section (a changed term asks for each year next)."""
        return False


class Particulars(Section):
    name = "particulars"
    title = N_("Title, description and deadline")
    fields = (
        "title",
        "title_cy",
        "description",
        "description_cy",
        "plan_priority_id",
        "procurement_route",
        "clarification_contact",
        "bid_deadline_at",
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
            **datetime_inputs(spec.bid_deadline_at),
        }

    async def context(self, spec: SpecificationOut, clock: Clock) -> dict[str, Any]:
        plans = await plan_queries.list_plans(pcpg_ids=[spec.pcpg_id])
        return {"priorities": [p for plan in plans for p in plan.priorities]}

    async def read(self, request: Request, spec: SpecificationOut) -> Form[SpecificationChangeIn]:
        return await read_form(
            request,
            SpecificationChangeIn,
            only=self.fields,
            datetimes={"bid_deadline_at": ""},
            clear=("plan_priority_id", "bid_deadline_at"),
            ids={"bid_deadline_at": "bid_deadline_at-day"},
            messages={"bid_deadline_at": N_("Enter a real date and a time like 17:00")},
        )


class Clusters(Section):
    name = "clusters"
    title = N_("Clusters covered")

    def values(self, spec: SpecificationOut) -> dict[str, Any]:
        return {"cluster_ids": [str(c.id) for c in spec.clusters]}

    async def context(self, spec: SpecificationOut, clock: Clock) -> dict[str, Any]:
        return {"clusters": (await org_queries.list_clusters(pcpg_id=spec.pcpg_id, limit=200)).items}

    async def read(self, request: Request, spec: SpecificationOut) -> Form[SpecificationChangeIn]:
        return await read_form(
            request,
            SpecificationChangeIn,
            only=("cluster_ids",),
            lists=("cluster_ids",),
            required=("cluster_ids",),  # the API may save a draft without clusters; this section is for choosing them
            messages={"cluster_ids": N_("Select the clusters the service covers")},
        )


class Money(Section):
    """The term first: a changed first year or term is saved on its own, and the page comes back for each year's
    maximum value and budget line, since the years shown belonged to the old term."""

    name = "money"
    title = N_("Term, maximum values and budget lines")

    def values(self, spec: SpecificationOut) -> dict[str, Any]:
        by_year = {y.financial_year: y for y in spec.years}
        return {
            "start_financial_year": str(spec.start_financial_year),
            "term_years": str(spec.term_years),
            "years": {
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

    async def read(self, request: Request, spec: SpecificationOut) -> Form[SpecificationChangeIn]:
        term = await read_form(
            request,
            SpecificationChangeIn,
            only=TERM,
            required=TERM,
            ids={"start_financial_year": "term_years"},
            messages=dict.fromkeys(TERM, N_("Select the term")),
        )
        if term.data is None or (term.data.start_financial_year, term.data.term_years) != (
            spec.start_financial_year,
            spec.term_years,
        ):
            return term
        return await read_form(
            request,
            SpecificationChangeIn,
            only=("years",),
            keyed_rows={
                "years": KeyedRows(
                    prefix="year",
                    keys=rules.term_years(spec.start_financial_year, spec.term_years),
                    field="financial_year",
                )
            },
            pounds={"years.max_value": "years.max_value_pence"},
            # The API may leave a year's line for later; this form asks for every year's.
            required=("years.budget_line_id",),
            above_zero={"years.max_value_pence": N_("Each year's maximum value must be more than £0")},
            messages={
                "years.max_value_pence": N_("Enter an amount in pounds, like 1250.00"),
                "years.budget_line_id": N_("Choose the budget line each year draws on"),
            },
        )

    def shown(self, form: Form[SpecificationChangeIn], spec: SpecificationOut) -> dict[str, Any]:
        return {**self.values(spec), **form.values}

    def again(self, form: Form[SpecificationChangeIn]) -> bool:
        return form.data is not None and form.data.term_years is not msgspec.UNSET


class Kpis(Section):
    name = "kpis"
    title = N_("Outcome measures (KPIs)")

    def values(self, spec: SpecificationOut) -> dict[str, Any]:
        return {"kpis": _with_blank_kpis([{name: getattr(k, name) for name in KPI_FIELDS} for k in spec.kpis])}

    async def read(self, request: Request, spec: SpecificationOut) -> Form[SpecificationChangeIn]:
        return await read_form(
            request,
            SpecificationChangeIn,
            only=("kpis",),
            rows={"kpis": KPI_FIELDS},
            required=("kpis",),  # the API may save a draft without KPIs; a specification needs one to publish
            ids={"kpis": "kpis-0-name"},
            messages={
                "kpis": N_("Set at least one KPI"),
                "kpis.name": N_("Enter the KPI name in English"),
                "kpis.name_cy": N_("Enter the KPI name in Welsh"),
                "kpis.unit": N_("Enter the KPI's unit"),
                "kpis.direction": N_("Select whether higher or lower is better"),
            },
        )

    def shown(self, form: Form[SpecificationChangeIn], spec: SpecificationOut) -> dict[str, Any]:
        return {"kpis": _with_blank_kpis(form.values["kpis"])}


def _with_blank_kpis(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [*rows, *[dict.fromkeys(KPI_FIELDS, "") for _ in range(BLANK_KPI_ROWS)]]


class Criteria(Section):
    name = "criteria"
    title = N_("Evaluation criteria and weights")

    def values(self, spec: SpecificationOut) -> dict[str, Any]:
        rows = [{"title": c.title, "title_cy": c.title_cy, "weight": str(c.weight)} for c in spec.criteria]
        return {"criteria": [*rows, dict.fromkeys(CRITERION_FIELDS, "")], "price_weight": str(spec.price_weight)}

    async def read(self, request: Request, spec: SpecificationOut) -> Form[SpecificationChangeIn]:
        def descriptors(number: int) -> dict[str, Any]:
            """Each row keeps the descriptors of the criterion it showed (edited on their own page); a new one gets
            the standard descriptors."""
            kept = (
                spec.criteria[number].descriptors
                if number < len(spec.criteria)
                else specifications.default_criteria()[0].descriptors
            )
            return {"descriptors": msgspec.to_builtins(kept)}

        form = await read_form(
            request,
            SpecificationChangeIn,
            only=("criteria", "price_weight"),
            rows={"criteria": CRITERION_FIELDS},
            fixed_in_rows={"criteria": descriptors},
            required=("price_weight",),
            messages={
                "criteria.title": N_("Enter the criterion in English"),
                "criteria.title_cy": N_("Enter the criterion in Welsh"),
                "criteria.weight": N_("Enter a weight from 1 to 100"),
                "price_weight": N_("Enter a weight from 0 to 100"),
            },
        )
        change = form.data
        # The API checks the sum only when criteria are given; this page asks it of whatever it saves.
        if (
            change is not None
            and isinstance(change.criteria, list)
            and isinstance(change.price_weight, int)
            and sum(c.weight for c in change.criteria) + change.price_weight != 100
        ):
            form.add_error("price_weight", gettext(N_("The quality weights and the price weight must add up to 100")))
        return form

    def shown(self, form: Form[SpecificationChangeIn], spec: SpecificationOut) -> dict[str, Any]:
        return {**form.values, "criteria": [*form.values["criteria"], dict.fromkeys(CRITERION_FIELDS, "")]}


SECTIONS: dict[str, Section] = {s.name: s for s in (Particulars(), Clusters(), Money(), Kpis(), Criteria())}
