"""Errors as RFC 9457 problem details under /api, and as bilingual HTML pages elsewhere. Never a bare 500."""

from __future__ import annotations

import logging
import sqlite3
from datetime import date, datetime
from typing import Annotated, Any

import asyncpg
import msgspec
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Redirect
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from msgspec import UNSET, UnsetType

from core.db import Failure, failure_of
from core.errors import DomainError
from core.i18n import N_, gettext
from core.logs import request_id
from core.spreadsheet import cell_of
from web.errors import error_page
from web.forms import field_of_validation_message

log = logging.getLogger("cdv.errors")
PROBLEM = "application/problem+json"

TITLES = {
    400: "The request could not be read",
    401: "Sign in to continue",
    403: "You do not have permission to do that",
    404: "Not found",
    405: "That method is not allowed here",
    409: "That conflicts with the current state",
    413: "The request is too large",
    415: "Send the body as JSON, with Content-Type: application/json",
    422: "The request was read, but something in it is not allowed",
    429: "Too many requests",
    500: "Something went wrong",
    503: "The service is busy: try again in a moment",
}
TOO_LARGE_FILE = N_("The file must be 10 MB or smaller")  # as commissioning.services.bids.sniff_attachment says it


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _about(description: str) -> msgspec.Meta:
    return msgspec.Meta(description=description)


class ProblemError(msgspec.Struct):
    """One thing wrong with the request."""

    field: Annotated[str | None, _about("The field at fault (`cluster_ids[0]` names an item), or null for the whole")]
    message: str
    source: Annotated[str | UnsetType, _about("Where unreadable input was: body, query, path or header")] = UNSET
    row: Annotated[int | UnsetType, _about("An uploaded file's row at fault (its field is then `file.<cell>`)")] = UNSET
    column: Annotated[str | UnsetType, _about("That row's column at fault, by its letter")] = UNSET


class Problem(msgspec.Struct, omit_defaults=True):
    """Every error the API answers: an RFC 9457 problem (`application/problem+json`).

    The members after `errors` are RFC 9457 extension members: the facts of a refusal a client can act on, present
    when the refusal has them. They are taken by name from the refusal's parameters (`EXTENSIONS`), so a refusal gains
    one by passing it, and the OpenAPI document shows it because it is declared here.
    """

    type: str
    title: str
    status: int
    detail: str
    instance: Annotated[str | UnsetType, _about("The address asked for")] = UNSET
    errors: Annotated[list[ProblemError], _about("Each field at fault, when the refusal is about fields")] = []
    budget_line_id: Annotated[int | UnsetType, _about("A budget line without the headroom asked for")] = UNSET
    financial_year: Annotated[int | UnsetType, _about("Its financial year, or the year of a price refused")] = UNSET
    shortfall_pence: Annotated[int | UnsetType, _about("How much headroom is missing, in pence")] = UNSET
    earliest_confirmation_on: Annotated[
        date | UnsetType, _about("Standstill has not ended: the first day the contract can be made")
    ] = UNSET
    standstill_ends_on: Annotated[
        date | UnsetType, _about("Standstill has ended: its last day, after which representations are too late")
    ] = UNSET
    bid_deadline_at: Annotated[datetime | UnsetType, _about("The bid deadline, which has passed")] = UNSET
    bid_id: Annotated[str | UnsetType, _about("Your delivery vehicle's bid for this specification: its public id")] = (
        UNSET
    )
    bid_url: Annotated[str | UnsetType, _about("Its address: change it there with PUT")] = UNSET
    request_id: Annotated[
        str | UnsetType, _about("This request's id, as in its X-Request-ID header: quote it when asking about it")
    ] = UNSET


CORE_MEMBERS = ("type", "title", "status", "detail", "instance", "errors", "request_id")
EXTENSIONS = tuple(name for name in Problem.__struct_fields__ if name not in CORE_MEMBERS)


