"""GET /health, for a load balancer or a monitor: no sign-in, no cookie, JSON, never cached."""

from __future__ import annotations

from litestar import Response, get

from health.queries import Health, health


@get("/health", include_in_schema=False)
async def health_check() -> Response[Health]:
    """200 while this server can answer requests; 503 naming the check that failed, so the balancer sends none."""
    found = await health()
    return Response(found, status_code=200 if found.healthy else 503, headers={"cache-control": "no-store"})
