"""Settings from the environment, checked once at start-up (secure defaults; production refuses unsafe ones)."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_SECRET = "dev-only-secret-change-me-0123456789abcdef"  # noqa: S105 - refused in production below
ENVIRONMENTS = ("production", "demo", "test", "development")


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
    )
    if settings.is_production:
        if settings.secret == DEFAULT_SECRET or len(settings.secret) < 32:
            raise UnsafeConfiguration("CDV_ENV=production needs CDV_SECRET: at least 32 characters, not the default")
        if not settings.database_url:
            raise UnsafeConfiguration("CDV_ENV=production needs DATABASE_URL: a configured PostgreSQL database")
    return settings
