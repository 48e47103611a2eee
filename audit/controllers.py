"""JSON API: the audit trail (national admins; commissioners for their PCPGs)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from audit import queries
from audit.schemas import AuditEventOut, ChainReport
from core.clock import Clock
from core.pagination import DEFAULT_LIMIT, Page
from web.paging import Limit, Offset


class AuditController(Controller):
    path = "/api/v1/audit"
    tags = ["Audit trail"]

    @get("/events", guards=[requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER)])
    async def events(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        action: Annotated[
            str | None, QueryParameter(name="action", max_length=80, pattern=r"^[a-z_]+\.[a-z_]+$")
        ] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[AuditEventOut]:
        return await queries.list_audit_events(actor=actor, action=action, limit=limit, offset=offset, now=clock.now())

    @get("/verify", guards=[requires_role(Role.NATIONAL_ADMIN)], summary="Check the hash chain end to end")
    async def verify(self, clock: NamedDependency[Clock]) -> ChainReport:
        return await queries.verify_chain(clock.now())
