"""JSON API: the open data as an OCDS 1.1.5 release package, public, a page at a time."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from core.clock import Clock
from opendata.queries.ocds import DEFAULT_PAGE, MAX_PAGE, package, release_page
from opendata.schemas import ReleasePackage
from web.params import NO_NUL

PATH = "/api/v1/open-data/ocds"


class OpenDataController(Controller):
    path = PATH
    tags = ["Open data"]

    @get(
        "/",
        summary="Every published specification and awarded contract as an OCDS 1.1.5 release package",
        description="Public, no sign-in. One release per contracting process (a specification), in the order of "
        'their references; the `Link` header\'s `rel="next"` gives the next page until the last. Uses the '
        "budget breakdown and metrics extensions. No personal data and nothing of any bid.",
    )
    async def ocds(
        self,
        request: Request,
        clock: NamedDependency[Clock],
        after: Annotated[str | None, QueryParameter(name="after", min_length=1, max_length=40, pattern=NO_NUL)] = None,
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
    ) -> Response[ReleasePackage]:
        now = clock.now()
        prefix = request.app.state.settings.ocid_prefix
        page = await release_page(prefix=prefix, after=after, limit=limit, now=now)
        base = str(request.base_url).rstrip("/") + PATH
        here = base + ("?" + urlencode({"after": after, "limit": limit}) if after else f"?limit={limit}")
        headers = {}
        if page.next_after is not None:
            following = base + "?" + urlencode({"after": page.next_after, "limit": limit})
            headers["Link"] = f'<{following}>; rel="next"'
        return Response(package(uri=here, releases=page.releases, now=now), headers=headers)
