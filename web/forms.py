"""The form kit: a form post becomes the same msgspec Struct the API takes, and every problem names its field.

A page reads its post with `read_form(request, SomeIn, ...)`, runs the service with `form.run(...)`, and either
redirects (`form.ok`) or renders the form again with `form.context()`: the answers as typed, the errors by field
id and the NHS.UK error summary's links. Broken rules raised by the service land on their field the same way, so
no page repeats try / except / re-render.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

import msgspec
from litestar import Request

from core.errors import DomainError
from core.i18n import N_, gettext
from core.money import parse_pounds

T = TypeVar("T", bound=msgspec.Struct)
R = TypeVar("R")

CHECK_THIS_ANSWER = N_("Check this answer")

_PATH = re.compile(r"at `\$\.([^`]+)`")
_MISSING = re.compile(r"missing required field `([^`]+)`")
_UNKNOWN = re.compile(r"unknown field `([^`]+)`")


def field_of_validation_message(message: str) -> str | None:
    """msgspec names the field in its message ("... - at `$.cluster_ids[0]`", "missing required field `name`")."""
    for pattern in (_PATH, _MISSING, _UNKNOWN):
        found = pattern.search(message)
        if found:
            return found.group(1)
    return None


def error_summary(errors: Mapping[str, str], ids: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """The NHS.UK error summary's links, each to its field's id (the field name unless `ids` says otherwise)."""
    return [{"text": message, "href": "#" + (ids or {}).get(field, field)} for field, message in errors.items()]


class Confirmation(msgspec.Struct):
    """The post of a check-your-answers page's button: nothing to answer, only to confirm (`form.run` still turns
    the service's refusal into the error summary)."""


class Form(Generic[T]):
    """One submitted form: what was typed, the Struct it made (if it made one) and the errors by field id."""

    def __init__(
        self,
        *,
        values: dict[str, Any],
        data: T | None,
        errors: dict[str, str],
        ids: Mapping[str, str],
        messages: Mapping[str, str],
    ) -> None:
        self.values = values
        self.data = data
        self.errors = errors
        self._ids = ids
        self._messages = messages

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.errors

    def add_error(self, field: str, message: str) -> None:
        """Record a problem on a field (the first one found for a field is the one shown)."""
        field_id = self._ids.get(field, field)
        self.errors.setdefault(field_id, message)

    def refuse(self, exc: DomainError, *, default_field: str) -> None:
        """A rule the service refused, shown on its field; every problem it lists is shown."""
        problems = exc.params.get("problems")
        if isinstance(problems, dict) and problems:
            for field, message in problems.items():
                self.add_error(field, gettext(message))
            return
        self.add_error(exc.field or default_field, gettext(exc.message, **exc.params))

    async def run(
        self,
        act: Callable[[T], Awaitable[R]],
        *,
        default_field: str,
        passes: tuple[type[DomainError], ...] = (),
    ) -> R | None:
        """Give the Struct to the service; its refusals become field errors. Not found stays not found (a 404),
        and so does each error in `passes` (refusals about the reader, not the answers: `NotAllowed` stays a 403)."""
        if not self.ok:
            return None
        assert self.data is not None
        try:
            return await act(self.data)
        except DomainError as exc:
            if exc.status_code == 404 or isinstance(exc, passes):
                raise
            self.refuse(exc, default_field=default_field)
            return None

    def context(self) -> dict[str, Any]:
        """What a form template needs to show the answers and the errors again."""
        return {"values": self.values, "errors": self.errors, "error_list": error_summary(self.errors)}


def _field_message(messages: Mapping[str, str], field: str) -> str:
    return gettext(messages.get(field, CHECK_THIS_ANSWER))


async def read_form(request: Request, schema: type[T], **options: Any) -> Form[T]:
    """Read a form post into `schema` (the options are `parse_form`'s)."""
    return parse_form(await request.form(), schema, **options)


