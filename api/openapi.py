"""What the OpenAPI document says of each operation: its errors, as the problems api/errors.py sends, and its token.

Derived once here from each route's shape (its guards, its path, its input, its method), so a new route is
documented like the others without a word in its decorator, and a client generated from the document parses every
error the API answers. Run once by create_app, before the document is first built.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec
from litestar import Litestar
from litestar.enums import RequestEncodingType
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Reference, RequestBody, Schema
from litestar.routes import HTTPRoute

from accounts.guards import signed_in
from api.errors import PROBLEM, Problem
from web.params import NO_NUL

API_PREFIX = "/api/"
BEARER = "BearerToken"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

DESCRIPTIONS = {
    400: "The request could not be read at all: a body that is not JSON, not UTF-8, nested too deeply, or a broken "
    "multipart form",
    401: "Sign in first: no bearer token, or one that has expired or been revoked",
    403: "Your role does not use this operation, or the service refuses it to you",
    404: "Nothing you may see has that id (something hidden answers exactly as something absent)",
    409: "Refused by the current state of things (a deadline, a status, a budget's headroom); the facts are members "
    "of the problem",
    413: "The body is larger than the app reads (10 MB), or an uploaded file is larger than 10 MiB (10,485,760 "
    "bytes), when `errors[].field` names the file's part",
    415: "The body is not sent as JSON (`Content-Type: application/json`)",
    422: "The request was read, but a value breaks the schema (a wrong type, a number out of range, text too long or "
    "holding NUL, an unknown or missing field, a value not listed) or a rule; `errors[].field` names each field or "
    "parameter at fault",
    429: "Too many failed sign-ins at this username or from this address: try again after `Retry-After` seconds "
    "(the password was not checked)",
}


def problem_statuses(
    *,
    method: str,
    guarded: bool,
    role_guarded: bool,
    path_ids: bool,
    takes_input: bool,
    body_ids: bool,
    takes_body: bool = False,
    json_body: bool = False,
    declared: tuple[int, ...] = (),
) -> set[int]:
    """The error statuses an operation can answer, from the shape of its route:

    - 422 when it reads anything from the request (a path or query parameter, a body), whose values may break the
      schema; 400 and 413 when it reads a body, which may not parse at all or be larger than the app reads; 415
      when that body is JSON, and may be sent as something else (api/requests.py);
    - 401 when a guard asks for a signed-in user, 403 when the guard also asks for a role (services refuse only
      within routes guarded by role: `NotAllowed`);
    - 404 when an id in the address or the body may name nothing the caller can see (STYLE.md 7.13);
    - 409 and 422 when it is a write by a signed-in user: services refuse by state (`Conflict`) or rule
      (`RuleBroken`). Reads are never refused by state: only by 401, 403, 404 or 422 (a parameter);
    - and what the route declares it raises besides (`raises=`: the token route's 401 for a wrong password).
    """
    statuses = set(declared)
    if takes_input or takes_body:
        statuses.add(422)
    if takes_body:
        statuses |= {400, 413}
    if json_body:
        statuses.add(415)
    if guarded:
        statuses.add(401)
    if role_guarded:
        statuses.add(403)
    if path_ids or body_ids:
        statuses.add(404)
    if guarded and method in WRITES:
        statuses |= {409, 422}
    return statuses


def _struct_types(annotation: Any) -> Iterator[msgspec.inspect.StructType]:
    """Every Struct a request body type holds, itself included, each once."""
    seen: set[type] = set()
    pending = [msgspec.inspect.type_info(annotation)]
    while pending:
        info = pending.pop()
        if isinstance(info, msgspec.inspect.StructType):
            if info.cls in seen:
                continue
            seen.add(info.cls)
            yield info
            pending += [field.type for field in info.fields]
        elif isinstance(info, msgspec.inspect.UnionType):
            pending += list(info.types)
        elif isinstance(info, (msgspec.inspect.ListType, msgspec.inspect.SetType, msgspec.inspect.FrozenSetType)):
            pending.append(info.item_type)
        elif isinstance(info, msgspec.inspect.DictType):
            pending.append(info.value_type)


def _body_structs(handler: HTTPRouteHandler) -> list[msgspec.inspect.StructType]:
    field = handler.parsed_data_field
    if field is None:
        return []
    try:
        return list(_struct_types(field.annotation))
    except (TypeError, ValueError):  # a body type msgspec cannot inspect holds no Struct
        return []


# msgspec's JSON Schema keywords that bound a value, and the name of each on Litestar's Schema.
BOUNDS = {
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusiveMinimum": "exclusive_minimum",
    "exclusiveMaximum": "exclusive_maximum",
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
    "minItems": "min_items",
    "maxItems": "max_items",
}


def _type_of(schema: Schema | Reference | dict[str, Any]) -> Any:
    found = schema.get("type") if isinstance(schema, dict) else getattr(schema, "type", None)
    return getattr(found, "value", found)


def add_missing_bounds(schema: Schema, decoded: dict[str, Any]) -> None:
    """Copy into Litestar's schema of a body the bounds msgspec decodes it with (`msgspec.json.schema`) where Litestar
    left them out: on list items (`list[ClusterId]`) and on an optional bounded number (`Annotated[int, Meta(ge=0)]
    | None`). Otherwise a value the document allows is refused with a 422."""
    for keyword, attribute in BOUNDS.items():
        if keyword in decoded and getattr(schema, attribute, None) is None:
            setattr(schema, attribute, decoded[keyword])
    for name, inner in (decoded.get("properties") or {}).items():
        mine = (schema.properties or {}).get(name)
        if isinstance(mine, Schema):
            add_missing_bounds(mine, inner)
    if isinstance(decoded.get("items"), dict) and isinstance(schema.items, Schema):
        add_missing_bounds(schema.items, decoded["items"])
    if "anyOf" not in decoded and _type_of(decoded) is not None:  # Litestar's lone option (`list[Id] | UnsetType`)
        for mine in schema.one_of or schema.any_of or ():
            if isinstance(mine, Schema) and _type_of(mine) == _type_of(decoded):
                add_missing_bounds(mine, decoded)
    for option in decoded.get("anyOf") or []:
        matching = [mine for mine in schema.one_of or schema.any_of or () if isinstance(mine, Schema)]
        for mine in matching:
            if _type_of(mine) == _type_of(option) is not None:
                add_missing_bounds(mine, option)


def say_text_holds_no_nul(schema: Schema) -> None:
    """A JSON body's text may not hold NUL (api/requests.py refuses it, as PostgreSQL cannot store it): say so on every
    free text of the body, so that input the document allows is never refused."""
    if _type_of(schema) == "string" and not (schema.pattern or schema.enum or schema.const or schema.format):
        schema.pattern = NO_NUL
    for inner in [*(schema.properties or {}).values(), schema.items, *(schema.one_of or ()), *(schema.any_of or ())]:
        if isinstance(inner, Schema):
            say_text_holds_no_nul(inner)


def _json_body(handler: HTTPRouteHandler) -> bool:
    """The route reads a JSON body (not a form or multipart one)."""
    field = handler.parsed_data_field
    if field is None:
        return False
    return getattr(field.kwarg_definition, "media_type", None) in (None, RequestEncodingType.JSON)


def _names_ids(structs: list[msgspec.inspect.StructType]) -> bool:
    return any(field.name.endswith(("_id", "_ids")) for struct in structs for field in struct.fields)


def _guards(handler: HTTPRouteHandler) -> list[Any]:
    return [guard for layer in handler.ownership_layers for guard in (layer.guards or [])]


def _api_handlers(app: Litestar) -> Iterator[tuple[HTTPRoute, HTTPRouteHandler]]:
    for route in app.routes:
        if isinstance(route, HTTPRoute) and route.path.startswith(API_PREFIX):
            for handler in route.route_handlers:
                if handler.include_in_schema:
                    yield route, handler


def _uploads_are_files(kind: type) -> dict[str, Any]:
    """msgspec knows no schema for a multipart part's file (Litestar's UploadFile); it has no bounds to copy."""
    return {"type": "string", "format": "binary"}


def document_api(app: Litestar) -> None:
    """Give each API operation its error responses and its security, then build the document once and correct what
    Litestar 2 says of request bodies: a body with a default may be left out, a body refusing unknown members
    (`forbid_unknown_fields`) says so, and every bound msgspec decodes with is stated, so that input the document
    allows is never refused."""
    bodies: dict[str, type] = {}
    optional_bodies: list[tuple[str, str]] = []
    readable: list[tuple[str, str]] = []  # operations that read no body, so answer no 400
    for route, handler in _api_handlers(app):
        guards = _guards(handler)
        structs = _body_structs(handler)
        bodies.update({struct.cls.__name__: struct.cls for struct in structs})
        method = next(iter(handler.http_methods))
        reads = route.route_handler_map[method][1]  # what Litestar reads for the route, its dependencies' included
        takes_input = bool(
            reads.expected_path_params
            or reads.expected_query_params
            or reads.expected_header_params
            or reads.expected_cookie_params
            or handler.parsed_data_field is not None
        )
        statuses = problem_statuses(
            method=method,
            guarded=bool(guards),
            role_guarded=any(guard is not signed_in for guard in guards),
            path_ids=bool(route.path_parameters),
            takes_input=takes_input,
            body_ids=_names_ids(structs),
            takes_body=handler.parsed_data_field is not None,
            json_body=_json_body(handler),
            declared=tuple(exception.status_code for exception in handler.raises or ()),
        )
        handler.responses = {
            **{
                status: ResponseSpec(
                    data_container=Problem,
                    media_type=PROBLEM,
                    description=DESCRIPTIONS[status],
                    generate_examples=False,
                )
                for status in sorted(statuses)
            },
            **(handler.responses or {}),
        }
        # A guarded operation needs the token; any other takes one if given (what it shows may depend on who asks).
        handler.security = [{BEARER: []}] if guards else [{}, {BEARER: []}]
        data = handler.parsed_data_field
        if data is not None and (data.is_optional or data.has_default):
            optional_bodies.append((route.path_format, str(method).lower()))
        if 400 not in statuses:
            readable.append((route.path_format, str(method).lower()))
    document = app.openapi_schema
    for path, verb in readable:  # Litestar lists its ValidationException as a 400 for any parameter; ours is a 422
        operation = getattr((document.paths or {})[path], verb)
        if operation is not None and operation.responses:
            operation.responses.pop("400", None)
    for path, verb in optional_bodies:
        operation = getattr((document.paths or {})[path], verb)
        if operation is not None and isinstance(operation.request_body, RequestBody):
            operation.request_body.required = False
    components = document.components.schemas or {}
    _, decoded = msgspec.json.schema_components(bodies.values(), schema_hook=_uploads_are_files)
    for name, cls in bodies.items():
        if name in components and name in decoded:
            add_missing_bounds(components[name], decoded[name])
            say_text_holds_no_nul(components[name])
            if cls.__struct_config__.forbid_unknown_fields:
                components[name].additional_properties = False
