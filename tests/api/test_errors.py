"""No input produces a 500: malformed bodies, wrong types, huge strings and numbers get a 4xx, never a crash.

The routes come from the app's route map and tests/access/routes.py (which role may call each one), so a new
route is covered as soon as it has an entry there.
"""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec
import pytest

from organisations.tables import DeliveryVehicle
from tests import factories
from tests.access.routes import APP_ROUTES, ROUTES, allowed_role, arrange, fill
from tests.conftest import PASSWORD, csrf_from

PROBLEM = "application/problem+json"
BIG = 10**30
# Routes without an entry in ROUTES fail in tests/access until they get one; here they are left out.
KNOWN = [route for route in APP_ROUTES if route in ROUTES]
WRITE_ROUTES = [route for route in KNOWN if route[0] in ("POST", "PUT", "PATCH") and route[1].startswith("/api/")]
GET_ROUTES = [route for route in KNOWN if route[0] == "GET" and not route[1].startswith(("/static", "/assets"))]

# Bodies that cannot be read at all: a 400. Bodies read as JSON but of the wrong shape: a 422, as any value that
# breaks the schema (issue 11, item 7).
MALFORMED: dict[str, tuple[bytes, int]] = {
    "not JSON": (b"this is not json", 400),
    "truncated JSON": (b'{"name": "x", ', 400),
    "arrays nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, 400),
    "bytes that are not UTF-8": (b'{"name": "\xff\xfe"}', 400),
    "a JSON array": (b'[{"name": "x"}]', 422),
    "a JSON string": (b'"name"', 422),
    "a JSON number": (b"42", 422),
}


def _multipart(route: tuple[str, str]) -> bool:
    """Uploads read multipart, not JSON: a bid's attachments, a delivery return's filled-in template, a file of budget
    lines."""
    return "attachments" in route[1] or route[1].endswith(("/upload", "/budget-lines/import", "/contracts/import"))


def _body_type(app: Any, route: tuple[str, str]) -> Any:
    method, path = route
    field = app.route_handler_method_map[path][method].parsed_data_field
    return None if field is None else field.annotation


def _fields(body_type: Any) -> list[tuple[str, Any]]:
    """(name, msgspec type info) of each field of the body's struct."""
    info = msgspec.inspect.type_info(body_type)
    if isinstance(info, msgspec.inspect.UnionType):
        info = next(t for t in info.types if isinstance(t, msgspec.inspect.StructType))
    return [(f.encode_name, f.type) for f in info.fields] if isinstance(info, msgspec.inspect.StructType) else []


def _takes(type_info: Any, kinds: tuple[type, ...]) -> bool:
    options = type_info.types if isinstance(type_info, msgspec.inspect.UnionType) else (type_info,)
    return any(isinstance(option, kinds) for option in options)


def _derived_bodies(body_type: Any) -> dict[str, dict[str, Any]]:
    """Bodies built from the route's own type: every field the wrong type; every text field a megabyte long."""
    fields = _fields(body_type)
    takes_objects = (msgspec.inspect.DictType, msgspec.inspect.StructType, msgspec.inspect.AnyType)
    wrong = {name: {"unexpected": "object"} for name, info in fields if not _takes(info, takes_objects)}
    huge = {name: "x" * 1_000_000 for name, info in fields if _takes(info, (msgspec.inspect.StrType,))}
    return {
        name: body for name, body in [("every field the wrong type", wrong), ("every text a megabyte", huge)] if body
    }


async def _caller(app: Any, route: tuple[str, str]) -> tuple[Any, str]:
    http, scenario = await arrange(app, allowed_role(route), ROUTES[route])
    return http, await fill(route[1], ROUTES[route], scenario)


def _refused_as_problem(response: Any, status: int | None = None) -> str | None:
    if 400 <= response.status_code < 500 and response.headers.get("content-type") == PROBLEM:
        if status is None or response.status_code == status:
            return None
    return f"{response.status_code} {response.headers.get('content-type')} {response.text[:200]}"


