"""Who may use each route: the table behind tests/access (and the callers tests/api/test_errors.py uses).

Each entry gives, per role, what the route answers: allowed, asked to sign in, refused (403), not found (404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from accounts.actor import Role
from tests import factories
from tests.api.conftest import build_app, sign_in_directly
from tests.conftest import PASSWORD, csrf_from, make_actor

ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, *(role.value for role in Role))
UNCHECKED_METHODS = {"OPTIONS", "HEAD"}  # answered by Litestar for every route; HEAD mirrors GET

OK = "allowed (2xx or 3xx)"
SIGN_IN = "asked to sign in (401 problem, or a redirect to /sign-in)"
FORBIDDEN = "403"
NOT_FOUND = "404"
# For the routes of the menu, finance and commissioning, whose real data the domain tables build
# (tests/access/test_<domain>_access.py): here the guard lets the role through (whatever the answer to an empty
# body or an unknown id).
PASSES_GUARD = "not refused (no 401, 403 or sign-in redirect, no 5xx)"


def everyone(outcome: str = OK) -> dict[str, str]:
    return dict.fromkeys(ROLES, outcome)


def only(*roles: Role, allowed: str = OK) -> dict[str, str]:
    """Anonymous callers are asked to sign in; the roles named are allowed; every other role gets 403."""
    names = {role.value for role in roles}
    return {ANONYMOUS: SIGN_IN} | {role: allowed if role in names else FORBIDDEN for role in ROLES[1:]}


def signed_in(allowed: str = OK) -> dict[str, str]:
    return only(*Role, allowed=allowed)


ADMIN = (Role.NATIONAL_ADMIN,)
DECIDERS = (Role.NATIONAL_ADMIN, Role.COMMISSIONER)
VEHICLE_READERS = (Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.PROVIDER)
AUDIT_READERS = (Role.NATIONAL_ADMIN, Role.COMMISSIONER)
BUDGET_READERS = (Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR, Role.COMMISSIONER)
BUDGET_SETTERS = (Role.NATIONAL_ADMIN, Role.FINANCE_DIRECTOR)
NEED_READERS = (Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR)
COMMISSIONER = (Role.COMMISSIONER,)
PROVIDER = (Role.PROVIDER,)
EVALUATOR = (Role.EVALUATOR,)
EVALUATION_READERS = (Role.COMMISSIONER, Role.EVALUATOR, Role.NATIONAL_ADMIN)
CONTRACT_READERS = (Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.PROVIDER)

VEHICLE = "{delivery_vehicle_id:int}"
USER = "{user_id:int}"
SIGN_IN = "{kind:str}/{sign_in_id:int}"
TOKEN_KIND = {"kind": "token"}
CONTRACT_PAGE = "/contracts/{contract_id:int}"
CONTRACT_API = "/api/v1/contracts/{contract_id:int}"
VARIATIONS_API = f"{CONTRACT_API}/variations"
NUMBER = "{number:int}"
RETURN_API = "/api/v1/returns/{return_id:int}"
RETURN_PAGE = "/returns/{return_id:int}"
RETURN_CORRECTORS = (Role.COMMISSIONER, Role.PROVIDER)
FINANCE = (Role.FINANCE_DIRECTOR,)
PAYMENT_API = f"{CONTRACT_API}/payments/{{financial_year:int}}/{{quarter:int}}"
MATURITY_API = "/api/v1/maturity/assessments/{assessment_id:int}"
MATURITY_PAGE = "/maturity/assessments/{assessment_id:int}"
MATURITY_REVIEWERS = (Role.COMMISSIONER, Role.PROVIDER)
PAYMENT_PAGE = "/payments/{contract_id:int}/{financial_year:int}/{quarter:int}"
QUARTER_PARAMS = {"financial_year": "2027", "quarter": "1"}


@dataclass(frozen=True)
class Scenario:
    """What each case starts from: a pending vehicle serving Cardiff North (approved where the route says so; the
    provider's own, unless the route is registration), and a user whose password is known."""

    vehicle_id: int
    username: str
    cluster_ids: list[int]
    csrf: str = ""


Body = Callable[[Scenario], dict[str, Any]]


def no_body(_: Scenario) -> dict[str, Any]:
    return {}


def empty_json(_: Scenario) -> dict[str, Any]:
    return {"json": {}}


def csrf_only(scenario: Scenario) -> dict[str, Any]:
    return {"data": {"_csrf_token": scenario.csrf}}


def sign_in_form(scenario: Scenario) -> dict[str, Any]:
    return {"data": {"_csrf_token": scenario.csrf, "username": scenario.username, "password": PASSWORD}}


def language_form(scenario: Scenario) -> dict[str, Any]:
    return {"data": {"_csrf_token": scenario.csrf, "language": "cy", "next": "/dashboard"}}


def token_json(scenario: Scenario) -> dict[str, Any]:
    return {"json": {"username": scenario.username, "password": PASSWORD}}


def vehicle_json(scenario: Scenario) -> dict[str, Any]:
    return {
        "json": {
            "name": "Access Test CIC",
            "legal_form": "cic",
            "companies_house_number": "87654321",
            "cluster_ids": scenario.cluster_ids,
            "contact_name": "A Person",
            "contact_email": "a@example.org",
        }
    }


def vehicle_form(scenario: Scenario) -> dict[str, Any]:
    details = vehicle_json(scenario)["json"]
    return {"data": {**details, "cluster_ids": [str(i) for i in scenario.cluster_ids], "_csrf_token": scenario.csrf}}


def password_json(_: Scenario) -> dict[str, Any]:
    return {
        "json": {
            "token": "no-such-link",
            "password": "a-long-enough-password",
            "confirmation": "a-long-enough-password",
        }
    }


def reason_json(_: Scenario) -> dict[str, Any]:
    return {"json": {"reason": "Checked"}}


def days_json(_: Scenario) -> dict[str, Any]:
    return {"json": {"days": 1}}


def clock_json(_: Scenario) -> dict[str, Any]:
    return {"json": {"now": "2027-04-02T09:00:00+01:00"}}


PAGE_FORMS = (csrf_only, sign_in_form, vehicle_form, language_form)


@dataclass(frozen=True)
class Route:
    expected: dict[str, str]
    body: Body = no_body
    provider_owns_vehicle: bool = True
    params: dict[str, str] = field(default_factory=dict)
    vehicle_status: str = "pending"  # "approved" where the service refuses a pending vehicle before anything else


def public_page() -> Route:
    return Route(everyone())


ROUTES: dict[tuple[str, str], Route] = {
    # Service pages
    ("GET", "/"): public_page(),
    ("GET", "/accessibility"): public_page(),
    ("GET", "/api-documentation"): public_page(),
    ("GET", "/sign-in"): public_page(),
    ("POST", "/sign-in"): Route(everyone(), sign_in_form),
    ("GET", "/sign-out"): Route(signed_in()),
    ("POST", "/sign-out"): Route(signed_in(), csrf_only),
    ("GET", "/dashboard"): Route(signed_in()),
    # Operations: a load balancer's health check, no sign-in
    ("GET", "/health"): public_page(),
    # Reference data: open to all
    ("GET", "/reference/health-boards"): public_page(),
    ("GET", "/reference/health-boards/{health_board_id:int}"): public_page(),
    ("GET", "/reference/pcpgs/{pcpg_id:int}"): public_page(),
    ("GET", "/reference/clusters"): public_page(),
    ("GET", "/api/v1/health-boards"): public_page(),
    ("GET", "/api/v1/health-boards/{health_board_id:int}"): public_page(),
    ("GET", "/api/v1/local-authorities"): public_page(),
    ("GET", "/api/v1/pcpgs"): public_page(),
    ("GET", "/api/v1/pcpgs/{pcpg_id:int}"): public_page(),
    ("GET", "/api/v1/clusters"): public_page(),
    ("GET", "/api/v1/clusters/{cluster_id:int}"): public_page(),
    # Open data (OCDS): open to all, no sign-in
    ("GET", "/api/v1/open-data/ocds"): public_page(),
    # Accounts
    ("POST", "/api/v1/auth/token"): Route(everyone(), token_json),
    ("GET", "/api/v1/me"): Route(signed_in()),
    # Your own sign-ins and language: anyone signed in (another user's sign-in is not found)
    ("GET", "/account/sign-ins"): Route(signed_in()),
    ("POST", f"/account/sign-ins/{SIGN_IN}/revoke"): Route(signed_in(PASSES_GUARD), csrf_only, params=TOKEN_KIND),
    ("POST", "/sign-out/everywhere"): Route(signed_in(), csrf_only),
    ("POST", "/account/language"): Route(signed_in(), language_form),
    ("GET", "/api/v1/me/sign-ins"): Route(signed_in()),
    ("DELETE", f"/api/v1/me/sign-ins/{SIGN_IN}"): Route(signed_in(PASSES_GUARD), params=TOKEN_KIND),
    ("DELETE", "/api/v1/me/sign-ins"): Route(signed_in()),
    # Setting a password with a one-time link: open to anyone holding a link (an unknown one is not found)
    ("POST", "/api/v1/auth/password"): Route(everyone(NOT_FOUND), password_json),
    ("GET", "/set-password/{token:str}"): Route(everyone(NOT_FOUND), params={"token": "no-such-link"}),
    ("POST", "/set-password/{token:str}"): Route(everyone(NOT_FOUND), csrf_only, params={"token": "no-such-link"}),
    # Users: national administrators only (an unknown user is not found)
    ("GET", "/admin/users"): Route(only(*ADMIN)),
    ("GET", "/admin/users/new"): Route(only(*ADMIN)),
    ("POST", "/admin/users/new"): Route(only(*ADMIN, allowed=PASSES_GUARD), csrf_only),
    ("GET", f"/admin/users/{USER}"): Route(only(*ADMIN, allowed=PASSES_GUARD)),
    ("GET", f"/admin/users/{USER}/scope"): Route(only(*ADMIN, allowed=PASSES_GUARD)),
    ("POST", f"/admin/users/{USER}/scope"): Route(only(*ADMIN, allowed=PASSES_GUARD), csrf_only),
    ("GET", f"/admin/users/{USER}/deactivate"): Route(only(*ADMIN, allowed=PASSES_GUARD)),
    ("POST", f"/admin/users/{USER}/deactivate"): Route(only(*ADMIN, allowed=PASSES_GUARD), csrf_only),
    ("POST", f"/admin/users/{USER}/password-link"): Route(only(*ADMIN, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/api/v1/admin/users"): Route(only(*ADMIN)),
    ("POST", "/api/v1/admin/users"): Route(only(*ADMIN, allowed=PASSES_GUARD), empty_json),
    ("GET", f"/api/v1/admin/users/{USER}"): Route(only(*ADMIN, allowed=PASSES_GUARD)),
    ("PUT", f"/api/v1/admin/users/{USER}/scope"): Route(only(*ADMIN, allowed=PASSES_GUARD), empty_json),
    ("POST", f"/api/v1/admin/users/{USER}/deactivate"): Route(only(*ADMIN, allowed=PASSES_GUARD)),
    ("POST", f"/api/v1/admin/users/{USER}/password-link"): Route(only(*ADMIN, allowed=PASSES_GUARD)),
    ("GET", f"/api/v1/admin/users/{USER}/sign-ins"): Route(only(*ADMIN, allowed=PASSES_GUARD)),
    ("DELETE", f"/api/v1/admin/users/{USER}/sign-ins/{SIGN_IN}"): Route(
        only(*ADMIN, allowed=PASSES_GUARD), params=TOKEN_KIND
    ),
    ("DELETE", f"/api/v1/admin/users/{USER}/sign-ins"): Route(only(*ADMIN, allowed=PASSES_GUARD)),
    ("POST", f"/admin/users/{USER}/sign-ins/{SIGN_IN}/revoke"): Route(
        only(*ADMIN, allowed=PASSES_GUARD), csrf_only, params=TOKEN_KIND
    ),
    ("POST", f"/admin/users/{USER}/sign-out-everywhere"): Route(only(*ADMIN, allowed=PASSES_GUARD), csrf_only),
    # Delivery vehicles
    ("GET", "/delivery-vehicles"): Route(only(*VEHICLE_READERS)),
    ("GET", "/delivery-vehicles/register"): Route(only(*PROVIDER), provider_owns_vehicle=False),
    ("POST", "/delivery-vehicles/register"): Route(only(*PROVIDER), vehicle_form, provider_owns_vehicle=False),
    ("GET", f"/delivery-vehicles/{VEHICLE}"): Route(only(*VEHICLE_READERS)),
    ("GET", f"/delivery-vehicles/{VEHICLE}/{{decision:str}}"): Route(only(*DECIDERS)),
    # Suspending and reinstating: national administrators only (the pending vehicle of the scenario is refused: 409)
    ("GET", f"/delivery-vehicles/{VEHICLE}/suspend"): Route(only(*ADMIN)),
    ("POST", f"/delivery-vehicles/{VEHICLE}/suspend"): Route(only(*ADMIN, allowed=PASSES_GUARD), csrf_only),
    ("GET", f"/delivery-vehicles/{VEHICLE}/reinstate"): Route(only(*ADMIN)),
    ("POST", f"/delivery-vehicles/{VEHICLE}/reinstate"): Route(only(*ADMIN, allowed=PASSES_GUARD), csrf_only),
    ("POST", f"/api/v1/delivery-vehicles/{VEHICLE}/suspend"): Route(only(*ADMIN, allowed=PASSES_GUARD), reason_json),
    ("POST", f"/api/v1/delivery-vehicles/{VEHICLE}/reinstate"): Route(only(*ADMIN, allowed=PASSES_GUARD)),
    ("POST", f"/delivery-vehicles/{VEHICLE}/{{decision:str}}"): Route(only(*DECIDERS), csrf_only),
    ("GET", "/api/v1/delivery-vehicles"): Route(only(*VEHICLE_READERS)),
    ("POST", "/api/v1/delivery-vehicles"): Route(only(*PROVIDER), vehicle_json, provider_owns_vehicle=False),
    ("GET", f"/api/v1/delivery-vehicles/{VEHICLE}"): Route(only(*VEHICLE_READERS)),
    ("POST", f"/api/v1/delivery-vehicles/{VEHICLE}/approve"): Route(only(*DECIDERS), empty_json),
    ("POST", f"/api/v1/delivery-vehicles/{VEHICLE}/reject"): Route(only(*DECIDERS), reason_json),
    # Audit trail
    ("GET", "/audit"): Route(only(*AUDIT_READERS)),
    ("GET", "/audit/events.csv"): Route(only(*AUDIT_READERS)),
    ("GET", "/api/v1/audit/events"): Route(only(*AUDIT_READERS)),
    ("GET", "/api/v1/audit/events.csv"): Route(only(*AUDIT_READERS)),
    ("GET", "/api/v1/audit/verify"): Route(only(*ADMIN)),
    # Training clock (demo and test only)
    ("GET", "/api/v1/admin/clock"): Route(only(*ADMIN)),
    ("PUT", "/api/v1/admin/clock"): Route(only(*ADMIN), clock_json),
    ("DELETE", "/api/v1/admin/clock"): Route(only(*ADMIN)),
    ("POST", "/api/v1/admin/clock/advance"): Route(only(*ADMIN), days_json),
    ("GET", "/admin/clock"): Route(only(*ADMIN)),
    ("POST", "/admin/clock"): Route(only(*ADMIN, allowed=PASSES_GUARD), csrf_only),
    ("POST", "/admin/clock/advance"): Route(only(*ADMIN, allowed=PASSES_GUARD), csrf_only),
    ("POST", "/admin/clock/reset"): Route(only(*ADMIN), csrf_only),
    # API documentation and static files
    ("GET", "/schema"): public_page(),
    ("GET", "/schema/swagger"): public_page(),
    ("GET", "/schema/openapi.json"): public_page(),
    ("GET", "/schema/oauth2-redirect.html"): public_page(),
    ("GET", "/schema/{path:str}"): Route(everyone(NOT_FOUND), params={"path": "no-such-document"}),
    ("GET", "/static/{file_path:path}"): Route(everyone(), params={"file_path": "app.css"}),
    ("GET", "/static/nhsuk/{file_path:path}"): Route(everyone(), params={"file_path": "nhsuk-frontend.min.js"}),
    ("GET", "/static/build/{file_path:path}"): Route(everyone(), params={"file_path": "nhsuk-frontend.min.css"}),
    ("GET", "/static/swagger/{file_path:path}"): Route(everyone(), params={"file_path": "swagger-ui.css"}),
    ("GET", "/assets/{file_path:path}"): Route(everyone(), params={"file_path": "images/favicon.ico"}),
    # The menu of services (national admins edit it; anyone reads it); with real data: test_menu_access.py
    ("GET", "/menu"): public_page(),
    ("GET", "/menu/new"): Route(only(*ADMIN)),
    ("POST", "/menu/new"): Route(only(*ADMIN, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/menu/{menu_service_id:int}"): Route(everyone(PASSES_GUARD)),
    ("GET", "/menu/{menu_service_id:int}/edit"): Route(only(*ADMIN, allowed=PASSES_GUARD)),
    ("POST", "/menu/{menu_service_id:int}/edit"): Route(only(*ADMIN, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/menu/{menu_service_id:int}/sources"): Route(only(*ADMIN, allowed=PASSES_GUARD)),
    ("POST", "/menu/{menu_service_id:int}/sources"): Route(only(*ADMIN, allowed=PASSES_GUARD), csrf_only),
    ("PUT", "/api/v1/menu/services/{menu_service_id:int}/sources"): Route(
        only(*ADMIN, allowed=PASSES_GUARD), empty_json
    ),
    ("GET", "/menu/{menu_service_id:int}/retire"): Route(only(*ADMIN, allowed=PASSES_GUARD)),
    ("POST", "/menu/{menu_service_id:int}/retire"): Route(only(*ADMIN, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/api/v1/menu/services"): public_page(),
    ("POST", "/api/v1/menu/services"): Route(only(*ADMIN, allowed=PASSES_GUARD), empty_json),
    ("GET", "/api/v1/menu/services/{menu_service_id:int}"): Route(everyone(PASSES_GUARD)),
    ("PUT", "/api/v1/menu/services/{menu_service_id:int}"): Route(only(*ADMIN, allowed=PASSES_GUARD), empty_json),
    ("POST", "/api/v1/menu/services/{menu_service_id:int}/retire"): Route(
        only(*ADMIN, allowed=PASSES_GUARD), empty_json
    ),
    ("GET", "/api/v1/menu/services/{menu_service_id:int}/versions"): Route(everyone(PASSES_GUARD)),
    # Budgets (finance directors and admins set them; commissioners read them); with real data: test_finance_access.py
    ("GET", "/budgets"): Route(only(*BUDGET_READERS)),
    ("GET", "/budgets/new"): Route(only(*BUDGET_SETTERS)),
    ("POST", "/budgets/new"): Route(only(*BUDGET_SETTERS, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/budgets/{budget_line_id:int}"): Route(only(*BUDGET_READERS, allowed=PASSES_GUARD)),
    ("POST", "/budgets/{budget_line_id:int}"): Route(only(*BUDGET_SETTERS, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/api/v1/budget-lines"): Route(only(*BUDGET_READERS)),
    ("POST", "/api/v1/budget-lines"): Route(only(*BUDGET_SETTERS, allowed=PASSES_GUARD), empty_json),
    ("GET", "/api/v1/budget-lines/{budget_line_id:int}"): Route(only(*BUDGET_READERS, allowed=PASSES_GUARD)),
    ("PUT", "/api/v1/budget-lines/{budget_line_id:int}"): Route(
        only(*BUDGET_SETTERS, allowed=PASSES_GUARD), empty_json
    ),
    ("GET", "/api/v1/budget-lines/{budget_line_id:int}/ledger"): Route(only(*BUDGET_READERS, allowed=PASSES_GUARD)),
    # Budget lines from a file: the template, the check (kept for its user only) and the confirmation, and the API
    ("GET", "/budgets/import"): Route(only(*BUDGET_SETTERS)),
    ("GET", "/budgets/import/template.csv"): Route(only(*BUDGET_SETTERS)),
    ("GET", "/budgets/import/template.xlsx"): Route(only(*BUDGET_SETTERS)),
    ("POST", "/budgets/import"): Route(only(*BUDGET_SETTERS, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/budgets/import/{import_id:int}"): Route(only(*BUDGET_SETTERS, allowed=PASSES_GUARD)),
    ("POST", "/budgets/import/{import_id:int}"): Route(only(*BUDGET_SETTERS, allowed=PASSES_GUARD), csrf_only),
    ("POST", "/api/v1/budget-lines/import"): Route(only(*BUDGET_SETTERS, allowed=PASSES_GUARD)),
    # The finance director's ledger (every line in the reader's scope), its downloads and its API twin
    ("GET", "/finance/ledger"): Route(only(*BUDGET_READERS)),
    ("GET", "/finance/ledger.csv"): Route(only(*BUDGET_READERS)),
    ("GET", "/finance/ledger.xlsx"): Route(only(*BUDGET_READERS)),
    ("GET", "/api/v1/finance/ledger"): Route(only(*BUDGET_READERS)),
    # The spend report (scoped like the ledger), its page and downloads; the API without group_by is a 422
    ("GET", "/finance/spend"): Route(only(*BUDGET_READERS)),
    ("GET", "/finance/spend.csv"): Route(only(*BUDGET_READERS)),
    ("GET", "/finance/spend.xlsx"): Route(only(*BUDGET_READERS)),
    ("GET", "/api/v1/finance/spend"): Route(only(*BUDGET_READERS, allowed=PASSES_GUARD)),
    ("GET", "/api/v1/finance/spend.csv"): Route(only(*BUDGET_READERS, allowed=PASSES_GUARD)),
    # The finance pack (PDF and its web page twin) for the spend report's readers; a large pack or Excel file is
    # prepared as an export job, whose page and file only its owner sees (another's is a 404)
    ("GET", "/finance/spend.pdf"): Route(only(*BUDGET_READERS)),
    ("GET", "/finance/spend/document"): Route(only(*BUDGET_READERS)),
    ("POST", "/finance/exports"): Route(only(*BUDGET_READERS, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/finance/exports/{job_id:int}"): Route(only(*BUDGET_READERS, allowed=PASSES_GUARD)),
    ("GET", "/finance/exports/{job_id:int}/file"): Route(only(*BUDGET_READERS, allowed=PASSES_GUARD)),
    # The finance dashboard (each reader starts at their own scope; places beyond it are 404, with real data in
    # test_finance_access.py)
    ("GET", "/finance/dashboard"): Route(only(*BUDGET_READERS)),
    # The line of sight (issue 15): the budget's readers, each within their own scope (tests/services/lineofsight)
    ("GET", "/line-of-sight"): Route(only(*BUDGET_READERS)),
    ("GET", "/line-of-sight.csv"): Route(only(*BUDGET_READERS, allowed=PASSES_GUARD)),
    ("GET", "/line-of-sight.pdf"): Route(only(*BUDGET_READERS, allowed=PASSES_GUARD)),
    ("GET", "/line-of-sight/document"): Route(only(*BUDGET_READERS, allowed=PASSES_GUARD)),
    ("GET", "/api/v1/line-of-sight"): Route(only(*BUDGET_READERS, allowed=PASSES_GUARD)),
    ("GET", "/api/v1/line-of-sight.csv"): Route(only(*BUDGET_READERS, allowed=PASSES_GUARD)),
    # Plans, specifications and clarifications (open data; commissioners write); with real data:
    # test_plan_access.py and test_specification_access.py
    ("GET", "/api/v1/plans"): public_page(),
    ("POST", "/api/v1/plans"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json),
    ("POST", "/api/v1/plans/{plan_id:int}/priorities"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json),
    ("GET", "/api/v1/specifications"): public_page(),
    ("POST", "/api/v1/specifications"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json),
    ("GET", "/api/v1/specifications/{specification_id:int}"): Route(everyone(PASSES_GUARD)),
    ("PATCH", "/api/v1/specifications/{specification_id:int}"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json
    ),
    ("GET", "/api/v1/specifications/{specification_id:int}/ledger-effect"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD)
    ),
    ("POST", "/api/v1/specifications/{specification_id:int}/publish"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json
    ),
    ("POST", "/api/v1/specifications/{specification_id:int}/cancel"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json
    ),
    ("POST", "/api/v1/specifications/{specification_id:int}/begin-evaluation"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json
    ),
    ("GET", "/api/v1/specifications/{specification_id:int}/clarifications"): Route(everyone(PASSES_GUARD)),
    ("POST", "/api/v1/specifications/{specification_id:int}/clarifications"): Route(
        only(*PROVIDER, allowed=PASSES_GUARD), empty_json
    ),
    ("POST", "/api/v1/clarifications/{clarification_id:int}/answer"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json
    ),
    # Needs and engagement: commissioners write their PCPG's; national admins and finance directors read in scope
    ("GET", "/needs"): Route(only(*NEED_READERS)),
    ("GET", "/needs/new"): Route(only(*COMMISSIONER)),
    ("POST", "/needs/new"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/needs/{need_id:int}"): Route(only(*NEED_READERS, allowed=PASSES_GUARD)),
    ("GET", "/needs/{need_id:int}/edit"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD)),
    ("POST", "/needs/{need_id:int}/edit"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only),
    ("POST", "/needs/{need_id:int}/plan-priorities"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/engagement/new"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD)),
    ("POST", "/engagement/new"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/engagement/{engagement_id:int}/edit"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD)),
    ("POST", "/engagement/{engagement_id:int}/edit"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/api/v1/needs"): Route(only(*NEED_READERS)),
    ("POST", "/api/v1/needs"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json),
    ("GET", "/api/v1/needs/{need_id:int}"): Route(only(*NEED_READERS, allowed=PASSES_GUARD)),
    ("PATCH", "/api/v1/needs/{need_id:int}"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json),
    ("PUT", "/api/v1/needs/{need_id:int}/plan-priorities"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json
    ),
    ("GET", "/api/v1/engagements"): Route(only(*NEED_READERS)),
    ("POST", "/api/v1/engagements"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json),
    ("GET", "/api/v1/engagements/{engagement_id:int}"): Route(only(*NEED_READERS, allowed=PASSES_GUARD)),
    ("PATCH", "/api/v1/engagements/{engagement_id:int}"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json),
    ("GET", "/plans"): public_page(),
    ("GET", "/plans/new"): Route(only(*COMMISSIONER)),
    ("POST", "/plans/new"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/plans/{plan_id:int}/priorities/new"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD)),
    ("POST", "/plans/{plan_id:int}/priorities/new"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/opportunities"): public_page(),
    ("GET", "/specifications/{specification_id:int}"): Route(everyone(PASSES_GUARD)),
    ("GET", "/specifications/{specification_id:int}/specification.pdf"): Route(everyone(PASSES_GUARD)),
    ("POST", "/specifications/{specification_id:int}/questions"): Route(
        only(*PROVIDER, allowed=PASSES_GUARD), csrf_only
    ),
    ("POST", "/questions/{clarification_id:int}/answer"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only),
    # Drafting specifications: commissioners only
    ("GET", "/specifications"): Route(only(*COMMISSIONER)),
    ("GET", "/specifications/new"): Route(only(*COMMISSIONER)),
    ("POST", "/specifications/new"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/specifications/{specification_id:int}/edit/{section:str}"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), params={"section": "overview"}
    ),
    ("POST", "/specifications/{specification_id:int}/edit/{section:str}"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only, params={"section": "overview"}
    ),
    ("GET", "/specifications/{specification_id:int}/descriptors/{number:int}"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD)
    ),
    ("POST", "/specifications/{specification_id:int}/descriptors/{number:int}"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only
    ),
    ("GET", "/specifications/{specification_id:int}/publish"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD)),
    ("POST", "/specifications/{specification_id:int}/publish"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only
    ),
    ("GET", "/specifications/{specification_id:int}/cancel"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD)),
    ("POST", "/specifications/{specification_id:int}/cancel"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only
    ),
    ("GET", "/specifications/{specification_id:int}/cancel/check"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD)),
    ("POST", "/specifications/{specification_id:int}/begin-evaluation"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only
    ),
    # Bids (providers), the panel (evaluators), moderation and award (commissioners), notices (everyone signed in).
    # Who sees what of real bids, evaluations, awards and notices, by role and scope: tests/access/test_bid_access.py,
    # test_evaluation_access.py, test_award_access.py and test_notification_access.py
    ("POST", "/api/v1/specifications/{specification_id:int}/bids"): Route(
        only(*PROVIDER, allowed=PASSES_GUARD), empty_json, vehicle_status="approved"
    ),
    ("GET", "/api/v1/specifications/{specification_id:int}/bids"): Route(signed_in(PASSES_GUARD)),
    ("GET", "/api/v1/bids/mine"): Route(only(*PROVIDER)),
    ("GET", "/api/v1/bids/{bid_id:str}"): Route(signed_in(PASSES_GUARD)),
    ("PUT", "/api/v1/bids/{bid_id:str}"): Route(only(*PROVIDER, allowed=PASSES_GUARD), empty_json),
    ("POST", "/api/v1/bids/{bid_id:str}/withdraw"): Route(
        only(*PROVIDER, allowed=PASSES_GUARD), empty_json, vehicle_status="approved"
    ),
    ("POST", "/api/v1/bids/{bid_id:str}/attachments"): Route(only(*PROVIDER, allowed=PASSES_GUARD), empty_json),
    ("POST", "/api/v1/specifications/{specification_id:int}/panel"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json
    ),
    ("POST", "/api/v1/specifications/{specification_id:int}/panel/{user_id:int}/removal"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json
    ),
    ("POST", "/api/v1/specifications/{specification_id:int}/declarations"): Route(
        only(*EVALUATOR, allowed=PASSES_GUARD), empty_json
    ),
    ("PUT", "/api/v1/bids/{bid_id:str}/scores"): Route(only(*EVALUATOR, allowed=PASSES_GUARD), empty_json),
    ("POST", "/api/v1/bids/{bid_id:str}/moderation"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json),
    ("GET", "/api/v1/specifications/{specification_id:int}/evaluation"): Route(
        only(*EVALUATION_READERS, allowed=PASSES_GUARD)
    ),
    ("POST", "/api/v1/specifications/{specification_id:int}/award"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json
    ),
    ("GET", "/api/v1/awards/{award_id:int}"): Route(everyone(PASSES_GUARD)),
    ("POST", "/api/v1/awards/{award_id:int}/representations"): Route(only(*PROVIDER, allowed=PASSES_GUARD), empty_json),
    ("POST", "/api/v1/representations/{representation_id:int}/answer"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json
    ),
    ("POST", "/api/v1/awards/{award_id:int}/confirm"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json),
    # A contract's lifecycle: commissioners of its PCPG only (another PCPG's contract is not found); with real
    # contracts: tests/api/contracts/test_lifecycle_api.py and tests/pages/contracts/test_lifecycle_pages.py
    **{
        (method, f"/api/v1/contracts/{{contract_id:int}}/{action}"): Route(
            only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json
        )
        for method, action in (
            ("POST", "mobilise"),
            ("POST", "suspend"),
            ("POST", "resume"),
            ("POST", "terminate"),
            ("PUT", "kpis"),
            ("PUT", "allocations"),
        )
    },
    ("GET", "/api/v1/contracts/{contract_id:int}/termination-preview"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD)
    ),
    **{
        (method, f"/contracts/{{contract_id:int}}/{page}"): Route(
            only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only if method == "POST" else no_body
        )
        for page in ("mobilise", "suspend", "resume", "terminate", "kpis", "allocations")
        for method in ("GET", "POST")
    },
    ("GET", "/contracts/{contract_id:int}/suspend/check"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD)),
    ("GET", "/contracts/{contract_id:int}/terminate/check"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD)),
    ("GET", "/api/v1/notifications"): Route(signed_in()),
    ("POST", "/api/v1/notifications/{notification_id:int}/read"): Route(signed_in(PASSES_GUARD), empty_json),
    ("GET", "/specifications/{specification_id:int}/bid"): Route(only(*PROVIDER, allowed=PASSES_GUARD)),
    ("POST", "/specifications/{specification_id:int}/bid"): Route(only(*PROVIDER, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/specifications/{specification_id:int}/bid/check"): Route(only(*PROVIDER, allowed=PASSES_GUARD)),
    ("POST", "/bids/{bid_id:str}/submit"): Route(only(*PROVIDER, allowed=PASSES_GUARD), csrf_only),
    ("POST", "/bids/{bid_id:str}/attachments"): Route(only(*PROVIDER, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/bids/{bid_id:str}/attachments/{attachment_id:int}"): Route(signed_in(PASSES_GUARD)),
    ("GET", "/bids/{bid_id:str}/withdraw"): Route(only(*PROVIDER, allowed=PASSES_GUARD)),
    ("POST", "/bids/{bid_id:str}/withdraw"): Route(only(*PROVIDER, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/bids"): Route(only(*PROVIDER)),
    ("GET", "/evaluations"): Route(only(*EVALUATOR)),
    ("GET", "/evaluations/{specification_id:int}"): Route(only(*EVALUATOR, allowed=PASSES_GUARD)),
    ("POST", "/evaluations/{specification_id:int}/declaration"): Route(
        only(*EVALUATOR, allowed=PASSES_GUARD), csrf_only
    ),
    ("GET", "/evaluations/{specification_id:int}/bids/{bid_id:str}"): Route(only(*EVALUATOR, allowed=PASSES_GUARD)),
    ("POST", "/evaluations/{specification_id:int}/bids/{bid_id:str}"): Route(
        only(*EVALUATOR, allowed=PASSES_GUARD), csrf_only
    ),
    ("GET", "/specifications/{specification_id:int}/evaluation"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD)),
    ("GET", "/specifications/{specification_id:int}/evaluation-report.pdf"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD)
    ),
    ("POST", "/specifications/{specification_id:int}/panel"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only
    ),
    ("POST", "/specifications/{specification_id:int}/panel/removal"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only
    ),
    ("POST", "/specifications/{specification_id:int}/moderation/{bid_id:str}"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only
    ),
    ("POST", "/specifications/{specification_id:int}/award"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only
    ),
    ("GET", "/awards/{award_id:int}"): Route(everyone(PASSES_GUARD)),
    ("POST", "/awards/{award_id:int}/representations"): Route(only(*PROVIDER, allowed=PASSES_GUARD), csrf_only),
    ("POST", "/awards/{award_id:int}/representations/{representation_id:int}/answer"): Route(
        only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only
    ),
    ("POST", "/awards/{award_id:int}/confirm"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/inbox"): Route(signed_in()),
    ("POST", "/inbox/read"): Route(signed_in(), csrf_only),
    # The contract document: whoever may read the contract (read_scope); tests/access/test_contract_document_access.py
    ("GET", "/api/v1/contracts/{contract_id:int}/document"): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD)),
    ("GET", "/contracts/{contract_id:int}/document"): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD)),
    ("GET", "/contracts/{contract_id:int}/document.pdf"): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD)),
    # Contracts: read by their parties (tests/api/contracts and tests/pages/contracts check scope with real data)
    ("GET", "/api/v1/contracts"): Route(only(*CONTRACT_READERS)),
    ("GET", "/api/v1/contracts/{contract_id:int}"): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD)),
    ("GET", "/api/v1/contracts/{contract_id:int}/allocations"): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD)),
    ("GET", "/contracts"): Route(only(*CONTRACT_READERS)),
    # Contracts made before this service, from a file: a commissioner's, for their PCPGs (scope is the file's rows)
    ("GET", "/contracts/import"): Route(only(*COMMISSIONER)),
    ("GET", "/contracts/import/template.csv"): Route(only(*COMMISSIONER)),
    ("GET", "/contracts/import/template.xlsx"): Route(only(*COMMISSIONER)),
    ("POST", "/contracts/import"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/contracts/import/{import_id:int}"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD)),
    ("POST", "/contracts/import/{import_id:int}"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only),
    ("POST", "/api/v1/contracts/import"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD)),
    # Delivery returns: read by their contract's parties (tests/api/returns check scope with real data)
    ("GET", "/api/v1/returns"): Route(only(*CONTRACT_READERS)),
    ("GET", "/api/v1/returns/{return_id:int}"): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD)),
    # Reviewing returns: a commissioner accepts or queries; the vehicle's users or the commissioner correct an
    # accepted one; its parties read its history (scope with real data: tests/api/returns/test_review_api.py)
    ("POST", f"{RETURN_API}/accept"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json),
    ("POST", f"{RETURN_API}/query"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json),
    ("POST", f"{RETURN_API}/corrections"): Route(only(*RETURN_CORRECTORS, allowed=PASSES_GUARD), empty_json),
    ("GET", f"{RETURN_API}/history"): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD)),
    ("GET", "/returns/review"): Route(only(*COMMISSIONER)),
    ("GET", f"{RETURN_PAGE}/review"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD)),
    ("POST", f"{RETURN_PAGE}/query"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only),
    ("GET", f"{RETURN_PAGE}/accept"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD)),
    ("POST", f"{RETURN_PAGE}/accept"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only),
    ("GET", f"{RETURN_PAGE}/correct"): Route(only(*RETURN_CORRECTORS, allowed=PASSES_GUARD)),
    ("POST", f"{RETURN_PAGE}/correct"): Route(only(*RETURN_CORRECTORS, allowed=PASSES_GUARD), csrf_only),
    ("GET", f"{RETURN_PAGE}/history"): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD)),
    # Payments: read by the contract's parties, decided by a finance director of its health board (scope with real
    # data: tests/api/returns/test_payments_api.py, tests/pages/returns/test_payment_pages.py)
    ("GET", "/api/v1/payments"): Route(only(*CONTRACT_READERS)),
    ("GET", f"{PAYMENT_API}"): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD), params=QUARTER_PARAMS),
    **{
        ("POST", f"{PAYMENT_API}/{action}"): Route(
            only(*FINANCE, allowed=PASSES_GUARD), reason_json, params=QUARTER_PARAMS
        )
        for action in ("approve", "withhold", "release")
    },
    ("GET", "/payments"): Route(only(*FINANCE)),
    ("GET", "/payments/withheld"): Route(only(*FINANCE)),
    **{
        (method, f"{PAYMENT_PAGE}/{path}"): Route(
            only(*FINANCE, allowed=PASSES_GUARD), csrf_only if method == "POST" else no_body, params=QUARTER_PARAMS
        )
        for method, path in (
            ("GET", "approve"),
            ("POST", "approve"),
            ("GET", "withhold"),
            ("POST", "withhold"),
            ("GET", "withhold/check"),
            ("GET", "release"),
            ("POST", "release"),
            ("GET", "release/check"),
        )
    },
    # Filling in and submitting a return: the vehicle's provider users (tests/api/returns/test_submission_api.py
    # checks another vehicle's return is not found); the list is every reader's, the return's page too
    ("PUT", f"{RETURN_API}/figures"): Route(only(*PROVIDER, allowed=PASSES_GUARD), empty_json),
    ("POST", f"{RETURN_API}/submit"): Route(only(*PROVIDER, allowed=PASSES_GUARD)),
    ("GET", f"{RETURN_API}/template.csv"): Route(only(*PROVIDER, allowed=PASSES_GUARD)),
    ("GET", f"{RETURN_API}/template.xlsx"): Route(only(*PROVIDER, allowed=PASSES_GUARD)),
    ("POST", f"{RETURN_API}/upload"): Route(only(*PROVIDER, allowed=PASSES_GUARD)),
    ("GET", "/returns"): Route(only(*CONTRACT_READERS)),
    ("GET", RETURN_PAGE): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD)),
    ("GET", f"{RETURN_PAGE}/edit"): Route(only(*PROVIDER, allowed=PASSES_GUARD)),
    ("POST", f"{RETURN_PAGE}/edit"): Route(only(*PROVIDER, allowed=PASSES_GUARD), csrf_only),
    ("GET", f"{RETURN_PAGE}/template.csv"): Route(only(*PROVIDER, allowed=PASSES_GUARD)),
    ("GET", f"{RETURN_PAGE}/template.xlsx"): Route(only(*PROVIDER, allowed=PASSES_GUARD)),
    ("GET", f"{RETURN_PAGE}/upload"): Route(only(*PROVIDER, allowed=PASSES_GUARD)),
    ("POST", f"{RETURN_PAGE}/upload"): Route(only(*PROVIDER, allowed=PASSES_GUARD), csrf_only),
    ("GET", f"{RETURN_PAGE}/submit"): Route(only(*PROVIDER, allowed=PASSES_GUARD)),
    ("POST", f"{RETURN_PAGE}/submit"): Route(only(*PROVIDER, allowed=PASSES_GUARD), csrf_only),
    # The return's document: whoever may read the return (read_scope); tests/api/returns/test_return_document_api.py
    ("GET", "/api/v1/returns/{return_id:int}/document"): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD)),
    ("GET", "/returns/{return_id:int}/document"): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD)),
    ("GET", "/returns/{return_id:int}/document.pdf"): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD)),
    ("GET", "/contracts/{contract_id:int}"): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD)),
    ("GET", "/contracts/{contract_id:int}/public"): Route(everyone(PASSES_GUARD)),
    # Outcomes from accepted returns: a contract's by its parties; the PCPG and equity views by commissioners and
    # national administrators (tests/api/returns/test_outcomes_api.py and tests/pages/returns check scope with data)
    ("GET", f"{CONTRACT_API}/outcomes"): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD)),
    ("GET", f"{CONTRACT_PAGE}/outcomes"): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD)),
    ("GET", "/api/v1/outcomes"): Route(only(*DECIDERS, allowed=PASSES_GUARD)),
    ("GET", "/outcomes"): Route(only(*DECIDERS)),
    ("GET", "/api/v1/equity"): Route(only(*DECIDERS, allowed=PASSES_GUARD)),
    ("GET", "/equity"): Route(only(*DECIDERS)),
    # Annual performance ratings: read by the contract's parties, recorded by a commissioner of its PCPG (by scope:
    # tests/services/returns/test_ratings.py, tests/api/returns/test_ratings_api.py)
    ("GET", f"{CONTRACT_API}/ratings"): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD)),
    ("POST", f"{CONTRACT_API}/ratings"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json),
    ("GET", f"{CONTRACT_PAGE}/ratings"): Route(only(*CONTRACT_READERS, allowed=PASSES_GUARD)),
    ("POST", f"{CONTRACT_PAGE}/ratings"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only),
    ("GET", f"{CONTRACT_PAGE}/ratings/check"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD)),
    # Contract variations and history: who decides a real variation, by role and scope,
    # tests/api/contracts/test_variations_api.py
    ("POST", f"{VARIATIONS_API}"): Route(only(Role.COMMISSIONER, Role.PROVIDER, allowed=PASSES_GUARD), empty_json),
    ("GET", f"{VARIATIONS_API}"): Route(only(*VEHICLE_READERS, allowed=PASSES_GUARD)),
    ("GET", f"{VARIATIONS_API}/{NUMBER}"): Route(only(*VEHICLE_READERS, allowed=PASSES_GUARD)),
    ("POST", f"{VARIATIONS_API}/{NUMBER}/approve"): Route(only(*DECIDERS, allowed=PASSES_GUARD), empty_json),
    ("POST", f"{VARIATIONS_API}/{NUMBER}/reject"): Route(only(*DECIDERS, allowed=PASSES_GUARD), empty_json),
    ("GET", f"{CONTRACT_API}/history"): Route(only(*VEHICLE_READERS, allowed=PASSES_GUARD)),
    ("GET", f"{CONTRACT_PAGE}/variations/new"): Route(only(Role.COMMISSIONER, Role.PROVIDER, allowed=PASSES_GUARD)),
    ("POST", f"{CONTRACT_PAGE}/variations/new"): Route(
        only(Role.COMMISSIONER, Role.PROVIDER, allowed=PASSES_GUARD), csrf_only
    ),
    ("GET", f"{CONTRACT_PAGE}/variations/{NUMBER}"): Route(only(*VEHICLE_READERS, allowed=PASSES_GUARD)),
    ("POST", f"{CONTRACT_PAGE}/variations/{NUMBER}/approve"): Route(only(*DECIDERS, allowed=PASSES_GUARD), csrf_only),
    ("POST", f"{CONTRACT_PAGE}/variations/{NUMBER}/reject"): Route(only(*DECIDERS, allowed=PASSES_GUARD), csrf_only),
    ("GET", f"{CONTRACT_PAGE}/history"): Route(only(*VEHICLE_READERS, allowed=PASSES_GUARD)),
    # Viability of delivery vehicles: national administrators see every vehicle and set the thresholds; a provider
    # reads its own vehicle's (which vehicles each sees: tests/services/contracts/test_viability.py)
    ("GET", "/api/v1/viability"): Route(only(Role.NATIONAL_ADMIN, Role.PROVIDER)),
    ("GET", "/api/v1/viability/thresholds"): Route(signed_in()),
    ("PUT", "/api/v1/viability/thresholds"): Route(only(*ADMIN, allowed=PASSES_GUARD), empty_json),
    ("GET", "/viability"): Route(only(*ADMIN)),
    ("GET", "/viability/table.csv"): Route(only(*ADMIN)),
    ("GET", "/viability/thresholds"): Route(only(*ADMIN)),
    ("POST", "/viability/thresholds"): Route(only(*ADMIN, allowed=PASSES_GUARD), csrf_only),
    # Earned autonomy (issue 15, item 5): the national terms are a national administrator's; a vehicle's tier is read
    # as the vehicle is, and set or lifted by a commissioner of a PCPG it serves or a national administrator
    ("GET", "/api/v1/autonomy/settings"): Route(signed_in()),
    ("PUT", "/api/v1/autonomy/settings"): Route(only(*ADMIN, allowed=PASSES_GUARD), empty_json),
    ("GET", "/autonomy/settings"): Route(only(*ADMIN)),
    ("POST", "/autonomy/settings"): Route(only(*ADMIN, allowed=PASSES_GUARD), csrf_only),
    ("GET", f"/api/v1/delivery-vehicles/{VEHICLE}/autonomy"): Route(only(*VEHICLE_READERS)),
    ("PUT", f"/api/v1/delivery-vehicles/{VEHICLE}/autonomy/override"): Route(
        only(*DECIDERS, allowed=PASSES_GUARD), empty_json
    ),
    ("POST", f"/api/v1/delivery-vehicles/{VEHICLE}/autonomy/override/lift"): Route(
        only(*DECIDERS, allowed=PASSES_GUARD), empty_json
    ),
    ("GET", f"/delivery-vehicles/{VEHICLE}/autonomy"): Route(only(*VEHICLE_READERS)),
    ("POST", f"/delivery-vehicles/{VEHICLE}/autonomy/override"): Route(
        only(*DECIDERS, allowed=PASSES_GUARD), csrf_only
    ),
    ("POST", f"/delivery-vehicles/{VEHICLE}/autonomy/lift"): Route(only(*DECIDERS, allowed=PASSES_GUARD), csrf_only),
    # Maturity matrix and assessments: scope by row is tested in tests/api/maturity and tests/services/maturity
    ("GET", "/api/v1/maturity/domains"): Route(only(*VEHICLE_READERS)),
    ("PATCH", "/api/v1/maturity/domains/{domain_id:int}"): Route(only(*ADMIN, allowed=PASSES_GUARD), empty_json),
    ("GET", "/api/v1/maturity/assessments"): Route(only(*VEHICLE_READERS)),
    ("POST", "/api/v1/maturity/assessments"): Route(only(*PROVIDER, allowed=PASSES_GUARD)),
    ("GET", f"{MATURITY_API}"): Route(only(*VEHICLE_READERS, allowed=PASSES_GUARD)),
    ("PUT", f"{MATURITY_API}/self-assessment"): Route(only(*PROVIDER, allowed=PASSES_GUARD), empty_json),
    ("POST", f"{MATURITY_API}/submit"): Route(only(*PROVIDER, allowed=PASSES_GUARD)),
    ("POST", f"{MATURITY_API}/reviewer"): Route(only(*DECIDERS, allowed=PASSES_GUARD), empty_json),
    ("POST", f"{MATURITY_API}/declaration"): Route(only(*MATURITY_REVIEWERS, allowed=PASSES_GUARD), empty_json),
    ("PUT", f"{MATURITY_API}/review"): Route(only(*MATURITY_REVIEWERS, allowed=PASSES_GUARD), empty_json),
    ("POST", f"{MATURITY_API}/review/submit"): Route(only(*MATURITY_REVIEWERS, allowed=PASSES_GUARD)),
    ("POST", f"{MATURITY_API}/confirm"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), empty_json),
    ("GET", f"/api/v1/maturity/delivery-vehicles/{VEHICLE}"): Route(only(*VEHICLE_READERS)),
    ("GET", "/maturity/matrix"): Route(only(*ADMIN)),
    ("GET", "/maturity/matrix/{domain_id:int}"): Route(only(*ADMIN, allowed=PASSES_GUARD)),
    ("POST", "/maturity/matrix/{domain_id:int}"): Route(only(*ADMIN, allowed=PASSES_GUARD), csrf_only),
    ("GET", "/maturity"): Route(only(*VEHICLE_READERS)),
    ("POST", "/maturity/assessments"): Route(only(*PROVIDER, allowed=PASSES_GUARD), csrf_only),
    ("GET", MATURITY_PAGE): Route(only(*VEHICLE_READERS, allowed=PASSES_GUARD)),
    ("GET", f"{MATURITY_PAGE}/self-assessment"): Route(only(*PROVIDER, allowed=PASSES_GUARD)),
    ("POST", f"{MATURITY_PAGE}/self-assessment"): Route(only(*PROVIDER, allowed=PASSES_GUARD), csrf_only),
    ("GET", f"{MATURITY_PAGE}/submit"): Route(only(*PROVIDER, allowed=PASSES_GUARD)),
    ("POST", f"{MATURITY_PAGE}/submit"): Route(only(*PROVIDER, allowed=PASSES_GUARD), csrf_only),
    ("GET", f"{MATURITY_PAGE}/reviewer"): Route(only(*DECIDERS, allowed=PASSES_GUARD)),
    ("POST", f"{MATURITY_PAGE}/reviewer"): Route(only(*DECIDERS, allowed=PASSES_GUARD), csrf_only),
    ("POST", f"{MATURITY_PAGE}/declaration"): Route(only(*MATURITY_REVIEWERS, allowed=PASSES_GUARD), csrf_only),
    ("GET", f"{MATURITY_PAGE}/review"): Route(only(*MATURITY_REVIEWERS, allowed=PASSES_GUARD)),
    ("POST", f"{MATURITY_PAGE}/review"): Route(only(*MATURITY_REVIEWERS, allowed=PASSES_GUARD), csrf_only),
    ("GET", f"{MATURITY_PAGE}/review/submit"): Route(only(*MATURITY_REVIEWERS, allowed=PASSES_GUARD)),
    ("POST", f"{MATURITY_PAGE}/review/submit"): Route(only(*MATURITY_REVIEWERS, allowed=PASSES_GUARD), csrf_only),
    ("GET", f"{MATURITY_PAGE}/confirm"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD)),
    ("POST", f"{MATURITY_PAGE}/confirm"): Route(only(*COMMISSIONER, allowed=PASSES_GUARD), csrf_only),
    ("GET", f"/delivery-vehicles/{VEHICLE}/maturity"): Route(only(*VEHICLE_READERS)),
}


