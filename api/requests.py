"""Text no handler should see: a NUL character, which PostgreSQL text cannot store (SQLite can, so without this the
two databases would answer differently, PostgreSQL with a misleading 404). A JSON body holding it anywhere is refused
with a 422 naming where, before any handler runs; api/openapi.py says so on every free text of a body. (The
API's free-text query parameters carry that pattern (web/params.py) or a list; tests/api/test_openapi.py holds it.)"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request
from litestar.exceptions import HTTPException, ValidationException

NUL = "\x00"
MESSAGE = "Text cannot contain the NUL character"
NOT_JSON = "Send the body as JSON, with Content-Type: application/json"


def nul_at(value: Any, path: str = "") -> str | None:
    """Where the first text holding NUL is in decoded JSON (`kpis[1].name`; `""` for the whole body), or None."""
    if isinstance(value, str):
        return path if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return inner
            if (found := nul_at(item, inner)) is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if (found := nul_at(item, f"{path}[{index}]")) is not None:
                return found
    return None


def refuse(field: str, source: str) -> ValidationException:
    field = field.replace(NUL, "")
    return ValidationException(MESSAGE, extra=[{"message": MESSAGE, "key": field or "data", "source": source}])


def whole_numbers(value: Any) -> Any:
    """JSON (and JSON Schema's `integer`, which the OpenAPI document uses) has no integers apart from numbers: `2.0`
    is the integer 2. So a whole number written with a fraction stays an integer; text never becomes one."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [whole_numbers(item) for item in value]
    return value


def _lenient_refusal(value: Any, annotation: Any) -> str | None:
    """Litestar's own refusal of the body (it converts leniently), left to Litestar to word as it always has."""
    try:
        msgspec.convert(value, type=annotation, strict=False)
    except (msgspec.ValidationError, TypeError, ValueError) as exc:
        return str(exc)
    return None


def is_json(media_type: str) -> bool:
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


class CdvRequest(Request[Any, Any, Any]):
    """The app's request, as a JSON body is read (pages read forms, which stay lenient: web/forms.py):

    - a body that does not say it is JSON is refused with 415 (RFC 9110, 15.5.16), not read as JSON anyway;
    - NUL anywhere in its text is refused naming the field (api/errors.py answers 422);
    - it is decoded strictly against the route's body type: `"12"` is not the integer 12, nor `1` the boolean true.
      (Litestar converts bodies with `strict=False`, as it must for path and query parameters, which are text.)
    """

    async def json(self) -> Any:
        media_type = self.content_type[0]
        if not is_json(media_type) and (media_type or await self.body()):
            raise HTTPException(status_code=415, detail=NOT_JSON)
        value = await super().json()
        found = nul_at(value)
        if found is not None:
            raise refuse(found, "body")
        field = self.route_handler.parsed_data_field
        if field is not None and value is not None:
            try:
                msgspec.convert(whole_numbers(value), type=field.annotation, strict=True)
            except msgspec.ValidationError as exc:
                if str(exc) != _lenient_refusal(value, field.annotation):  # what strictness adds: "12" for 12
                    raise ValidationException(str(exc), extra=[{"message": str(exc), "source": "body"}]) from exc
        return value