@pytest.mark.parametrize("route", WRITE_ROUTES, ids=[f"{method} {path}" for method, path in WRITE_ROUTES])
async def test_a_malformed_body_gets_a_400_or_422_problem_on_every_write_route(app, route):
    """Unreadable: 400. Read, but of the wrong shape, type or size: 422. (A route reading no body ignores it; an upload
    reads multipart, which JSON is not.)"""
    http, path = await _caller(app, route)
    takes_json = _body_type(app, route) is not None and not _multipart(route)
    wrong = {}
    try:
        for name, (content, status) in MALFORMED.items():
            response = await http.request(route[0], path, content=content, headers={"content-type": "application/json"})
            if problem := _refused_as_problem(response, status if takes_json else None):
                wrong[name] = problem
        for name, body in _derived_bodies(_body_type(app, route)).items():
            response = await http.request(route[0], path, json=body)
            if problem := _refused_as_problem(response, 422 if takes_json else None):
                wrong[name] = problem
    finally:
        await http.aclose()
    assert not wrong, wrong


async def test_a_body_over_the_size_limit_gets_a_413_problem(client):
    response = await client.post(
        "/api/v1/auth/token",
        content=b'{"username": "' + b"x" * 11_000_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM


async def _registration() -> dict[str, Any]:
    return {
        "name": "Valid CIC",
        "legal_form": "cic",
        "companies_house_number": "12345678",
        "cluster_ids": await factories.cluster_ids("Cardiff North"),
        "contact_name": "A Person",
        "contact_email": "a@example.org",
        "contact_phone": "029 2000 0000",
    }


TEXT_FIELDS = ("name", "companies_house_number", "contact_name", "contact_email", "contact_phone")
HOSTILE_REGISTRATIONS = [
    *[(f"{field} holding NUL", field, "A\x00B") for field in TEXT_FIELDS],
    *[(f"{field} 100,000 characters", field, "7" * 100_000) for field in TEXT_FIELDS],
    ("a cluster id past PostgreSQL's integer", "cluster_ids", [2**31]),
    ("a cluster id past 64 bits", "cluster_ids", [BIG]),
    ("a cluster id of 0", "cluster_ids", [0]),
    ("a negative cluster id", "cluster_ids", [-1]),
    ("50,000 cluster ids", "cluster_ids", list(range(1, 50_001))),
    ("a legal form that is a list", "legal_form", ["cic"]),
]


@pytest.mark.parametrize(("case", "field", "value"), HOSTILE_REGISTRATIONS, ids=[c[0] for c in HOSTILE_REGISTRATIONS])
async def test_a_hostile_value_in_a_registration_is_refused_naming_the_field(client_as, case, field, value):
    provider, _ = await client_as("provider")
    response = await provider.post("/api/v1/delivery-vehicles", json={**await _registration(), field: value})
    assert response.status_code == 422, case
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["field"].startswith(field)  # cluster_ids[0] names the item
    assert await DeliveryVehicle.count() == 0


async def test_a_valid_registration_with_welsh_letters_is_accepted(client_as):
    """The control for the cases above: the same body, unchanged but for its text, is accepted."""
    provider, _ = await client_as("provider")
    body = {**await _registration(), "name": "Iechyd Gŵyr a'r Cymoedd CIC", "contact_name": "Siân Ŵyn"}
    response = await provider.post("/api/v1/delivery-vehicles", json=body)
    assert response.status_code == 201
    assert response.json()["name"] == "Iechyd Gŵyr a'r Cymoedd CIC"


@pytest.mark.parametrize(
    "body",
    [
        {"username": "admin\x00", "password": PASSWORD},
        {"username": "\x00", "password": "\x00"},
        {"username": "u" * 100_000, "password": PASSWORD},
        {"username": "admin", "password": "p" * 100_000},
    ],
    ids=["NUL in the username", "NUL in both", "huge username", "huge password"],
)
async def test_a_hostile_sign_in_is_refused_without_a_crash(client, body):
    await factories.create_user(role=factories.Role.NATIONAL_ADMIN, username="admin")
    response = await client.post("/api/v1/auth/token", json=body)
    assert response.status_code in (401, 422)
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("reason", ["No\x00", "r" * 5000], ids=["NUL", "5,000 characters"])
async def test_a_hostile_reason_for_rejecting_is_refused_naming_reason(client_as, reason):
    admin, _ = await client_as("national_admin")
    vehicle = await factories.create_vehicle(status="pending")
    response = await admin.post(f"/api/v1/delivery-vehicles/{vehicle.id}/reject", json={"reason": reason})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"
    row = await DeliveryVehicle.select(DeliveryVehicle.status).where(DeliveryVehicle.id == vehicle.id).first()
    assert row == {"status": "pending"}


HOSTILE_IDS = ["0", "-1", str(2**31), str(2**63), str(BIG)]
HOSTILE_QUERIES = [
    {"offset": str(BIG)},
    {"offset": str(2**63)},
    {"limit": str(BIG)},
    {"health_board": str(BIG)},
    {"pcpg": str(BIG)},
    # past PostgreSQL's integer but inside 64 bits: the drivers refuse such a parameter for an integer column
    *({name: str(value)} for name in ("health_board", "pcpg", "service") for value in (2**31, 2**63 - 1, -(2**44))),
]


def _get_case(route: tuple[str, str]) -> Any:
    return pytest.param(route, id=f"GET {route[1]}")


def _with_id(template: str, value: str) -> str:
    return re.sub(r"\{[^}:]+:str\}", "approve", re.sub(r"\{[^}:]+:int\}", value, template))


@pytest.mark.parametrize("route", [_get_case(route) for route in GET_ROUTES])
async def test_hostile_numbers_in_the_address_get_a_4xx_never_a_500(app, route):
    http, path = await _caller(app, route)
    answers: dict[str, int] = {}
    try:
        if ":int}" in route[1]:
            for value in HOSTILE_IDS:
                answers[_with_id(route[1], value)] = (await http.get(_with_id(route[1], value))).status_code
        for query in HOSTILE_QUERIES:
            answers[json.dumps(query)] = (await http.get(path, params=query)).status_code
    finally:
        await http.aclose()
    assert all(status < 500 for status in answers.values()), answers


async def test_a_clock_time_past_the_calendar_gets_a_4xx(client_as):
    admin, _ = await client_as("national_admin")
    response = await admin.put("/api/v1/admin/clock", json={"now": "0001-01-01T00:00:00+01:00"})
    assert 400 <= response.status_code < 500


# Pages: forms answer with the form again (400), never an error page with a 500.


async def test_hostile_values_in_the_registration_form_re_render_it_with_errors(client_as):
    provider, _ = await client_as("provider")
    form = (await provider.get("/delivery-vehicles/register")).text
    token = csrf_from(form)
    cardiff_north = str((await factories.cluster_ids("Cardiff North"))[0])
    for values in (
        {"name": "A\x00B", "legal_form": "cic", "companies_house_number": "12345678"},
        {"name": "Ok", "legal_form": "cic", "companies_house_number": "12345678", "contact_email": "a@b.c\x00d"},
        {"name": "N" * 100_000, "legal_form": "charity"},
        {"name": "Ok", "legal_form": "charity", "cluster_ids": ["²"]},
        {"name": "Ok", "legal_form": "charity", "cluster_ids": [str(BIG)]},
        {"name": "Ok", "legal_form": "../../etc/passwd"},
    ):
        data = {"contact_name": "A", "contact_email": "a@example.org", "cluster_ids": [cardiff_north], **values}
        response = await provider.post("/delivery-vehicles/register", data={**data, "_csrf_token": token})
        assert response.status_code == 400, values
        assert "nhsuk-error-summary" in response.text
    assert await DeliveryVehicle.count() == 0


async def test_hostile_values_in_the_sign_in_form_are_a_wrong_username_or_password(client):
    await factories.create_user(role=factories.Role.NATIONAL_ADMIN, username="admin")
    token = csrf_from((await client.get("/sign-in")).text)
    for username, password in (("admin\x00", PASSWORD), ("u" * 100_000, "x"), ("admin", "\x00")):
        response = await client.post(
            "/sign-in", data={"username": username, "password": password, "_csrf_token": token}
        )
        assert response.status_code == 400
        assert "nhsuk-error-summary" in response.text


async def test_a_hostile_reason_in_the_decision_form_re_renders_it_with_an_error(client_as):
    commissioner, _ = await client_as("commissioner")
    vehicle = await factories.create_vehicle(status="pending")
    token = csrf_from((await commissioner.get(f"/delivery-vehicles/{vehicle.id}/reject")).text)
    response = await commissioner.post(
        f"/delivery-vehicles/{vehicle.id}/reject", data={"reason": "No\x00", "_csrf_token": token}
    )
    assert response.status_code == 400
    assert "#reason" in response.text
    row = await DeliveryVehicle.select(DeliveryVehicle.status).where(DeliveryVehicle.id == vehicle.id).first()
    assert row == {"status": "pending"}


FILTERED_BY_ID = [
    ("/api/v1/specifications", "pcpg"),
    ("/api/v1/specifications", "health_board"),
    ("/api/v1/specifications", "service"),
    ("/api/v1/plans", "pcpg"),
    ("/api/v1/budget-lines", "pcpg"),
    ("/api/v1/clusters", "pcpg"),
    ("/api/v1/clusters", "health_board"),
    ("/api/v1/pcpgs", "health_board"),
    ("/api/v1/local-authorities", "health_board"),
]


@pytest.mark.parametrize(("path", "name"), FILTERED_BY_ID)
@pytest.mark.parametrize("value", ["0", "-25168195033105", str(2**31)])
async def test_a_filter_by_an_id_no_record_can_have_is_a_422_naming_it(client_as, path, name, value):
    """Found by schemathesis: `pcpg=-25168195033105` reached PostgreSQL, whose refusal was answered as a 404."""
    http, _ = await client_as("national_admin")
    response = await http.get(path, params={name: value})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert name in response.text
    assert (await http.get(path, params={name: "1"})).status_code == 200  # a possible id is read as before


# Issue 11, item 7: every integer a body takes is bounded as its column is, and refused past that naming its field.

INT64_MAX = 2**63 - 1


def _int_paths(info: Any, path: str, depth: int = 0) -> list[tuple[str, Any, msgspec.inspect.IntType]]:
    """(error path, function making the JSON value from an int, the int's type) of every int inside a body's type."""
    options = info.types if isinstance(info, msgspec.inspect.UnionType) else (info,)
    found: list[tuple[str, Any, msgspec.inspect.IntType]] = []
    for option in options:
        if isinstance(option, msgspec.inspect.IntType):
            found.append((path, lambda value: value, option))
        elif isinstance(option, msgspec.inspect.ListType) and depth < 3:
            for inner, make, kind in _int_paths(option.item_type, f"{path}[0]", depth + 1):
                found.append((inner, lambda value, make=make: [make(value)], kind))
        elif isinstance(option, msgspec.inspect.StructType) and depth < 3:
            for field in option.fields:
                inner_path = f"{path}.{field.encode_name}" if path else field.encode_name
                for inner, make, kind in _int_paths(field.type, inner_path, depth + 1):
                    found.append((inner, lambda value, make=make, name=field.encode_name: {name: make(value)}, kind))
    return found


def _ints_of(app: Any, route: tuple[str, str]) -> list[tuple[str, Any, msgspec.inspect.IntType]]:
    body_type = _body_type(app, route)
    return [] if body_type is None else _int_paths(msgspec.inspect.type_info(body_type), "")


def _upper(kind: msgspec.inspect.IntType) -> int | None:
    return kind.le if kind.le is not None else (kind.lt - 1 if kind.lt is not None else None)


ROUTES_WITH_INTS = [route for route in WRITE_ROUTES if not _multipart(route)]


def test_every_integer_a_body_takes_has_an_upper_bound_a_column_can_hold(app):
    """Ids are PostgreSQL integers (core.bounds.Id); pence and other numbers at most a 64-bit integer."""
    unbounded = {
        f"{method} {path} {field}": _upper(kind)
        for method, path in ROUTES_WITH_INTS
        for field, _, kind in _ints_of(app, (method, path))
        if _upper(kind) is None
        or _upper(kind) > INT64_MAX
        or (field.rstrip("]").rstrip("[0").endswith(("_id", "_ids")) and _upper(kind) > 2**31 - 1)
    }
    assert not unbounded, unbounded


@pytest.mark.parametrize("route", ROUTES_WITH_INTS, ids=[f"{method} {path}" for method, path in ROUTES_WITH_INTS])
async def test_an_integer_past_its_column_in_a_body_gets_a_422_naming_the_field_on_every_write_route(app, route):
    """2**31 (past a PostgreSQL integer) and 2**63 (past any 64-bit integer) in each int field of the route's body,
    the rest of the body left out: the number is refused first, naming its field, never a 404 or a 500."""
    http, path = await _caller(app, route)
    wrong = {}
    try:
        for field, make, kind in _ints_of(app, route):
            for value in (2**31, 2**63, -(2**63) - 1):
                upper, lower = _upper(kind), kind.ge if kind.ge is not None else kind.gt
                if upper is not None and lower is not None and lower <= value <= upper:
                    continue  # a number the column holds (pence past 2**31): not what this test is about
                response = await http.request(route[0], path, json=make(value))
                problem = _refused_as_problem(response)
                named = response.json().get("errors", [{}])[0].get("field") if problem is None else None
                if problem or named != field or response.status_code != 422:
                    wrong[f"{field}={value}"] = problem or f"{response.status_code} names {named!r}"
    finally:
        await http.aclose()
    assert not wrong, wrong


JSON_ROUTES = [route for route in WRITE_ROUTES if not _multipart(route)]


@pytest.mark.parametrize("route", JSON_ROUTES, ids=[f"{method} {path}" for method, path in JSON_ROUTES])
async def test_a_body_not_sent_as_json_is_a_415_problem_on_every_json_route(app, route):
    if _body_type(app, route) is None:
        pytest.skip("the route reads no body")
    http, path = await _caller(app, route)
    answers = {}
    try:
        for content_type, content in (
            ("text/plain", b"{}"),
            ("application/x-www-form-urlencoded", b"name=x"),
            ("multipart/form-data; boundary=b", b"--b--\r\n"),
        ):
            response = await http.request(route[0], path, content=content, headers={"content-type": content_type})
            if response.status_code != 415 or response.headers.get("content-type") != PROBLEM:
                answers[content_type] = f"{response.status_code} {response.text[:150]}"
    finally:
        await http.aclose()
    assert not answers, answers


@pytest.mark.parametrize("route", ROUTES_WITH_INTS, ids=[f"{method} {path}" for method, path in ROUTES_WITH_INTS])
async def test_a_number_sent_as_text_is_refused_naming_the_field_on_every_write_route(app, route):
    """JSON is decoded strictly: `"12"` is not an integer (forms, which are all text, stay lenient)."""
    http, path = await _caller(app, route)
    wrong = {}
    try:
        for field, make, _ in _ints_of(app, route):
            response = await http.request(route[0], path, json=make("12"))
            named = response.json().get("errors", [{}])[0].get("field") if response.status_code == 422 else None
            if named != field:
                wrong[field] = f"{response.status_code} {response.text[:150]}"
    finally:
        await http.aclose()
    assert not wrong, wrong