def _app_routes() -> list[tuple[str, str]]:
    app = build_app()
    return sorted(
        (method, path)
        for path, methods in app.route_handler_method_map.items()
        for method in methods
        if method not in UNCHECKED_METHODS
    )


APP_ROUTES = _app_routes()


async def fill(path: str, route: Route, scenario: Scenario) -> str:
    values = {
        "delivery_vehicle_id": str(scenario.vehicle_id),
        "decision": "approve",
        "health_board_id": str(
            await factories.reference_id(factories.HealthBoard, "Cardiff and Vale University Health Board")
        ),
        "pcpg_id": str(await factories.reference_id(factories.Pcpg, "Cardiff")),
        "cluster_id": str(scenario.cluster_ids[0]),
        **route.params,
    }
    filled = path
    while "{" in filled:
        start, end = filled.index("{"), filled.index("}")
        name = filled[start + 1 : end].split(":")[0]
        filled = filled[:start] + values.get(name, "999999") + filled[end + 1 :]
    return filled


async def arrange(app: Any, role: str, route: Route) -> tuple[httpx.AsyncClient, Scenario]:
    vehicle = await factories.create_vehicle(cluster_names=("Cardiff North",), status=route.vehicle_status)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    if role == ANONYMOUS:
        user = await factories.create_user(role=Role.EVALUATOR)
        username = user.username
    else:
        scope = {"delivery_vehicle_id": vehicle.id} if role == "provider" and route.provider_owns_vehicle else {}
        actor = await make_actor(role, **scope)
        await sign_in_directly(http, actor)
        username = actor.username
    csrf = csrf_from((await http.get("/sign-in")).text) if route.body in PAGE_FORMS else ""
    return http, Scenario(vehicle.id, username, await factories.cluster_ids("Cardiff North", "Cardiff West"), csrf)


