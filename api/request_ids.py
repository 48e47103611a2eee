"""A request id for every request, around the whole app: in each log line written while answering it, in the
X-Request-ID response header, and in problem details and error pages (core/logs.py)."""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from core.logs import RequestContext, current_request, request_id_from

HEADER = b"x-request-id"


class RequestIds:
    """Outermost, so a 404 of an unknown path and a 500 that escaped every handler carry an id too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        given = next((value.decode("latin-1") for name, value in scope.get("headers", []) if name == HEADER), None)
        context = RequestContext(
            request_id=request_id_from(given), method=scope.get("method", ""), path=scope.get("path", "")
        )
        scope.setdefault("state", {})["request_id"] = context.request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                context.status = int(message["status"])
                headers = [(name, value) for name, value in message.get("headers", []) if name.lower() != HEADER]
                message["headers"] = [*headers, (HEADER, context.request_id.encode())]
            await send(message)

        token = current_request.set(context)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            current_request.reset(token)
