"""Page: the inbox, every user's notices in their language, newest first."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from accounts.actor import Actor
from accounts.guards import signed_in
from core.clock import Clock
from core.i18n import gettext
from notifications import queries, services
from web.templating import form_page_offset, page, paging


class InboxPages(Controller):
    path = "/inbox"
    include_in_schema = False
    guards = [signed_in]

    @get("/")
    async def inbox(self, request: Request, actor: NamedDependency[Actor], offset: str | None = None) -> Template:
        result = await queries.list_notifications(actor=actor, limit=25, offset=form_page_offset(offset))
        return page(
            request,
            "notifications/inbox.html",
            {"title": gettext("Inbox"), "notices": result.items, "paging": paging(result, request)},
        )

    @post("/read")
    async def read_all(self, actor: NamedDependency[Actor], clock: NamedDependency[Clock]) -> Redirect:
        await services.mark_read(actor=actor, notification_id=None, now=clock.now())
        return Redirect(path="/inbox")