def mismatch(expected: str, response: httpx.Response, path: str) -> str | None:
    """Why the answer is not the expected one, or None when it is."""
    status, location = response.status_code, response.headers.get("location", "")
    api = path.startswith("/api/")
    problem = response.headers.get("content-type") == "application/problem+json"
    to_sign_in = location.startswith("/sign-in")
    if expected == OK:
        fits = 200 <= status < 400 and not to_sign_in
    elif expected == SIGN_IN:
        fits = (status == 401 and problem) if api else (status in (302, 303) and location.startswith("/sign-in?next="))
    elif expected == FORBIDDEN:
        fits = status == 403 and (problem or not api)
    elif expected == NOT_FOUND:
        fits = status == 404
    elif expected == PASSES_GUARD:
        fits = status not in (401, 403) and status < 500 and not to_sign_in
    else:  # pragma: no cover - a typo in the table
        raise AssertionError(f"unknown expectation {expected!r}")
    return None if fits else f"expected {expected}, got {status} {location} {response.text[:200]}"


def allowed_role(route: tuple[str, str]) -> str:
    """A role the route lets through (a signed-in one where there is one), to test what it does with input."""
    expected = ROUTES[route].expected
    for outcome in (OK, PASSES_GUARD, NOT_FOUND):
        for role in (*ROLES[1:], ANONYMOUS):
            if expected[role] == outcome:
                return role
    raise AssertionError(f"no role may use {route}")
