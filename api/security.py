"""Per-request context: who is acting (session for pages, bearer token for the API), which language, and
the security headers every response carries (a CSP with a per-request nonce, no framing)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from accounts import queries as account_queries
from accounts.services import set_language
from administration.services import current_clock
from core.clock import SYSTEM_CLOCK
from core.i18n import DEFAULT_LANGUAGE, current_language, normalise_language
from web.cookies import LANGUAGE_COOKIE, SESSION_COOKIE
from web.http_cache import ANSWERS
from web.query import without_empty_values

API_PREFIX = "/api/"


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: S112 - a malformed cookie header is ignored, not fatal
                continue
    return {key: morsel.value for key, morsel in jar.items()}


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return value.decode("latin-1")
    return None


def content_security_policy(nonce: str, *, viewer: bool = False) -> str:
    """Strict everywhere; the third-party API viewer under /schema needs its inline script and styles."""
    scripts = "'self' 'unsafe-inline'" if viewer else f"'self' 'nonce-{nonce}'"
    styles = "'self' 'unsafe-inline'" if viewer else "'self'"
    return (
        "default-src 'self'; "
        f"script-src {scripts}; "
        f"style-src {styles}; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


_SAME_FOR_EVERY_RESPONSE = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class RequestContextMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    def __init__(self, *, secure_cookies: bool, clock_can_move: bool) -> None:
        self.secure_cookies = secure_cookies
        self.clock_can_move = clock_can_move

    def with_security_headers(self, headers: Iterable[tuple[bytes, bytes]], nonce: str, path: str) -> list[Any]:
        """The response's headers plus the security headers it does not set itself."""
        headers = list(headers)
        names = {name.lower() for name, _ in headers}
        extra = [
            (b"content-security-policy", content_security_policy(nonce, viewer=path.startswith("/schema")).encode()),
            *_SAME_FOR_EVERY_RESPONSE,
        ]
        if self.secure_cookies:
            extra.append(_HSTS)
        return [*headers, *((name, value) for name, value in extra if name not in names)]

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        path = scope.get("path", "")
        is_api = path.startswith(API_PREFIX) or path.startswith("/schema")
        if not is_api:
            scope["query_string"] = without_empty_values(scope.get("query_string", b""))
        if is_api:
            # A public answer that depends only on its URL, still fresh: sent again as it was (web/http_cache.py).
            replay = ANSWERS.replay(scope)
            if replay is not None:
                nonce = secrets.token_urlsafe(16)
                for message in replay:
                    if message["type"] == "http.response.start":
                        message["headers"] = self.with_security_headers(message["headers"], nonce, path)
                    await send(message)
                return
        record = ANSWERS.recorder(scope) if is_api else None
        cookies = _cookies(scope)
        actor = None
        if is_api:
            authorization = _header(scope, b"authorization") or ""
            if authorization.lower().startswith("bearer "):
                actor = await account_queries.actor_for_token(authorization[7:].strip())
        elif SESSION_COOKIE in cookies:
            actor = await account_queries.actor_for_session(cookies[SESSION_COOKIE])
        clock = await current_clock() if self.clock_can_move else SYSTEM_CLOCK

        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        asked = normalise_language(next(iter(query.get("lang", [])), None))
        from_cookie = normalise_language(cookies.get(LANGUAGE_COOKIE))
        preferred = actor.language if actor is not None else None
        language = asked or preferred or from_cookie or DEFAULT_LANGUAGE
        set_cookie = asked is not None and asked != from_cookie and not is_api
        if asked and actor is not None and asked != actor.language and not is_api:
            await set_language(actor=actor, language=asked, now=clock.now())

        nonce = secrets.token_urlsafe(16)
        state = scope.setdefault("state", {})
        state.update(
            {
                "actor": actor,
                "clock": clock,
                "language": language,
                "csp_nonce": nonce,
                "session_key": cookies.get(SESSION_COOKIE),
                "request_started_at": datetime.now(UTC),
            }
        )
        scope["user"] = actor
        token = current_language.set(language)

        async def send_with_headers(message: Message) -> None:
            if record is not None:
                record(message)
            if message["type"] == "http.response.start":
                headers = self.with_security_headers(message.get("headers", []), nonce, path)
                names = {name.lower() for name, _ in headers}
                if b"content-language" not in names and not is_api:
                    headers.append((b"content-language", language.encode()))
                if set_cookie:
                    cookie = f"{LANGUAGE_COOKIE}={asked}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly"
                    if self.secure_cookies:
                        cookie += "; Secure"
                    headers.append((b"set-cookie", cookie.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await next_app(scope, receive, send_with_headers)
        finally:
            current_language.reset(token)
