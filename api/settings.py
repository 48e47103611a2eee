"""Settings from the environment, checked once at start-up (secure defaults; production refuses unsafe ones)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from opendata.rules import is_ocid_prefix

DEFAULT_SECRET = "dev-only-secret-change-me-0123456789abcdef"  # noqa: S105 - refused in production below
DEFAULT_OCID_PREFIX = "ocds-xxxxxx"
"""The Open Contracting Partnership's placeholder for a prefix not yet registered (opendata/): a publisher registers
its own ("ocds-" and six letters or digits) and sets CDV_OCID_PREFIX before publishing."""
ENVIRONMENTS = ("production", "demo", "test", "development")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class UnsafeConfiguration(RuntimeError):
    pass


@dataclass(frozen=True)
class Settings:
    environment: str
    secret: str
    database_url: str
    smtp_host: str
    smtp_port: int
    mail_from: str
    ocid_prefix: str = DEFAULT_OCID_PREFIX  # CDV_OCID_PREFIX: what every ocid of the open data starts with
    host: str | None = None  # the address the app is served on (CDV_HOST, which `cdv serve --host` sets); None: unknown

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def clock_can_move(self) -> bool:
        """Training clock: only where CDV_ENV says demo or test (issue 2, "one clock")."""
        return self.environment in ("demo", "test")

    @property
    def secure_cookies(self) -> bool:
        return self.is_production


def load_settings() -> Settings:
    environment = os.environ.get("CDV_ENV", "development").strip().lower()
    if environment not in ENVIRONMENTS:
        raise UnsafeConfiguration(f"CDV_ENV must be one of {', '.join(ENVIRONMENTS)}")
    settings = Settings(
        environment=environment,
        secret=os.environ.get("CDV_SECRET", DEFAULT_SECRET),
        database_url=os.environ.get("DATABASE_URL", ""),
        smtp_host=os.environ.get("CDV_SMTP_HOST", ""),
        smtp_port=int(os.environ.get("CDV_SMTP_PORT", "25")),
        mail_from=os.environ.get("CDV_MAIL_FROM", "cdv-commissioning@localhost"),
        host=os.environ.get("CDV_HOST", "").strip() or None,
        ocid_prefix=os.environ.get("CDV_OCID_PREFIX", "").strip() or DEFAULT_OCID_PREFIX,
    )
    if not is_ocid_prefix(settings.ocid_prefix):
        raise UnsafeConfiguration("CDV_OCID_PREFIX must be 'ocds-' and six lower-case letters or digits")
    if settings.is_production:
        if settings.secret == DEFAULT_SECRET or len(settings.secret) < 32:
            raise UnsafeConfiguration("CDV_ENV=production needs CDV_SECRET: at least 32 characters, not the default")
        if not settings.database_url:
            raise UnsafeConfiguration("CDV_ENV=production needs DATABASE_URL: a configured PostgreSQL database")
    return settings


def default_secret_refusal(settings: Settings) -> str | None:
    """Why the app must not start with this secret, or None. The default secret is published (it is in this file),
    so whoever knows it can forge CSRF tokens: outside the test suite it is accepted only when the app listens on
    127.0.0.1, where nobody else can reach it (`scripts/demo` serves there). Production refuses it anywhere (above)."""
    if settings.secret != DEFAULT_SECRET or settings.environment == "test":
        return None
    if settings.host in LOOPBACK_HOSTS:
        return None
    where = settings.host or "an address it was not told (CDV_HOST is unset)"
    return (
        f"CDV_SECRET is not set, and the published default secret is only accepted on 127.0.0.1 in development; "
        f"the app would run on {where}. Set CDV_SECRET to a private value of at least 32 characters, or serve on "
        f"127.0.0.1 (cdv serve --host 127.0.0.1)"
    )


def check_secret(settings: Settings) -> None:
    """Refuse to start with the published secret where others could reach the app; say so where it is allowed."""
    refusal = default_secret_refusal(settings)
    if refusal:
        raise UnsafeConfiguration(refusal)
    if settings.secret == DEFAULT_SECRET and settings.environment != "test":
        logging.getLogger("cdv").warning(
            "using the published default CDV_SECRET: accepted only because the app runs on %s", settings.host
        )
