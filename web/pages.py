"""Pages that belong to the whole service: the start page and the accessibility statement."""

from __future__ import annotations

from datetime import date

from litestar import Controller, Request, get
from litestar.response import Template

from core.i18n import gettext
from web.contributions import DomainSite
from web.templating import page

STATEMENT_REVIEWED_ON = date(2026, 11, 23)


class SitePages(Controller):
    path = "/"
    include_in_schema = False

    @get("/")
    async def start(self, request: Request) -> Template:
        return page(request, "site/start.html", {"title": gettext("Home")})

    @get("/api-documentation")
    async def api_documentation(self, request: Request) -> Template:
        return page(request, "site/api_documentation.html", {"title": gettext("API documentation")})

    @get("/accessibility")
    async def accessibility(self, request: Request) -> Template:
        return page(
            request,
            "site/accessibility.html",
            {"title": gettext("Accessibility statement"), "reviewed_on": STATEMENT_REVIEWED_ON},
        )


DOMAIN = DomainSite(name="site", route_handlers=(SitePages,))
