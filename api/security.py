"""Per-request context: who is acting (session for pages, bearer token for the API) and which language; and, around
the whole app, the headers every response carries, a 404 or an error page included: a CSP with a per-request nonce,
no framing, no sniffing, and `Cache-Control: no-store` wherever a signed-in answer or a download could be kept."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from accounts import queries as account_queries
from accounts.rules import SignInKind
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


def _is_download(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    """A PDF, or anything sent as an attachment (a spreadsheet, an uploaded file): sent to be saved, not shown as a
    page. Static files say `inline`: they stay cacheable."""
    for name, value in headers:
        name, value = name.lower(), value.lower().strip()
        if (name == b"content-disposition" and value.startswith(b"attachment")) or (
            name == b"content-type" and value.startswith(b"application/pdf")
        ):
            return True
    return False


def cache_control(*, signed_in: bool, is_api: bool, download: bool, given: bytes | None) -> bytes | None:
    """The Cache-Control an answer leaves with (None: as given). Nothing a signed-in reader was sent, no API answer
    and no download may be kept by a browser or a proxy (a shared computer's back button, a cache's disk). The one
    exception: a public API answer that set its own (reference data with an ETag, the same for everyone)."""
    if signed_in or download:
        return b"no-store"
    if is_api and given is None:
        return b"no-store"
    return None


def _has_credentials(scope: Scope) -> bool:
    """A request that came with a session cookie or a bearer token, whether or not it still signs anyone in."""
    return _header(scope, b"authorization") is not None or SESSION_COOKIE in _cookies(scope)


class SecurityHeaders:
    """Wraps the whole app (not a route's middleware), so an unknown path's 404, a 405 and a 500 that escaped every
    handler carry the same headers as a page. The CSP's nonce is made here and left in the scope for the pages."""

    def __init__(self, app: ASGIApp, *, secure_cookies: bool) -> None:
        self.app = app
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        is_api = path.startswith(API_PREFIX) or path.startswith("/schema")
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        credentials = _has_credentials(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                extra = [
                    (
                        b"content-security-policy",
                        content_security_policy(nonce, viewer=path.startswith("/schema")).encode(),
                    ),
                    *_SAME_FOR_EVERY_RESPONSE,
                ]
                if self.secure_cookies:
                    extra.append(_HSTS)
                headers += [(name, value) for name, value in extra if name not in names]
                given = next((value for name, value in headers if name.lower() == b"cache-control"), None)
                signed_in = credentials or scope.get("state", {}).get("actor") is not None
                decided = cache_control(signed_in=signed_in, is_api=is_api, download=_is_download(headers), given=given)
                if decided is not None:
                    headers = [(name, value) for name, value in headers if name.lower() != b"cache-control"]
                    headers.append((b"cache-control", decided))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RequestContextMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)
    exclude_opt_key = "without_request_context"  # a route that needs no reader, language or clock (GET /health)

    def __init__(self, *, secure_cookies: bool, clock_can_move: bool) -> None:
        self.secure_cookies = secure_cookies
        self.clock_can_move = clock_can_move

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        path = scope.get("path", "")
        is_api = path.startswith(API_PREFIX) or path.startswith("/schema")
        if not is_api:
            scope["query_string"] = without_empty_values(scope.get("query_string", b""))
        if is_api:
            # A public answer that depends only on its URL, still fresh: sent again as it was (web/http_cache.py).
            replay = ANSWERS.replay(scope)
            if replay is not None:
                for message in replay:
                    await send(message)
                return
        record = ANSWERS.recorder(scope) if is_api else None
        cookies = _cookies(scope)
        found = None
        if is_api:
            authorization = _header(scope, b"authorization") or ""
            if authorization.lower().startswith("bearer "):
                found = await account_queries.signed_in(SignInKind.TOKEN, authorization[7:].strip())
        elif SESSION_COOKIE in cookies:
            found = await account_queries.signed_in(SignInKind.SESSION, cookies[SESSION_COOKIE])
        actor = found.actor if found is not None else None
        clock = await current_clock() if self.clock_can_move else SYSTEM_CLOCK

        # A GET changes nothing: ?lang= sets the language for this visit (a cookie), for anyone. A signed-in user's
        # stored preference changes only by a form post (accounts/pages/account.py); it applies when no visit
        # cookie says otherwise, and signing in starts the visit afresh (accounts/pages/sign_in.py).
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        asked = normalise_language(next(iter(query.get("lang", [])), None))
        from_cookie = normalise_language(cookies.get(LANGUAGE_COOKIE))
        preferred = actor.language if actor is not None else None
        language = asked or from_cookie or preferred or DEFAULT_LANGUAGE
        set_cookie = asked is not None and asked != from_cookie and not is_api

        state = scope.setdefault("state", {})
        nonce = state.get("csp_nonce") or secrets.token_urlsafe(16)
        state.update(
            {
                "actor": actor,
                "sign_in": (found.kind, found.sign_in_id) if found is not None else None,
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
                headers = list(message.get("headers", []))
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
