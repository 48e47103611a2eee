"""The form kit: a form post becomes the same msgspec Struct the API takes, and every problem names its field.

A page reads its post with `read_form(request, SomeIn, ...)`, runs the service with `form.run(...)`, and either
redirects (`form.ok`) or renders the form again with `form.context()`: the answers as typed, the errors by field
id and the NHS.UK error summary's links. Broken rules raised by the service land on their field the same way, so
no page repeats try / except / re-render.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import partial
from types import UnionType
from typing import Annotated, Any, Generic, NamedTuple, TypeVar, Union, get_args, get_origin

import msgspec
from litestar import Request
from msgspec import UnsetType

from core.clock import LONDON
from core.errors import DomainError
from core.i18n import N_, gettext
from core.money import parse_pounds

T = TypeVar("T", bound=msgspec.Struct)
R = TypeVar("R")

CHECK_THIS_ANSWER = N_("Check this answer")
NO_NUL_CHARACTER = N_("Text cannot contain the NUL character")

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
        keyed_rows: Mapping[str, KeyedRows] | None = None,
    ) -> None:
        self.values = values
        self.data = data
        self.errors = errors
        self._ids = ids
        self._messages = messages
        self._keyed_rows = keyed_rows or {}

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
        keyed = self._keyed_rows.get(exc.field or default_field)
        landing = keyed.refused_input(exc.params) if keyed is not None else None
        self.add_error(landing or exc.field or default_field, gettext(exc.message, **exc.params))

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


class NoAnswers(msgspec.Struct):
    """What a form that is only a button posts: nothing but its CSRF token."""


class _ButtonForm(Form[NoAnswers]):
    def refuse(self, exc: DomainError, *, default_field: str) -> None:
        """A button has one place to show a refusal, whatever field or list of problems the service names."""
        self.add_error(default_field, gettext(exc.message, **exc.params))


def button_form(*, ids: Mapping[str, str] | None = None) -> Form[NoAnswers]:
    """A form that is only a button (publish): nothing to read, and whatever the service refuses is shown on it."""
    return _ButtonForm(values={}, data=NoAnswers(), errors={}, ids=ids or {}, messages={})


class KeyedRows(NamedTuple):
    """Rows the page lays out itself, one for each key and every one answered (a term's years, a criterion's six
    scores), so named by key rather than by position: `year-2027-max_value`. `field` is the row Struct's field the
    key fills, if it has one. A row's messages are given the key by the prefix's name (`Describe score %(score)s`).

    `names`: an input's own name, with `{key}` where the key goes, where the page names it otherwise than prefix,
    key and input (`price-{key}`, `why-{key}`). `optional`: a row with every input blank is left out (a draft's
    unpriced year, an unanswered criterion). `refused_on`: the input a refusal naming the list is shown on, in the
    row whose key the refusal gives as `field` (`financial_year=2028`), else in the first row.
    """

    prefix: str
    keys: Sequence[Any]
    field: str | None = None
    names: Mapping[str, str] | None = None
    optional: bool = False
    refused_on: str | None = None

    def input_name(self, input_name: str, key: Any) -> str:
        """The name a row's input is posted under, which is also its id."""
        pattern = (self.names or {}).get(input_name)
        return pattern.format(key=key) if pattern else f"{self.prefix}-{key}-{input_name}"

    def refused_input(self, params: Mapping[str, Any]) -> str | None:
        if self.refused_on is None or not self.keys:
            return None
        key = params.get(self.field) if self.field else None
        return self.input_name(self.refused_on, key if key in self.keys else self.keys[0])


