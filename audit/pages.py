"""Page: the audit trail, newest first, scoped like the API."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from audit import queries, rules
from core.clock import Clock
from core.i18n import gettext
from web.templating import form_page_offset, page, paging


class AuditPages(Controller):
    path = "/audit"
    include_in_schema = False
    guards = [requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER)]

    @get("/")
    async def events(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        action: str | None = None,
        offset: str | None = None,
    ) -> Template:
        action = (action or "").strip()[:80] or None
        result = await queries.list_audit_events(
            actor=actor, action=action, limit=50, offset=form_page_offset(offset), now=clock.now()
        )
        chain = await queries.verify_chain(clock.now()) if rules.can_verify_chain(actor.role) else None
        shown = (await queries.list_audit_events(actor=actor, limit=1, now=clock.now())).total
        return page(
            request,
            "audit/events.html",
            {
                "title": gettext("Audit trail"),
                "events": result.items,
                "paging": paging(result, request),
                "action": action,
                "chain": chain,
                "chain_count": shown,
            },
        )
