"""Log lines as JSON with the request they were written for (core/logs.py)."""

from __future__ import annotations

import json
import logging

from core.logs import JsonFormatter, RequestContext, RequestContextFilter, current_request, request_id_from


def formatted(record: logging.LogRecord) -> dict:
    RequestContextFilter().filter(record)
    return json.loads(JsonFormatter().format(record))


def record(name: str, message: str, *args: object, level: int = logging.INFO) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, args, None)


def test_a_well_formed_incoming_request_id_is_kept_and_anything_else_replaced():
    assert request_id_from("lb-7f3a9c21-0001") == "lb-7f3a9c21-0001"
    for bad in (None, "", "short", "a" * 65, 'x"}\n{"level": "forged"', "has space in it"):
        made = request_id_from(bad)
        assert made != bad and len(made) == 32 and made.isalnum()
    assert request_id_from(None) != request_id_from(None)


def test_a_line_written_during_a_request_carries_its_id_method_path_and_status():
    token = current_request.set(RequestContext(request_id="req-12345678", method="POST", path="/api/v1/x", status=503))
    try:
        line = formatted(record("cdv.errors", "database %s", "busy", level=logging.WARNING))
    finally:
        current_request.reset(token)
    assert line["level"] == "WARNING" and line["logger"] == "cdv.errors" and line["message"] == "database busy"
    assert (line["request_id"], line["method"], line["path"], line["status"]) == (
        "req-12345678",
        "POST",
        "/api/v1/x",
        503,
    )
    assert line["time"].endswith("+00:00")


def test_a_line_outside_any_request_has_no_request_fields():
    line = formatted(record("uvicorn.error", "Started server process [%d]", 42))
    assert line["message"] == "Started server process [42]"
    assert not {"request_id", "method", "path", "status"} & line.keys()


def test_uvicorn_access_lines_take_their_status_from_the_line_itself():
    token = current_request.set(RequestContext(request_id="req-12345678", method="GET", path="/health"))
    try:
        line = formatted(
            record("uvicorn.access", '%s - "%s %s HTTP/%s" %d', "127.0.0.1:1", "GET", "/health", "1.1", 200)
        )
    finally:
        current_request.reset(token)
    assert line["status"] == 200 and line["request_id"] == "req-12345678"


def test_an_exception_and_unusual_text_stay_on_one_line():
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        import sys

        broken = logging.LogRecord("cdv", logging.ERROR, __file__, 1, "failed: ŵ\n%s", ("second line",), sys.exc_info())
    text = JsonFormatter().format(broken)
    assert "\n" not in text
    line = json.loads(text)
    assert line["message"] == "failed: ŵ\nsecond line" and "ValueError: bad" in line["exception"]