def _field_message(messages: Mapping[str, str], field: str, **params: Any) -> str:
    return gettext(messages.get(field, CHECK_THIS_ANSWER), **params)


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
    only: Iterable[str] | None = None,
    clear: Iterable[str] = (),
    datetimes: Mapping[str, str] | None = None,
    keyed_rows: Mapping[str, KeyedRows] | None = None,
    fixed_in_rows: Mapping[str, Callable[[Any], Mapping[str, Any]]] | None = None,
    above_zero: Mapping[str, str] | None = None,
    dates: Mapping[str, str] | None = None,
    inputs: Mapping[str, str] | None = None,
    choices: Mapping[str, Mapping[str, Any]] | None = None,
) -> Form[T]:
    """Read a posted form (a `MultiDict` or a plain mapping of strings) into `schema`, checking every field so the
    error summary lists all of them at once.

    `messages`: the words shown for a field that is missing or wrong (by Struct field name).
    `lists`: inputs that repeat (checkboxes), read as lists.
    `pounds`: inputs typed in pounds, by the Struct field (in pence) they fill, read with `core.money`; inside rows
    as `years.max_value` -> `years.max_value_pence`.
    `fixed`: values the page decides itself (never taken from the post).
    `ids`: a field's element id, where it differs from the field name (for the summary's links).
    `required`: fields the page asks for although the API lets them be left out (say why where you use it); a row's
    field as `years.budget_line_id`.
    `rows`: a list of Structs typed as repeated rows (`kpis-0-name`, `kpis-1-name`, ...), by field, with the inputs
    that make a row answered (a row with all of them blank is left out). A row's problems are shown on its inputs
    (`kpis-0-name`), worded by `messages["kpis.name"]`.
    `only`: the Struct fields this form answers (one section of a change Struct, whose other fields stay unset);
    inputs named like the others are not read.
    `clear`: fields a blank answer sets to None. A change Struct leaves a field that is not answered as it was, but a
    select's "None" or an emptied date is an answer: none.
    `datetimes`: datetime fields typed as an NHS.UK date input and a time (`day`, `month`, `year`, `time`, each after
    the prefix given and a hyphen, or bare for ""), in UK time; a blank time is noon, the time the form offers. Three
    blank date parts are no answer.
    `keyed_rows`: lists of Structs typed as rows the page lays out one per key (see `KeyedRows`).
    `fixed_in_rows`: what the page decides for each row from the number it was posted with (or its key), never taken
    from the post: a criterion's descriptors, edited on their own page.
    `above_zero`: fields in pence that must be more than £0 (`years.max_value_pence` in rows), with the words saying
    so: a page may ask for more than its Struct, which lets a draft hold £0 until publication refuses it.
    `dates`: date fields typed as an NHS.UK date input, as `datetimes` but without the time.
    `inputs`: a field posted under another name (`{"text": "answer"}`), which is also its element id unless `ids`
    says otherwise, and the name its answer comes back under.
    `choices`: fields answered with words (radios `yes` / `no`), each word's value; another word is refused.
    """
    messages = messages or {}
    pounds = pounds or {}
    fixed = fixed or {}
    ids = ids or {}
    inputs = inputs or {}
    choices = choices or {}
    list_names = set(lists)
    must_answer = set(required)
    cleared = set(clear)
    answers = None if only is None else set(only)
    fields = {field.name: field for field in msgspec.structs.fields(schema) if answers is None or field.name in answers}
    pounds_by_input = {input_name: field for input_name, field in pounds.items() if "." not in input_name}
    above_zero = above_zero or {}
    input_of = {**inputs, **{pence_field: input_name for input_name, pence_field in pounds_by_input.items()}}
    element_of = {name: ids.get(input_of.get(name, name), input_of.get(name, name)) for name in fields}
    typed_apart = {**(datetimes or {}), **(dates or {})}  # read from their parts, never from an input of their name
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    in_a_row: dict[str, str] = {}  # a row's input in error -> the list it belongs to

    def getall(name: str) -> list[str]:
        if hasattr(posted, "getall"):
            return [str(v) for v in posted.getall(name, [])]
        value = posted.get(name)
        return [] if value is None else [str(v) for v in (value if isinstance(value, list) else [value])]

    def in_rows(name: str) -> _RowOptions:
        inside = f"{name}."
        return _RowOptions(
            pounds={
                input_name.removeprefix(inside): field.removeprefix(inside)
                for input_name, field in pounds.items()
                if input_name.startswith(inside)
            },
            required={field.removeprefix(inside) for field in must_answer if field.startswith(inside)},
            fixed=(fixed_in_rows or {}).get(name, _nothing_fixed),
            messages=messages,
            above_zero={
                field.removeprefix(inside): message for field, message in above_zero.items() if field.startswith(inside)
            },
        )

    raw: dict[str, Any] = {}
    for name, answered in (rows or {}).items():
        if name in fields:
            before = set(errors)
            values[name], raw[name] = _read_rows(
                posted, name, fields[name].type, tuple(answered), messages, errors, options=in_rows(name)
            )
            in_a_row.update(dict.fromkeys(set(errors) - before, name))
    for name, keyed in (keyed_rows or {}).items():
        if name in fields:
            before = set(errors)
            values[name], raw[name] = _read_keyed_rows(posted, name, fields[name].type, keyed, in_rows(name), errors)
            in_a_row.update(dict.fromkeys(set(errors) - before, name))
    for name, prefix in typed_apart.items():
        if name not in fields:
            continue
        with_time = name in (datetimes or {})
        parts = {
            part: f"{prefix}-{part}" if prefix else part
            for part in ("day", "month", "year", *(("time",) if with_time else ()))
        }
        typed = {part: str(posted.get(input_name, "")).strip() for part, input_name in parts.items()}
        values.update({parts[part]: text for part, text in typed.items()})
        if not any(parts[part] in posted for part in ("day", "month", "year")):
            continue
        if not (typed["day"] or typed["month"] or typed["year"]):
            if name in cleared:
                raw[name] = None
            continue
        try:
            raw[name] = (
                _london_datetime(typed["day"], typed["month"], typed["year"], typed["time"])
                if with_time
                else date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
            )
        except ValueError:
            errors.setdefault(ids.get(name, name), _field_message(messages, name))
    for name in fields:
        if name in raw or name in typed_apart:
            continue
        if name in fixed:
            raw[name] = fixed[name]
            values[name] = str(fixed[name])
            continue
        if name in pounds_by_input.values():
            continue
        source = inputs.get(name, name)
        if name in list_names:
            values[source] = [v.strip() for v in getall(source) if v.strip()]
            raw[name] = values[source]
            continue
        if source in posted:
            text = str(posted.get(source, "")).strip()
            values[source] = text
            if name in choices:
                if text in choices[name]:
                    raw[name] = choices[name][text]
                elif text:
                    errors.setdefault(element_of[name], _field_message(messages, name))
            elif text or _is_text(fields[name].type):
                raw[name] = text
            elif name in cleared:
                raw[name] = None
    for input_name, pence_field in pounds_by_input.items():
        if pence_field not in fields:
            continue
        text = str(posted.get(input_name, "")).strip()
        values[input_name] = text
        if not text:
            continue
        try:
            raw[pence_field] = parse_pounds(text, field=input_name)
        except DomainError as exc:
            errors.setdefault(ids.get(input_name, input_name), gettext(exc.message))
            continue
        if pence_field in above_zero and raw[pence_field] <= 0:
            errors.setdefault(ids.get(input_name, input_name), gettext(above_zero[pence_field]))

    for name, field in fields.items():
        element = element_of[name]
        if element in errors or name in in_a_row.values():
            continue
        if name not in raw or (name in must_answer and raw[name] in ("", [])):
            if field.required or name in must_answer:
                errors[element] = _field_message(messages, name)
            continue
        try:
            msgspec.convert(raw[name], type=field.type, strict=False)
        except msgspec.ValidationError:
            errors[element] = _field_message(messages, name)

    for input_name in _inputs_holding_nul(posted):  # PostgreSQL text cannot hold NUL: refused on both databases
        field_name = next((name for name in fields if input_of.get(name, name) == input_name), None)
        element = element_of[field_name] if field_name else ids.get(input_name, input_name)
        errors[element] = gettext(NO_NUL_CHARACTER)
        row_list = next((name for name in fields if input_name.startswith(_row_prefixes(name, keyed_rows))), None)
        if field_name is None and row_list is not None:
            in_a_row.setdefault(element, row_list)

    order = list(element_of.values())

    def place(key: str) -> tuple[int, int]:
        if key in order:
            return order.index(key), 0
        if key in in_a_row and element_of[in_a_row[key]] in order:  # a row's input sits where its list does
            return order.index(element_of[in_a_row[key]]), 1
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
    return Form(values=values, data=data, errors=errors, ids=ids, messages=messages, keyed_rows=keyed_rows)


