"""Which errors the OpenAPI document lists for an operation, from the shape of its route (api/openapi.py), and where
a JSON body holds text with NUL (api/requests.py)."""

from __future__ import annotations

from api.openapi import problem_statuses
from api.requests import nul_at

PUBLIC_READ = {"method": "GET", "guarded": False, "role_guarded": False, "path_ids": False, "takes_input": False}


def _statuses(**shape: object) -> set[int]:
    return problem_statuses(**{**PUBLIC_READ, "body_ids": False, **shape})


def test_a_public_read_without_input_can_refuse_nothing():
    assert _statuses() == set()


def test_input_may_break_the_schema_and_an_id_in_the_address_may_name_nothing():
    assert _statuses(takes_input=True) == {422}
    assert _statuses(takes_input=True, path_ids=True) == {404, 422}


def test_a_guard_asks_for_a_token_and_a_role_guard_refuses_other_roles():
    assert _statuses(guarded=True) == {401}
    assert _statuses(guarded=True, role_guarded=True) == {401, 403}


def test_a_write_by_a_signed_in_user_can_be_refused_by_state_or_rule_but_a_read_cannot():
    write = _statuses(method="POST", guarded=True, role_guarded=True, takes_input=True, path_ids=True)
    assert write == {401, 403, 404, 409, 422}
    read = _statuses(method="GET", guarded=True, role_guarded=True, path_ids=True)
    assert read == {401, 403, 404}
    assert _statuses(method="PUT", guarded=False, takes_input=True) == {422}


def test_a_body_may_not_parse_or_be_larger_than_the_app_reads():
    assert _statuses(method="POST", takes_body=True) == {400, 413, 422}
    assert 400 not in _statuses(method="POST", guarded=True, takes_input=True), "no body, nothing unreadable"


def test_an_id_in_a_body_may_name_nothing_the_caller_can_see():
    assert _statuses(method="POST", guarded=True, takes_input=True, body_ids=True) == {401, 404, 409, 422}


def test_what_a_route_declares_it_raises_is_listed_too():
    assert _statuses(method="POST", takes_input=True, declared=(401,)) == {401, 422}


def test_nul_is_found_wherever_it_is_in_a_json_body_and_named_by_its_path():
    assert nul_at({"name": "ok", "kpis": [{"name": "fine"}, {"name": "a\x00b"}]}) == "kpis[1].name"
    assert nul_at({"a\x00": 1}) == "a\x00"
    assert nul_at(["x", "\x00"]) == "[1]"
    assert nul_at("\x00") == ""


def test_text_without_nul_is_never_refused():
    assert nul_at({"name": "Iechyd Gŵyr", "n": 0, "list": [None, True, 1.5], "nested": {"empty": ""}}) is None
    assert nul_at("\\u0000 as typed text") is None
