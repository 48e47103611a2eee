"""Every route x every role: allowed, asked to sign in, refused (403), or not found by scope (404).

The cases come from the app's own route map, so a route without an entry in ROUTES (tests/access/routes.py)
fails here until someone decides who may use it. Scope (which rows a role sees) is tested by domain, in
tests/access/test_<domain>_access.py.
"""

from __future__ import annotations

import re

import pytest

from tests.access import test_finance_access, test_menu_access, test_plan_access, test_specification_access
from tests.access.routes import APP_ROUTES, ROLES, ROUTES, arrange, fill, mismatch

DOMAIN_ROUTES = [
    *test_menu_access.ROUTES,
    *test_finance_access.ROUTES,
    *test_plan_access.ROUTES,
    *test_specification_access.ROUTES,
]


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def test_every_route_of_the_app_has_an_entry_saying_who_may_use_it():
    """Here, or in the tables of the menu, finance, plans and specifications (tests/access/test_<domain>_access.py,
    which name their parameters their own way)."""
    elsewhere = {(route.method, _shape(route.path)) for route in DOMAIN_ROUTES}
    missing = [
        f"{method} {path}"
        for method, path in APP_ROUTES
        if (method, path) not in ROUTES and (method, _shape(path)) not in elsewhere
    ]
    assert not missing, f"add these to ROUTES in tests/access/routes.py with who may use them: {missing}"


def test_the_table_has_no_route_the_app_no_longer_has():
    stale = sorted(set(ROUTES) - set(APP_ROUTES))
    assert not stale, f"remove these from ROUTES: {stale}"


COVERED = [route for route in APP_ROUTES if route in ROUTES]


@pytest.mark.parametrize("route", COVERED, ids=[f"{method} {path}" for method, path in COVERED])
async def test_each_role_gets_the_answer_the_table_gives_for_the_route(app, route):
    method, path = route
    entry = ROUTES[route]
    assert set(entry.expected) == set(ROLES)
    wrong = {}
    for role in ROLES:
        http, scenario = await arrange(app, role, entry)
        try:
            response = await http.request(method, await fill(path, entry, scenario), **entry.body(scenario))
        finally:
            await http.aclose()
        problem = mismatch(entry.expected[role], response, path)
        if problem:
            wrong[role] = problem
    assert not wrong, wrong