def _row_prefixes(name: str, keyed_rows: Mapping[str, KeyedRows] | None) -> tuple[str, ...]:
    """How the inputs of a list's rows begin: `kpis-` (rows), or a keyed row's prefix and own names (`price-`)."""
    keyed = (keyed_rows or {}).get(name)
    if keyed is None:
        return (f"{name}-",)
    return (f"{keyed.prefix}-", *(pattern.split("{key}")[0] for pattern in (keyed.names or {}).values()))


def _inputs_holding_nul(posted: Any) -> list[str]:
    """The inputs of a post whose text holds a NUL character, each once, in the order posted."""
    items = posted.multi_items() if hasattr(posted, "multi_items") else posted.items()
    found: dict[str, None] = {}
    for name, value in items:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts) and "\x00" not in str(name):
            found[str(name)] = None
    return list(found)


def _nothing_fixed(number: Any) -> Mapping[str, Any]:
    return {}


class _RowOptions(NamedTuple):
    """What parse_form's options say about the fields of one list's rows."""

    pounds: Mapping[str, str]
    required: set[str]
    fixed: Callable[[Any], Mapping[str, Any]]
    messages: Mapping[str, str]
    above_zero: Mapping[str, str]


def _row_type(annotation: Any) -> Any:
    """The Struct of a list of rows: `list[KpiIn]`, also inside `Annotated[...]` or `... | UnsetType`."""
    if get_origin(annotation) is Annotated:
        return _row_type(get_args(annotation)[0])
    if get_origin(annotation) is list:
        return get_args(annotation)[0]
    return next(_row_type(member) for member in get_args(annotation) if _is_list(member))