def parse_form(
    posted: Any,
    schema: type[T],
    *,
    messages: Mapping[str, str] | None = None,
    lists: Iterable[str] = (),
    pounds: Mapping[str, str] | None = None,
    fixed: Mapping[str, Any] | None = None,
    ids: Mapping[str, str] | None = None,
    required: Iterable[str] = (),
    rows: Mapping[str, Iterable[str]] | None = None,
) -> Form[T]:
    """Read a posted form (a `MultiDict` or a plain mapping of strings) into `schema`, checking every field so the
    error summary lists all of them at once.

    `messages`: the words shown for a field that is missing or wrong (by Struct field name).
    `lists`: inputs that repeat (checkboxes), read as lists.
    `pounds`: inputs typed in pounds, by the Struct field (in pence) they fill, read with `core.money`.
    `fixed`: values the page decides itself (never taken from the post).
    `ids`: a field's element id, where it differs from the field name (for the summary's links).
    `required`: fields the page asks for although the API lets them be left out (say why where you use it).
    `rows`: a list of Structs typed as repeated rows (`kpis-0-name`, `kpis-1-name`, ...), by field, with the inputs
    that make a row answered (a row with all of them blank is left out). A row's problems are shown on its inputs
    (`kpis-0-name`), worded by `messages["kpis.name"]`.
    """
    messages = messages or {}
    pounds = pounds or {}
    fixed = fixed or {}
    list_names = set(lists)
    must_answer = set(required)
    fields = {field.name: field for field in msgspec.structs.fields(schema)}
    pounds_by_input = {input_name: field for input_name, field in pounds.items()}
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    ids = ids or {}

    def getall(name: str) -> list[str]:
        if hasattr(posted, "getall"):
            return [str(v) for v in posted.getall(name, [])]
        value = posted.get(name)
        return [] if value is None else [str(v) for v in (value if isinstance(value, list) else [value])]

    raw: dict[str, Any] = {}
    for name, answered in (rows or {}).items():
        values[name], raw[name] = _read_rows(posted, name, fields[name].type, tuple(answered), messages, errors)
    for name in fields:
        if name in raw:
            continue
        if name in fixed:
            raw[name] = fixed[name]
            values[name] = str(fixed[name])
            continue
        if name in pounds_by_input.values():
            continue
        if name in list_names:
            values[name] = [v.strip() for v in getall(name) if v.strip()]
            raw[name] = values[name]
            continue
        if name in posted:
            text = str(posted.get(name, "")).strip()
            values[name] = text
            if text or _is_text(fields[name].type):
                raw[name] = text
    for input_name, pence_field in pounds_by_input.items():
        text = str(posted.get(input_name, "")).strip()
        values[input_name] = text
        if not text:
            continue
        try:
            raw[pence_field] = parse_pounds(text, field=input_name)
        except DomainError as exc:
            errors.setdefault(ids.get(input_name, input_name), gettext(exc.message))

    input_of = {pence_field: input_name for input_name, pence_field in pounds_by_input.items()}
    for name, field in fields.items():
        element = ids.get(input_of.get(name, name), input_of.get(name, name))
        if element in errors or any(key.startswith(f"{name}-") for key in errors):
            continue
        if name not in raw or (name in must_answer and raw[name] in ("", [])):
            if field.required or name in must_answer:
                errors[element] = _field_message(messages, name)
            continue
        try:
            msgspec.convert(raw[name], type=field.type, strict=False)
        except msgspec.ValidationError:
            errors[element] = _field_message(messages, name)

    order = [ids.get(input_of.get(name, name), input_of.get(name, name)) for name in fields]

    def place(key: str) -> tuple[int, int]:
        if key in order:
            return order.index(key), 0
        for row_name in rows or {}:  # a row's input sits where its list does
            element = ids.get(row_name, row_name)
            if key.startswith(f"{row_name}-") and element in order:
                return order.index(element), 1
        return len(order), 0

    errors = dict(sorted(errors.items(), key=lambda item: place(item[0])))
    data: T | None = None
    if not errors:
        try:
            data = msgspec.convert(raw, type=schema, strict=False)
        except msgspec.ValidationError as exc:  # a check across fields, or one the field-by-field pass cannot see
            field_name = (field_of_validation_message(str(exc)) or "").split(".")[0].split("[")[0]
            element = input_of.get(field_name, field_name) or next(iter(fields), "")
            errors[ids.get(element, element)] = _field_message(messages, field_name)
    return Form(values=values, data=data, errors=errors, ids=ids, messages=messages)


def _read_rows(
    posted: Any,
    name: str,
    annotation: Any,
    answered: tuple[str, ...],
    messages: Mapping[str, str],
    errors: dict[str, str],
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Rows named name-0-field, name-1-field...: every field of the row's Struct, each checked on its own input."""
    if getattr(annotation, "__metadata__", None) is not None:  # Annotated[list[SomeStruct], Meta(max_length=...)]
        annotation = annotation.__origin__
    item = annotation.__args__[0]  # list[SomeStruct]
    row_fields = {field.name: field for field in msgspec.structs.fields(item)}
    found: list[dict[str, str]] = []
    index = 0
    while any(f"{name}-{index}-{field}" in posted for field in row_fields):
        row = {field: str(posted.get(f"{name}-{index}-{field}", "")).strip() for field in row_fields}
        if any(row[field] for field in answered):
            found.append(row)
        index += 1
    raw_rows = []
    for position, row in enumerate(found):
        raw_row: dict[str, Any] = {}
        for field, info in row_fields.items():
            if row[field] or _is_text(info.type):
                raw_row[field] = row[field]
            if field not in raw_row:
                if info.required:
                    errors.setdefault(f"{name}-{position}-{field}", _field_message(messages, f"{name}.{field}"))
                continue
            try:
                msgspec.convert(raw_row[field], type=info.type, strict=False)
            except msgspec.ValidationError:
                errors.setdefault(f"{name}-{position}-{field}", _field_message(messages, f"{name}.{field}"))
        raw_rows.append(raw_row)
    return found, raw_rows


def _is_text(annotation: Any) -> bool:
    """Text keeps an empty answer (so its own length rule speaks); other types take it as unanswered."""
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and getattr(annotation, "__metadata__", None) is not None:
        annotation = annotation.__origin__
    return annotation is str