def problem(
    status: int,
    detail: str,
    *,
    errors: list[ProblemError] | None = None,
    instance: str = "",
    extensions: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body = Problem(
        type="about:blank",
        title=gettext(TITLES.get(status, TITLES[500])),
        status=status,
        detail=detail,
        instance=instance or UNSET,
        errors=errors or [],
        request_id=request_id() or UNSET,
        **(extensions or {}),
    )
    return Response(content=body, status_code=status, media_type=PROBLEM, headers=headers)


def _problem_error(field: str, message: str) -> ProblemError:
    """One problem of a refusal; a cell of an uploaded file (`file.D7`) gives its row and column apart too."""
    at = cell_of(field)
    if at is None:
        return ProblemError(field=field, message=message)
    return ProblemError(field=field, message=message, row=at[0], column=at[1])


def domain_error_handler(request: Request, exc: DomainError) -> Response:
    detail = gettext(exc.message, **exc.params)
    if is_api(request):
        problems = exc.params.get("problems")
        if isinstance(problems, dict):
            errors = [_problem_error(field, gettext(message)) for field, message in problems.items()]
        else:
            errors = [ProblemError(field=exc.field, message=detail)] if exc.field else []
        extensions = {key: exc.params[key] for key in EXTENSIONS if key in exc.params}
        headers = getattr(exc, "headers", None)  # a refusal's own, such as Retry-After on a 429
        return problem(
            exc.status_code, detail, errors=errors, instance=request.url.path, extensions=extensions, headers=headers
        )
    return error_page(request, exc.status_code, detail)


# Litestar's refusals by ValidationException of a request it could not read at all (the rest are of values it read).
UNREADABLE = ("multipart boundary missing",)


def validation_handler(request: Request, exc: ValidationException) -> Response:
    """A request read whose values break the schema (a wrong type, a number out of range, NUL in text, an unknown or
    missing field, text too long, a value not in its enum): a 422 naming each field or parameter at fault. A request
    that could not be read at all (JSON malformed, not UTF-8 or nested too deeply: Litestar's ClientException and
    `unreadable_body_handler`) stays a 400. Pages show their form again before this; anything else is a 400 page."""
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        message = str(item.get("message", "")) if isinstance(item, dict) else str(item)
        key = item.get("key") if isinstance(item, dict) else None
        field = field_of_validation_message(message) or (key if key not in (None, "data") else None)
        if message.startswith("Unsupported type") and field:  # a multipart part that is not a file, or two of them
            message = f"`{field}` must be one file, sent as a multipart/form-data part with a filename"
        source = item.get("source") if isinstance(item, dict) else None
        source = getattr(source, "value", source)  # Litestar's ParamType or a plain "body"
        errors.append(ProblemError(field=field, message=message, source=str(source) if source else UNSET))
    detail = errors[0].message if errors else str(exc.detail)
    if is_api(request):
        status = 400 if str(exc.detail).startswith(UNREADABLE) else 422
        return problem(status, detail, errors=errors, instance=request.url.path)
    return error_page(request, 400, "")


def _misread_body_error(exc: HTTPException) -> str | None:
    """Litestar answers 500 when a body field that fails validation shares its name with a dependency (`language`,
    `actor`, `clock`): it takes the failure for the server's. The cause names the body field; it is the client's."""
    cause = exc.__cause__
    if exc.status_code == 500 and isinstance(cause, msgspec.ValidationError) and "`$.data." in str(cause):
        return str(cause)
    return None


def http_exception_handler(request: Request, exc: HTTPException) -> Response:
    misread = _misread_body_error(exc)
    if misread is not None:
        return validation_handler(
            request, ValidationException(extra=[{"message": misread.replace("`$.data.", "`$."), "source": "body"}])
        )
    status = exc.status_code
    upload = request.route_handler.opt.get("upload_field") if status == 413 else None
    if upload:  # a body too large to read on an upload route: its file is too large, so say so on the file's field
        detail = gettext(TOO_LARGE_FILE)
        if is_api(request):
            return problem(413, detail, errors=[ProblemError(field=upload, message=detail)], instance=request.url.path)
        return error_page(request, 413, detail)
    if is_api(request):
        detail = gettext(TITLES.get(status, str(exc.detail))) if status in TITLES else str(exc.detail)
        if status == 403 and "CSRF" in str(exc.detail):
            detail = "CSRF token missing or wrong"
        # A 405 names the methods the address takes (`Allow`), as RFC 9110 asks.
        return problem(status, detail, instance=request.url.path, headers=dict(exc.headers or {}))
    if isinstance(exc, NotAuthorizedException):
        return Redirect(path=f"/sign-in?next={request.url.path}")
    if isinstance(exc, PermissionDeniedException) and "CSRF" in str(exc.detail):
        return error_page(request, 403, gettext("This form has expired. Go back, reload the page and try again."))
    return error_page(request, status)


def internal_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if is_api(request):
        return problem(HTTP_500_INTERNAL_SERVER_ERROR, gettext(TITLES[500]), instance=request.url.path)
    return error_page(request, 500)


FAILURES = {
    # status, seconds to wait before trying again, what the reader is told
    Failure.BUSY: (503, 2, N_("The service is busy: try again in a moment. Nothing was saved.")),
    Failure.UNAVAILABLE: (503, 5, N_("The database could not be reached: try again in a moment. Nothing was saved.")),
    Failure.CONFLICT: (
        409,
        1,
        N_("Someone else was changing the same records at that moment. Nothing was saved: try again."),
    ),
}


def database_failure_handler(request: Request, exc: Exception) -> Response:
    """A write transaction that could not begin or commit for reasons of the moment (core/db.py `failure_of`): the
    database rolled all of it back, so the reader is told to try again, with Retry-After, never a bare 500."""
    failure = failure_of(exc)
    if failure is None:
        return internal_error_handler(request, exc)
    status, retry_after, detail = FAILURES[failure]
    log.warning("database %s on %s %s: %s", failure.value, request.method, request.url.path, exc)
    headers = {"retry-after": str(retry_after)}
    if is_api(request):
        return problem(status, gettext(detail), instance=request.url.path, headers=headers)
    answer = error_page(request, status, gettext(detail))
    answer.headers.update(headers)
    return answer


def unreadable_body_handler(request: Request, exc: RecursionError | UnicodeDecodeError) -> Response:
    """Bodies Litestar cannot read but does not refuse itself: bytes that are not UTF-8, and JSON nested deeper
    than msgspec reads (a RecursionError). A 400, not a crash."""
    if isinstance(exc, RecursionError) and "deserializing" not in str(exc):
        return internal_error_handler(request, exc)
    if is_api(request):
        return problem(400, gettext(TITLES[400]), instance=request.url.path)
    return error_page(request, 400)


def out_of_range_handler(request: Request, exc: Exception) -> Response:
    """An id or number larger than the database can hold names nothing that exists: not found, never a 500."""
    if is_api(request):
        return problem(404, gettext(TITLES[404]), instance=request.url.path)
    return error_page(request, 404)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    OverflowError: out_of_range_handler,
    asyncpg.exceptions.DataError: out_of_range_handler,
    DomainError: domain_error_handler,
    sqlite3.OperationalError: database_failure_handler,
    asyncpg.exceptions.PostgresError: database_failure_handler,
    asyncpg.exceptions.InterfaceError: database_failure_handler,
    asyncpg.exceptions.InternalClientError: database_failure_handler,
    ConnectionError: database_failure_handler,
    TimeoutError: database_failure_handler,
    RecursionError: unreadable_body_handler,
    UnicodeDecodeError: unreadable_body_handler,
    ValidationException: validation_handler,
    NotFoundException: http_exception_handler,
    HTTPException: http_exception_handler,
    Exception: internal_error_handler,
}