def _is_list(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        return _is_list(get_args(annotation)[0])
    return get_origin(annotation) is list


def _row_inputs(item: Any, options: _RowOptions, fixed: Mapping[str, Any]) -> dict[str, str]:
    """A row's inputs by the row Struct's field they fill (a field in pence is typed in pounds under its own name)."""
    input_of = {field: input_name for input_name, field in options.pounds.items()}
    return {
        field.name: input_of.get(field.name, field.name)
        for field in msgspec.structs.fields(item)
        if field.name not in fixed
    }


def _read_row(
    item: Any,
    typed: Mapping[str, str],
    fixed: Mapping[str, Any],
    options: _RowOptions,
    errors: dict[str, str],
    *,
    name: str,
    element: Callable[[str], str],
    params: Mapping[str, Any],
) -> dict[str, Any]:
    """One row's answers checked field by field, each problem on its own input (`element(input)`, `kpis-0-name`)
    worded by `messages["kpis.name"]`."""
    inputs = _row_inputs(item, options, fixed)
    raw_row: dict[str, Any] = dict(fixed)
    for info in msgspec.structs.fields(item):
        field = info.name
        if field in fixed:
            continue
        input_name = inputs[field]
        text = typed.get(input_name, "")
        if input_name in options.pounds and text:
            try:
                raw_row[field] = parse_pounds(text, field=input_name)
            except DomainError as exc:
                errors.setdefault(element(input_name), gettext(exc.message))
                continue
            if field in options.above_zero and raw_row[field] <= 0:
                errors.setdefault(element(input_name), gettext(options.above_zero[field]))
                continue
        elif text or _is_text(info.type):
            raw_row[field] = text
        if field not in raw_row or (field in options.required and raw_row[field] == ""):
            if info.required or field in options.required:
                errors.setdefault(element(input_name), _field_message(options.messages, f"{name}.{field}", **params))
            continue
        try:
            msgspec.convert(raw_row[field], type=info.type, strict=False)
        except msgspec.ValidationError:
            errors.setdefault(element(input_name), _field_message(options.messages, f"{name}.{field}", **params))
    return raw_row


def _numbered(at: str, input_name: str) -> str:
    return f"{at}-{input_name}"


def _read_rows(
    posted: Any,
    name: str,
    annotation: Any,
    answered: tuple[str, ...],
    messages: Mapping[str, str],
    errors: dict[str, str],
    *,
    options: _RowOptions | None = None,
) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """Rows named name-0-field, name-1-field...: every field of the row's Struct, each checked on its own input."""
    options = options or _RowOptions(pounds={}, required=set(), fixed=_nothing_fixed, messages=messages, above_zero={})
    item = _row_type(annotation)
    every_input = set(_row_inputs(item, options, {}).values())
    found: list[tuple[int, dict[str, str]]] = []
    index = 0
    while any(f"{name}-{index}-{input_name}" in posted for input_name in every_input):
        row = {
            input_name: str(posted.get(f"{name}-{index}-{input_name}", "")).strip()
            for input_name in _row_inputs(item, options, options.fixed(index)).values()
        }
        if any(row.get(field) for field in answered):
            found.append((index, row))
        index += 1
    raw_rows = []
    for position, (index, row) in enumerate(found):
        raw_rows.append(
            _read_row(
                item,
                row,
                options.fixed(index),
                options,
                errors,
                name=name,
                element=partial(_numbered, f"{name}-{position}"),
                params={},
            )
        )
    return [row for _, row in found], raw_rows


def _read_keyed_rows(
    posted: Any, name: str, annotation: Any, keyed: KeyedRows, options: _RowOptions, errors: dict[str, str]
) -> tuple[dict[Any, dict[str, str]], list[dict[str, Any]]]:
    """Rows named prefix-key-field (or as `names` says), one for each key, all of them answered unless `optional`;
    the answers come back by key."""
    item = _row_type(annotation)
    shown: dict[Any, dict[str, str]] = {}
    raw_rows = []
    for key in keyed.keys:
        fixed = {**({keyed.field: key} if keyed.field else {}), **options.fixed(key)}
        row = {
            input_name: str(posted.get(keyed.input_name(input_name, key), "")).strip()
            for input_name in _row_inputs(item, options, fixed).values()
        }
        shown[key] = row
        if keyed.optional and not any(row.values()):
            continue
        raw_rows.append(
            _read_row(
                item,
                row,
                fixed,
                options,
                errors,
                name=name,
                element=partial(keyed.input_name, key=key),
                params={keyed.prefix: key},
            )
        )
    return shown, raw_rows


def datetime_inputs(value: datetime | None, prefix: str = "") -> dict[str, str]:
    """A stored moment as the inputs `datetimes` reads, in UK time: the form as it is first shown."""
    names = {part: f"{prefix}-{part}" if prefix else part for part in ("day", "month", "year", "time")}
    if value is None:
        return dict.fromkeys(names.values(), "")
    local = value.astimezone(LONDON)
    shown = {"day": str(local.day), "month": str(local.month), "year": str(local.year), "time": local.strftime("%H:%M")}
    return {names[part]: text for part, text in shown.items()}


def _london_datetime(day: str, month: str, year: str, time: str) -> datetime:
    """A moment as a person types it (an NHS.UK date input and HH:MM) in UK time; raises ValueError."""
    hour, _, minute = time.partition(":")
    return datetime(int(year), int(month), int(day), int(hour or 12), int(minute or 0), tzinfo=LONDON)


def _is_text(annotation: Any) -> bool:
    """Text keeps an empty answer (so its own length rule speaks); other types take it as unanswered. So does text a
    change Struct may leave unset (`str | UnsetType`): emptying it is an answer."""
    members = [member for member in get_args(annotation) if member is not UnsetType]
    if get_origin(annotation) in (Union, UnionType) and len(members) == 1:
        annotation = members[0]
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and getattr(annotation, "__metadata__", None) is not None:
        annotation = annotation.__origin__
    return annotation is str
