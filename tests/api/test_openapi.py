"""The OpenAPI document says what the API does (issue 10, item 19): every error of every operation as the RFC 9457
problem the app sends, the statuses that apply to each operation, which need a token, and request bodies as the app
reads them. Read as a client reads it, from /schema/openapi.json; tests/api/test_schemathesis.py then holds the app to
it with generated requests."""

from __future__ import annotations

import re
from typing import Any

import msgspec
import pytest

from api.errors import Problem
from tests import factories

PROBLEM = "application/problem+json"
METHODS = ("get", "put", "post", "delete", "patch")
NO_NUL = "^[^\\x00]*$"


@pytest.fixture
async def document(client) -> dict[str, Any]:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _errors(operation: dict[str, Any]) -> set[int]:
    return {int(status) for status in operation["responses"] if int(status) >= 400}


def _schema(document: dict[str, Any], name: str) -> dict[str, Any]:
    return document["components"]["schemas"][name]


async def test_every_error_of_every_operation_is_a_problem_as_the_app_sends_it(document):
    operations = _operations(document)
    assert len(operations) > 60
    wrong = []
    for method, path, operation in operations:
        for status, response in operation["responses"].items():
            if int(status) >= 400 and response.get("content") != {
                PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}
            }:
                wrong.append(f"{method} {path} {status}: {response.get('content')}")
    assert not wrong, wrong
    problem = _schema(document, "Problem")
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert problem["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/ProblemError"}
    error = _schema(document, "ProblemError")
    assert set(error["required"]) == {"field", "message"}
    # The facts of refusals (issue 10, item 20) are members a generated client can read.
    for member in ("shortfall_pence", "earliest_confirmation_on", "standstill_ends_on", "bid_deadline_at", "bid_url"):
        assert member in problem["properties"], member


async def test_each_operation_lists_the_errors_that_apply_to_it(document):
    errors = {(method, path): _errors(operation) for method, path, operation in _operations(document)}
    assert errors[("GET", "/api/v1/health-boards")] == {422}  # public, with query parameters that may be out of range
    assert errors[("GET", "/api/v1/health-boards/{health_board_id}")] == {404, 422}
    assert errors[("GET", "/api/v1/me")] == {401}  # any signed-in user, nothing to read from the request
    assert errors[("GET", "/api/v1/bids/mine")] == {401, 403}  # providers only
    # a wrong password: 401; too many failed attempts: 429 with Retry-After; both declared by the route
    # a JSON body may be too large (413) or not JSON at all (415); a multipart upload is not JSON
    assert errors[("POST", "/api/v1/auth/token")] == {400, 401, 413, 415, 422, 429}
    assert errors[("POST", "/api/v1/specifications/{specification_id}/bids")] == {
        400,
        401,
        403,
        404,
        409,
        413,
        415,
        422,
    }
    assert errors[("POST", "/api/v1/plans")] == {400, 401, 403, 404, 409, 413, 415, 422}  # a PCPG id in the body
    assert errors[("POST", "/api/v1/bids/{bid_id}/attachments")] == {400, 401, 403, 404, 409, 413, 422}
    # No body, so nothing unreadable (400); its path may still break the schema (422).
    assert errors[("POST", "/api/v1/specifications/{specification_id}/publish")] == {401, 403, 404, 409, 422}
    # A read is never refused by state, nor as unreadable: it reads no body.
    assert not any({400, 409} & found for (method, _), found in errors.items() if method == "GET")


async def test_a_guarded_operation_needs_the_token_and_any_other_takes_it_if_given(document):
    assert "security" not in document  # said per operation
    for method, path, operation in _operations(document):
        if 401 in _errors(operation) and (method, path) != ("POST", "/api/v1/auth/token"):
            assert operation["security"] == [{"BearerToken": []}], (method, path)
        else:
            assert operation["security"] == [{}, {"BearerToken": []}], (method, path)


