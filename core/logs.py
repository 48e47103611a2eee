"""Structured logs: every line one JSON object, carrying the request it was written for.

An operator searching for a failed request quotes the id a user was shown (the X-Request-ID header, the problem's
`request_id`, the error page's reference) and finds every line the app and uvicorn wrote while answering it.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass
class RequestContext:
    request_id: str
    method: str
    path: str
    status: int | None = None


current_request: ContextVar[RequestContext | None] = ContextVar("current_request", default=None)

_WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{8,64}")
_UVICORN_ACCESS_STATUS = 4  # uvicorn.access's arguments: client, method, path, HTTP version, status


def request_id_from(given: str | None) -> str:
    """A caller's id (a load balancer's or a client's) is kept, so its logs and ours join; anything else that could
    forge or break a log line is replaced by a fresh one."""
    if given and _WELL_FORMED.fullmatch(given):
        return given
    return uuid.uuid4().hex


def request_id() -> str | None:
    found = current_request.get()
    return found.request_id if found is not None else None


class RequestContextFilter(logging.Filter):
    """Puts the current request's id, method, path and status on each record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        found = current_request.get()
        record.request_id = found.request_id if found else None
        record.method = found.method if found else None
        record.path = found.path if found else None
        status: object = found.status if found else None
        if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) > 4:
            status = record.args[_UVICORN_ACCESS_STATUS]
        record.status = status
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, so a log shipper needs no pattern to read it."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ("request_id", "method", "path", "status"):
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": RequestContextFilter}},
    "formatters": {"json": {"()": JsonFormatter}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "json",
            "filters": ["request"],
        }
    },
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "cdv": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
"""What `cdv serve` gives uvicorn (its `log_config`): the app's loggers, uvicorn's and any library's, as JSON."""
