"""JSON API: your notices."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency

from accounts.actor import Actor
from accounts.guards import signed_in
from core.clock import Clock
from core.pagination import DEFAULT_LIMIT, Page
from notifications import queries, services
from notifications.queries import NotificationOut
from web.params import Limit, Offset


class NotificationController(Controller):
    path = "/api/v1/notifications"
    tags = ["Notifications"]
    guards = [signed_in]

    @get("/")
    async def list_notifications(
        self,
        actor: NamedDependency[Actor],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[NotificationOut]:
        return await queries.list_notifications(actor=actor, limit=limit, offset=offset)

    @post("/{notification_id:int}/read", status_code=204)
    async def read(self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], notification_id: int) -> None:
        await services.mark_read(actor=actor, notification_id=notification_id, now=clock.now())
