"""Pages for a contract's annual performance ratings (issue 13, item 6): its readers see each year's ratings beside
the RAG of its accepted quarters; the commissioner of its PCPG rates a year that has ended (or the termination year)
on a form pre-filled from that RAG, checks the answers, then saves. The same service as the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.controllers.ids import ids_in_range
from core.clock import Clock
from core.errors import DomainError, NotAllowed
from core.i18n import N_, gettext
from returns.queries import ratings as queries
from returns.rules import RATING_NOTE_MAX_LENGTH, PerformanceRatingKind
from returns.schemas.ratings import ContractRatingsOut, KpiRatingIn, PerformanceRatingsIn, RatingYearOut
from returns.services import ratings as services
from web.forms import error_summary
from web.templating import page, with_flash, with_query

READERS = requires_role(Role.PROVIDER, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.NATIONAL_ADMIN)
RATERS = requires_role(Role.COMMISSIONER)
CHOOSE_RATING = N_("Choose a rating for %(kpi)s")
CHOOSE_YEAR = N_("Choose a financial year that may be rated")
NOTE_TOO_LONG = N_("Give the note in %(max)s characters or fewer")


def _path(contract_id: int) -> str:
    return f"/contracts/{contract_id}/ratings"


def _year(ratings: ContractRatingsOut, text: Any) -> RatingYearOut | None:
    """The year asked for, if the commissioner may rate it now."""
    for year in ratings.years:
        if str(year.financial_year) == str(text or "").strip() and year.rateable:
            return year
    return None


def _default_year(ratings: ContractRatingsOut) -> RatingYearOut | None:
    """The newest year that may be rated and is not yet: the one the form offers unasked."""
    return next((year for year in ratings.years if year.rateable and not year.rated), None)


def _prefilled(year: RatingYearOut) -> dict[str, str]:
    """The form's first answers: the ratings recorded, else the ones the year's RAG suggests."""
    values = {"financial_year": str(year.financial_year)}
    for kpi in year.kpis:
        chosen = kpi.rating or kpi.suggested
        values[f"kpi-{kpi.contract_kpi_id}"] = chosen.value if chosen else ""
        values[f"note-{kpi.contract_kpi_id}"] = kpi.note
    return values


def _read(
    ratings: ContractRatingsOut, posted: Mapping[str, Any]
) -> tuple[RatingYearOut | None, dict[str, str], PerformanceRatingsIn | None, dict[str, str]]:
    """The year, the answers as given, the ratings they make (if they make them) and the problems by field."""
    errors: dict[str, str] = {}
    year = _year(ratings, posted.get("financial_year"))
    values = {"financial_year": str(posted.get("financial_year", "")).strip()}
    if year is None:
        errors["financial_year"] = gettext(CHOOSE_YEAR)
        return None, values, None, errors
    answers = []
    for kpi in year.kpis:
        name, note_name = f"kpi-{kpi.contract_kpi_id}", f"note-{kpi.contract_kpi_id}"
        values[name] = str(posted.get(name, "")).strip()
        values[note_name] = str(posted.get(note_name, "")).strip()
        try:
            rating = PerformanceRatingKind(values[name])
        except ValueError:
            errors.setdefault(name, gettext(CHOOSE_RATING, kpi=kpi.name))
            continue
        if len(values[note_name]) > RATING_NOTE_MAX_LENGTH:
            errors.setdefault(note_name, gettext(NOTE_TOO_LONG, max=f"{RATING_NOTE_MAX_LENGTH:,}"))
            continue
        answers.append(KpiRatingIn(contract_kpi_id=kpi.contract_kpi_id, rating=rating, note=values[note_name]))
    if errors or not answers:
        return year, values, None, errors
    return (
        year,
        values,
        PerformanceRatingsIn(financial_year=year.financial_year, ratings=answers, replace=year.rated),
        {},
    )


class PerformanceRatingPages(Controller):
    path = "/contracts/{contract_id:int}/ratings"
    include_in_schema = False
    before_request = ids_in_range

    def _render(
        self,
        request: Request,
        ratings: ContractRatingsOut,
        year: RatingYearOut | None,
        values: dict[str, str],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "returns/ratings.html",
            {
                "title": gettext("Performance ratings: %(reference)s", reference=ratings.reference),
                "ratings": ratings,
                "form_year": year if ratings.can_rate else None,
                "choices": [(kind.value, gettext(kind.label)) for kind in PerformanceRatingKind],
                "values": values,
                "errors": errors,
                "error_list": error_summary(errors),
                "path": _path(ratings.contract_id),
            },
            status_code=status_code,
        )

    @get("/", guards=[READERS])
    async def ratings_page(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
    ) -> Template:
        """`?financial_year=` chooses the year to rate; the other parameters are the answers the check page's
        "Change" link brings back."""
        ratings = await queries.get_ratings(actor=actor, contract_id=contract_id, now=clock.now())
        query = dict(request.query_params)
        year = _year(ratings, query.get("financial_year")) or _default_year(ratings)
        values = _prefilled(year) if year is not None else {}
        if year is not None and str(query.get("financial_year", "")) == str(year.financial_year):
            values |= {key: str(value) for key, value in query.items() if key.startswith(("kpi-", "note-"))}
        return self._render(request, ratings, year, values, {})

    @post("/", guards=[RATERS])
    async def rate(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], contract_id: int
    ) -> Response[Any]:
        """Without `confirm=yes` nothing is written: good answers lead to the check page."""
        ratings = await queries.get_ratings(actor=actor, contract_id=contract_id, now=clock.now())
        posted = await request.form()
        year, values, data, errors = _read(ratings, posted)
        if data is not None and posted.get("confirm") != "yes":
            return Redirect(path=with_query(f"{_path(contract_id)}/check", values))
        if data is not None:
            try:
                await services.rate_performance(actor=actor, contract_id=contract_id, ratings=data, now=clock.now())
            except DomainError as refused:
                if refused.status_code == 404:
                    raise
                errors[refused.field or "financial_year"] = gettext(refused.message, **refused.params)
            else:
                return with_flash(Redirect(path=_path(contract_id)), "performance_rated")
        return self._render(request, ratings, year, values, errors, status_code=400)

    @get("/check", guards=[RATERS])
    async def check(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        contract_id: int,
    ) -> Template:
        """Check your answers: each KPI's rating (and note) beside the rating its year's RAG suggests."""
        ratings = await queries.get_ratings(actor=actor, contract_id=contract_id, now=clock.now())
        if not ratings.can_rate:
            raise NotAllowed("Only a commissioner of the contract's PCPG rates its performance")
        query = dict(request.query_params)
        year, values, data, errors = _read(ratings, query)
        if data is None or year is None:
            return self._render(request, ratings, year, values, errors, status_code=400)
        chosen = {rating.contract_kpi_id: rating for rating in data.ratings}
        return page(
            request,
            "returns/ratings_check.html",
            {
                "title": gettext(
                    "Check the performance ratings for %(year)s: %(reference)s",
                    year=year.year_label,
                    reference=ratings.reference,
                ),
                "ratings": ratings,
                "year": year,
                "answers": [
                    (kpi, gettext(chosen[kpi.contract_kpi_id].rating.label), chosen[kpi.contract_kpi_id].note)
                    for kpi in year.kpis
                ],
                "values": values,
                "change": with_query(_path(contract_id), values),
                "path": _path(contract_id),
            },
        )
