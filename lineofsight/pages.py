"""The line of sight pages (/line-of-sight): one place and year on one page, going up and down from a health board
to its PCPGs and their clusters, with the CSV, the PDF and the PDF's web page twin. A place out of sight is a page
that does not exist."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor
from core.bounds import MAX_ID
from core.clock import Clock
from core.errors import NotFound, RuleBroken
from core.i18n import N_, gettext
from core.periods import FinancialYear
from core.spreadsheet import CSV_TYPE, download_headers
from lineofsight import document, exports
from lineofsight.controllers import READERS
from lineofsight.queries import line_of_sight
from lineofsight.schemas import LineOfSightOut, PlaceLink, SightAsk
from lineofsight.scope import places_to_choose
from web.templating import page, with_query

PATH = "/line-of-sight"
Place = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
YearParameter = Annotated[int | None, QueryParameter(name="year", ge=2000, le=2100)]
QUERY_NAMES = {"health_board": "health_board_id", "pcpg": "pcpg_id", "cluster": "cluster_id"}


def place_query(link: PlaceLink | Any, year: int | None = None) -> dict[str, int]:
    """A place's address in the page's query (`pcpg=12`), with the year when one was chosen."""
    query = {link.level: link.place_id}
    return query | ({"year": year} if year is not None else {})


def _ask(health_board: Place = None, pcpg: Place = None, cluster: Place = None, year: YearParameter = None) -> SightAsk:
    """The page's query (`?pcpg=12&year=2027`) as the API's question, for every page of the line of sight."""
    return SightAsk(health_board_id=health_board, pcpg_id=pcpg, cluster_id=cluster, financial_year=year)


async def _read(actor: Actor, clock: Clock, ask: SightAsk) -> LineOfSightOut:
    try:
        return await line_of_sight(actor=actor, ask=ask, now=clock.now())
    except RuleBroken as refused:  # the page's address names the place: out of sight, it does not exist
        raise NotFound("No such place") from refused


def _years(out: LineOfSightOut, clock: Clock) -> list[FinancialYear]:
    current = FinancialYear.containing(clock.today().date()).start_year
    starts = {current + offset for offset in range(-3, 3)} | {out.financial_year}
    return [FinancialYear(start) for start in sorted(starts)]


class LineOfSightPages(Controller):
    path = "/"
    include_in_schema = False
    guards = [READERS]
    dependencies = {"ask": Provide(_ask, sync_to_thread=False)}

    @get(PATH)
    async def sight(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        ask: SightAsk,
    ) -> Response[Any]:
        year = ask.financial_year
        if ask.health_board_id is None and ask.pcpg_id is None and ask.cluster_id is None:
            choices = await places_to_choose(actor)
            if len(choices) == 1:
                return Redirect(path=with_query(PATH, place_query(choices[0], year)))
            return page(
                request,
                "lineofsight/choose.html",
                {
                    "title": gettext(N_("Line of sight: choose a place")),
                    "choices": [(choice.name, with_query(PATH, place_query(choice, year))) for choice in choices],
                },
            )
        out = await _read(actor, clock, ask)
        query = place_query(out.place, year)
        return page(
            request,
            "lineofsight/sight.html",
            {
                # A year chosen is a page of its own (the current year's page is also the page with no year asked).
                "title": gettext(N_("Line of sight: %(place)s"), place=out.place.name)
                + ("" if year is None else f", {out.year_label}"),
                "out": out,
                "gap_groups": [(heading, getattr(out.gaps, name)) for name, heading in document.gap_headings()],
                "years": _years(out, clock),
                "place_field": (out.place.level, out.place.place_id),
                "up": [(link.name, with_query(PATH, place_query(link, year))) for link in out.up],
                "down": [(link.name, with_query(PATH, place_query(link, year))) for link in out.down],
                "csv_href": with_query(f"{PATH}.csv", query),
                "pdf_href": with_query(f"{PATH}.pdf", query),
                "twin_href": with_query(f"{PATH}/document", query),
            },
        )

    @get(f"{PATH}.csv", media_type=CSV_TYPE)
    async def sight_csv(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        ask: SightAsk,
    ) -> Response[str]:
        out = await _read(actor, clock, ask)
        return Response(
            exports.sight_csv(out), media_type=CSV_TYPE, headers=download_headers(exports.file_name(out, "csv"))
        )

    @get(f"{PATH}.pdf", media_type="application/pdf")
    async def sight_pdf(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        ask: SightAsk,
    ) -> Response[bytes]:
        out = await _read(actor, clock, ask)
        twin = str(request.base_url).rstrip("/") + with_query(
            f"{PATH}/document", place_query(out.place, ask.financial_year)
        )
        content = document.sight_pdf(out, produced_at=clock.now(), produced_by=actor.name, address=twin)
        return Response(content, media_type="application/pdf", headers=download_headers(exports.file_name(out, "pdf")))

    @get(f"{PATH}/document")
    async def sight_document(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        ask: SightAsk,
    ) -> Template:
        """The PDF's accessible twin: the same sections, as a web page."""
        out = await _read(actor, clock, ask)
        laid = document.layout(out, produced_at=clock.now(), produced_by=actor.name)
        year = ask.financial_year
        query = place_query(out.place, year)
        return page(
            request,
            "lineofsight/document.html",
            {
                "title": f"{laid.kicker}: {laid.title}" + ("" if year is None else f" ({out.year_label})"),
                "laid": laid,
                "pdf_href": with_query(f"{PATH}.pdf", query),
                "sight_href": with_query(PATH, query),
            },
        )