def _address(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


async def test_every_operation_that_needs_a_token_answers_nobody_with_its_documented_401_problem(client, document):
    needing = [(m, p, o) for m, p, o in _operations(document) if o["security"] == [{"BearerToken": []}]]
    assert len(needing) > 40
    wrong = []
    for method, path, _ in needing:
        response = await client.request(method, _address(path))
        if response.status_code != 401 or response.headers["content-type"] != PROBLEM:
            wrong.append(f"{method} {path}: {response.status_code} {response.headers['content-type']}")
        else:
            msgspec.convert(response.json(), Problem)
    assert not wrong, wrong
    # The control: an operation that takes a token if given answers without one.
    assert (await client.get("/api/v1/health-boards")).status_code == 200


async def test_request_bodies_are_documented_as_the_app_reads_them(document):
    bid = _schema(document, "BidIn")
    assert {"prices", "staff", "start_on"} <= set(bid["required"])  # issue 10, item 21
    assert bid["additionalProperties"] is False  # an unknown member is refused, so the document says so
    assert bid["properties"]["staff"]["pattern"] == NO_NUL  # NUL is refused in any text
    vehicle = _schema(document, "DeliveryVehicleIn")
    assert vehicle["properties"]["cluster_ids"]["items"]["minimum"] == 1  # a bound on list items
    weight = _schema(document, "SpecificationChangeIn")["properties"]["price_weight"]  # an optional bounded number
    assert weight["oneOf"] == [{"type": "integer", "minimum": 0, "maximum": 100}]
    assert (weight["minimum"], weight["maximum"]) == (0, 100)
    clusters = _schema(document, "SpecificationChangeIn")["properties"]["cluster_ids"]  # a lone option's items too
    assert clusters["oneOf"][0]["items"] == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
    approve = document["paths"]["/api/v1/delivery-vehicles/{delivery_vehicle_id}/approve"]["post"]
    assert approve["requestBody"]["required"] is False  # its decision may be left out
    upload = document["paths"]["/api/v1/bids/{bid_id}/attachments"]["post"]["requestBody"]["content"]
    assert upload == {"multipart/form-data": {"schema": {"$ref": "#/components/schemas/AttachmentIn"}}}
    assert _schema(document, "AttachmentIn")["required"] == ["file"]


def _takes_text(schema: dict[str, Any]) -> bool:
    return any(option.get("type") == "string" for option in [schema, *schema.get("oneOf", [])])


def _bounded(schema: dict[str, Any]) -> bool:
    bounds = ("pattern", "enum", "format")  # a date's format admits no NUL either
    return any(option.get(bound) for option in [schema, *schema.get("oneOf", [])] for bound in bounds)


async def test_every_free_text_query_parameter_is_bounded_so_nul_never_reaches_the_database(document):
    unbounded = [
        f"{method} {path} ?{parameter['name']}"
        for method, path, operation in _operations(document)
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
        if _takes_text(parameter["schema"]) and not _bounded(parameter["schema"])
    ]
    assert not unbounded, unbounded


async def test_an_unknown_audit_action_or_menu_category_is_refused_naming_it(client_as):
    admin, _ = await client_as("national_admin")
    for address, field in [
        ("/api/v1/audit/events?action=bid.sub%00mitted", "action"),
        ("/api/v1/menu/services?category=not_a_category", "category"),
    ]:
        response = await admin.get(address)
        assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM), address
        assert response.json()["errors"][0]["field"] == field
    assert (await admin.get("/api/v1/audit/events?action=bid.submitted")).status_code == 200
    assert (await admin.get("/api/v1/menu/services?category=urgent_same_day_care")).status_code == 200


async def test_an_audit_range_ending_before_it_starts_is_a_422_naming_its_last_day(client_as):
    """Found by schemathesis: a read's refusal must be one it documents (a 422 for a parameter, as any other)."""
    admin, _ = await client_as("national_admin")
    for address in ("/api/v1/audit/events", "/api/v1/audit/events.csv"):
        response = await admin.get(address, params={"from_on": "2027-01-05", "to_on": "2027-01-04"})
        assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM), address
        assert response.json()["errors"][0]["field"] == "to_on"
        same_day = await admin.get(address, params={"from_on": "2027-01-05", "to_on": "2027-01-05"})
        assert same_day.status_code == 200


async def test_text_holding_nul_is_refused_naming_its_field_on_either_database(client_as, menu):
    admin, _ = await client_as("national_admin")
    response = await admin.post("/api/v1/menu/services/1/retire", json={"reason": "Replaced\x00"})
    assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM)
    assert response.json()["errors"] == [
        {"field": "reason", "message": "Text cannot contain the NUL character", "source": "body"}
    ]
    provider, _ = await client_as("provider")
    vehicle = {"name": "Nul CIC", "legal_form": "cic", "companies_house_number": "12345678"}
    vehicle |= {"cluster_ids": await factories.cluster_ids("Cardiff North"), "contact_name": "A Person"}
    vehicle |= {"contact_email": "a@example.org", "contact_phone": ["029\x00"]}
    nested = await provider.post("/api/v1/delivery-vehicles", json=vehicle)
    assert nested.status_code == 422 and nested.json()["errors"][0]["field"] == "contact_phone[0]"
    # The control: the same retirement without NUL is made.
    assert (await admin.post("/api/v1/menu/services/1/retire", json={"reason": "Replaced"})).status_code == 200


async def test_a_list_offset_past_its_bound_is_a_422_naming_offset(client):
    response = await client.get("/api/v1/health-boards?offset=1000000001")
    assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM)
    assert response.json()["errors"][0]["field"] == "offset"
    assert (await client.get("/api/v1/health-boards?offset=1000000000")).status_code == 200


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/v1/budget-lines", "GET, OPTIONS, POST"),
        ("/api/v1/bids/1", "GET, OPTIONS, PUT"),
        ("/api/v1/specifications/1", "GET, OPTIONS, PATCH"),
        ("/api/v1/bids/mine", "GET, OPTIONS"),
    ],
)
async def test_options_lists_every_method_of_the_address(client, path, allowed):
    response = await client.options(path)
    assert (response.status_code, response.headers["allow"]) == (204, allowed)


async def test_a_method_the_address_does_not_take_is_a_405_problem_saying_which_it_takes(client):
    response = await client.delete("/api/v1/budget-lines")
    assert (response.status_code, response.headers["content-type"]) == (405, PROBLEM)
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST", "OPTIONS"}


async def test_a_bids_address_takes_its_public_id_and_the_document_gives_its_pattern(document):
    """Issue 11, item 3: every path that names a bid takes its public id, never its number; the document says so,
    so a client (and schemathesis) asks for ids of that form."""
    from core.public_ids import PUBLIC_ID_PATTERN

    named = 0
    for path, item in document["paths"].items():
        for method in METHODS:
            for parameter in item.get(method, {}).get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "bid_id":
                    assert parameter["schema"]["type"] == "string", (method, path)
                    assert parameter["schema"]["pattern"] == PUBLIC_ID_PATTERN, (method, path)
                    named += 1
    assert named >= 6
    assert _schema(document, "BidOut")["properties"]["id"]["type"] == "string"
