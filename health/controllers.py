"""GET /health, for a load balancer or a monitor: no sign-in, no cookie, JSON, never cached."""

from __future__ import annotations

from litestar import Response, get

from health.queries import Health, health


@get("/health", include_in_schema=False, opt={"without_request_context": True})
async def health_check() -> Response[Health]:
    """200 while this server can answer requests; 503 naming the check that failed, so the balancer sends none.
    Asked every few seconds, it reads no session, token or training clock: only what it checks."""
    found = await health()
    return Response(found, status_code=200 if found.healthy else 503, headers={"cache-control": "no-store"})
