"""The Litestar app: each domain's API controllers and pages, plus plugins and middleware."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.jinja import JinjaTemplateEngine as Engine
from litestar.routes import HTTPRoute
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from accounts.site import DOMAIN as accounts
from administration.site import DOMAIN as administration
from api.deps import DEPENDENCIES
from api.errors import EXCEPTION_HANDLERS
from api.openapi import document_api
from api.request_ids import RequestIds
from api.requests import CdvRequest
from api.security import RequestContextMiddleware, SecurityHeaders
from api.settings import Settings, check_secret, load_settings
from audit.site import DOMAIN as audit
from commissioning.site import DOMAIN as commissioning
from contracts.expiry import hourly_expiry
from contracts.site import DOMAIN as contracts
from core.db import engine, is_postgres
from finance.site import DOMAIN as finance
from health.site import DOMAIN as health
from lineofsight.site import DOMAIN as lineofsight
from maturity.site import DOMAIN as maturity
from menu.site import DOMAIN as menu
from needs.site import DOMAIN as needs
from notifications.site import DOMAIN as notifications
from opendata.site import DOMAIN as opendata
from organisations.site import DOMAIN as organisations
from returns.autonomy.services import recompute_tiers
from returns.site import DOMAIN as returns
from web.contributions import DomainSite, gather
from web.pages import DOMAIN as site
from web.templating import BUILT, NHSUK_DIST, ROOT, SWAGGER_DIST, make_environment

DOMAINS: tuple[DomainSite, ...] = (
    site,
    accounts,
    organisations,
    audit,
    menu,
    finance,
    commissioning,
    needs,
    contracts,
    returns,
    maturity,
    notifications,
    opendata,
    lineofsight,
    health,
)
"""Each domain's routes and what it adds to every page; a new domain is one line here."""


@asynccontextmanager
async def database_pool(app: Litestar) -> AsyncIterator[None]:
    if is_postgres() and engine().pool is None:  # type: ignore[attr-defined]
        await engine().start_connection_pool(min_size=1, max_size=10)  # type: ignore[call-arg]
        try:
            yield
        finally:
            await engine().close_connection_pool()  # type: ignore[attr-defined]
    else:
        await engine().run_ddl("PRAGMA journal_mode=WAL")
        yield


OUTBOX_INTERVAL_SECONDS = 5.0
OUTBOX_STOP_SECONDS = 15.0


def email_outbox(settings: Settings) -> Any:
    """When SMTP is configured, email due notices every few seconds (notifications/outbox.py). The SMTP conversation
    runs in a thread with no transaction open, so a slow mail server slows no request; each process claims before
    sending, so several never send one notice twice. On shutdown the message under way may finish (for a while), and
    the rest of its batch is given back for the next process to send."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if not settings.smtp_host:
            yield
            return

        stopping = asyncio.Event()

        async def loop() -> None:
            from notifications.outbox import Mailer, deliver_due

            mailer = Mailer(host=settings.smtp_host, port=settings.smtp_port, sender=settings.mail_from)
            while not stopping.is_set():
                try:
                    await deliver_due(mailer, limit=5, stop=stopping)
                except Exception:  # a mail server or database hiccup must not stop the app; the next round retries
                    logging.getLogger("cdv.notifications").exception("email outbox failed")
                with suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), OUTBOX_INTERVAL_SECONDS)

        task = asyncio.create_task(loop())
        try:
            yield
        finally:
            stopping.set()
            with suppress(TimeoutError):  # past it, the message under way is sent again after its lease
                await asyncio.wait_for(task, OUTBOX_STOP_SECONDS)

    return lifespan


def answer_options_for_every_method(app: Litestar) -> None:
    """Litestar 2 answers OPTIONS on a path with several handlers (a controller's GET and POST on "/") with the
    `Allow` of the first handler only: its automatic OPTIONS handler keeps the route as first registered
    (litestar#4169, fixed in Litestar 3). Point each at the route it now belongs to, so `Allow` lists every method."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or "OPTIONS" not in route.route_handler_map:
            continue
        answer = route.route_handler_map["OPTIONS"][0].fn
        if getattr(answer, "__name__", "") != "options_handler":
            continue  # an OPTIONS handler of our own
        for name, cell in zip(answer.__code__.co_freevars, answer.__closure__ or (), strict=True):
            if name == "self" and isinstance(cell.cell_contents, HTTPRoute):
                cell.cell_contents = route


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or load_settings()
    check_secret(settings)
    domains = (*DOMAINS, administration) if settings.clock_can_move else DOMAINS
    gathered = gather(domains)
    route_handlers: list = [handler for domain in domains for handler in domain.route_handlers]
    route_handlers.append(
        create_static_files_router(
            path="/static", directories=[ROOT / "static"], name="static", include_in_schema=False
        )
    )
    if NHSUK_DIST.exists():
        route_handlers += [
            create_static_files_router(
                path="/static/nhsuk", directories=[NHSUK_DIST], name="nhsuk", include_in_schema=False
            ),
            create_static_files_router(
                path="/assets",
                directories=[NHSUK_DIST / "assets"],
                name="nhsuk-assets",
                include_in_schema=False,
            ),
        ]
    if BUILT.exists():
        route_handlers.append(
            create_static_files_router(path="/static/build", directories=[BUILT], name="built", include_in_schema=False)
        )
    if SWAGGER_DIST.exists():
        route_handlers.append(
            create_static_files_router(
                path="/static/swagger", directories=[SWAGGER_DIST], name="swagger", include_in_schema=False
            )
        )
    app = Litestar(
        route_handlers=route_handlers,
        dependencies=DEPENDENCIES,
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=CdvRequest,
        middleware=[
            RequestContextMiddleware(secure_cookies=settings.secure_cookies, clock_can_move=settings.clock_can_move)
        ],
        csrf_config=CSRFConfig(
            secret=settings.secret,
            cookie_secure=settings.secure_cookies,
            cookie_httponly=True,
            cookie_samesite="lax",
            exclude=["/api/", "/health"],
        ),
        template_config=TemplateConfig(instance=Engine.from_environment(make_environment(gathered))),
        openapi_config=OpenAPIConfig(
            title="cdv-commissioning",
            version="1",
            description="Commissioning primary-care cluster services in NHS Wales. "
            "Sign in with POST /api/v1/auth/token "
            "and send the token as `Authorization: Bearer ...`.",
            path="/schema",
            components=Components(
                security_schemes={"BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="opaque")}
            ),
            render_plugins=[
                SwaggerRenderPlugin(
                    js_url="/static/swagger/swagger-ui-bundle.js",
                    css_url="/static/swagger/swagger-ui.css",
                    standalone_preset_js_url="/static/swagger/swagger-ui-standalone-preset.js",
                    path="/swagger",
                    favicon="<link rel='icon' href='/assets/images/favicon.ico'>",
                )
            ],
        ),
        lifespan=[
            database_pool,
            email_outbox(settings),
            hourly_expiry(settings.clock_can_move, also=(recompute_tiers,)),
        ],
        debug=False,
        logging_config=None,  # `cdv serve` configures logging (core/logs.py); Litestar's own would replace it
    )
    answer_options_for_every_method(app)
    app.asgi_handler = RequestIds(SecurityHeaders(app.asgi_handler, secure_cookies=settings.secure_cookies))
    document_api(app)
    app.state.settings = settings
    app.state.site = gathered
    logging.getLogger("cdv").setLevel(logging.INFO)
    return app
