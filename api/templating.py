"""Jinja2 with the NHS.UK macros, per-request gettext, and the context every page shares."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    select_autoescape,
)
from litestar import Request
from litestar.response import Template
from markupsafe import Markup

from accounts.actor import Actor, Role
from core.clock import LONDON
from core.i18n import N_, current_language, translations
from core.money import format_pounds

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
NHSUK_DIST = ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
SWAGGER_DIST = ROOT / "node_modules" / "swagger-ui-dist"


def _gettext(message: str) -> str:
    return translations(current_language.get()).gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language.get()).ngettext(singular, plural, n)


def _locale() -> str:
    return "cy_GB" if current_language.get() == "cy" else "en_GB"


def pounds(pence: int | None) -> str:
    return "" if pence is None else format_pounds(int(pence), current_language.get())


def long_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return format_date(value, "d MMMM yyyy", locale=_locale())


def date_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value.astimezone(LONDON), "d MMMM yyyy, HH:mm", tzinfo=LONDON, locale=_locale())


def number(value: int | None) -> str:
    return "" if value is None else format_decimal(value, locale=_locale())


def localised(row: Any, field: str = "name") -> str:
    """The Welsh name when reading in Welsh and one exists, else the English one."""
    getter = row.get if isinstance(row, dict) else lambda key, default=None: getattr(row, key, default)
    if current_language.get() == "cy":
        welsh = getter(f"{field}_cy", None)
        if welsh:
            return welsh
    return getter(field, "")


def field_error(errors: dict[str, str] | None, name: str) -> dict[str, str] | None:
    """The NHS.UK errorMessage parameter for one field, with its screen-reader prefix in the page's language."""
    if not errors or name not in errors:
        return None
    return {"text": errors[name], "visuallyHiddenText": _gettext(N_("Error"))}


def make_environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(str(TEMPLATES)),
                PackageLoader("nhsuk_frontend_jinja"),
                PackageLoader("nhsuk_frontend_jinja", package_path="templates/nhsuk"),
            ]
        ),
        autoescape=select_autoescape(["html", "jinja"], default_for_string=True, default=True),
        undefined=ChainableUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(pounds=pounds, long_date=long_date, date_time=date_time, number=number, localised=localised)
    env.globals.update(field_error=field_error)
    env.filters.update(label=label)
    return env


def navigation(actor: Actor | None, path: str) -> list[dict[str, Any]]:
    items: list[tuple[str, str]] = []
    if actor is None:
        items = [
            ("/opportunities", _gettext(N_("Opportunities"))),
            ("/menu", _gettext(N_("Menu of services"))),
            ("/reference/health-boards", _gettext(N_("Reference data"))),
        ]
    else:
        items.append(("/dashboard", _gettext(N_("Dashboard"))))
        if actor.role is Role.COMMISSIONER:
            items += [("/specifications", _gettext(N_("Specifications"))), ("/plans", _gettext(N_("Plans")))]
        else:
            items.append(("/opportunities", _gettext(N_("Opportunities"))))
        if actor.role in (Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR):
            items.append(("/budgets", _gettext(N_("Budgets"))))
            items.append(("/delivery-vehicles", _gettext(N_("Delivery vehicles"))))
        if actor.role is Role.PROVIDER:
            items.append(("/bids", _gettext(N_("My bids"))))
            items.append(("/delivery-vehicles", _gettext(N_("My delivery vehicle"))))
        if actor.role is Role.EVALUATOR:
            items.append(("/evaluations", _gettext(N_("Evaluations"))))
        items.append(("/inbox", _gettext(N_("Inbox"))))
        items.append(("/menu", _gettext(N_("Menu of services"))))
        if actor.role in (Role.NATIONAL_ADMIN, Role.COMMISSIONER):
            items.append(("/audit", _gettext(N_("Audit trail"))))
    return [
        {"href": href, "text": text, "current": path == href, "active": path.startswith(href + "/")}
        for href, text in items
    ]


def with_query(path: str, query: dict[str, Any], **changes: Any) -> str:
    merged = {key: value for key, value in {**query, **changes}.items() if value not in (None, "")}
    return f"{path}?{urlencode(merged)}" if merged else path


FLASH_MESSAGES = {
    "signed_in": N_("You are signed in"),
    "signed_out": N_("You have signed out"),
    "vehicle_registered": N_(
        "Your delivery vehicle is registered. A commissioner or national administrator will review it"
    ),
    "vehicle_approved": N_("The delivery vehicle is approved and can now bid"),
    "vehicle_rejected": N_("The registration was rejected and the reason recorded"),
    "menu_added": N_("The service is on the menu"),
    "budget_set": N_("The budget line is set"),
    "draft_created": N_("The draft specification is made from the menu. Complete each section, then publish it"),
    "draft_saved": N_("The draft is saved"),
    "plan_added": N_("The plan is added"),
    "priority_added": N_("The priority is added to the plan"),
    "term_changed": N_("The term is changed. Now give the maximum value and budget line for each year"),
    "published": N_("The specification is published and its maximum values are earmarked"),
    "published_warning": N_("The specification is published. A budget line it draws on is now 90% or more used"),
    "cancelled": N_("The specification is cancelled and its earmarks released"),
    "evaluation_begun": N_("Evaluation has begun"),
    "bid_submitted": N_(
        "Your bid is submitted. It stays sealed until the deadline; you can change or withdraw it until then"
    ),
    "bid_saved": N_("Your draft bid is saved. It is not submitted until you submit it"),
    "bid_withdrawn": N_("Your bid is withdrawn"),
    "attachment_added": N_("The document is attached to your bid"),
    "panel_named": N_("The evaluator is on the panel and has been notified"),
    "declared": N_("Your declaration is recorded"),
    "recused": N_("You declared a conflict of interest, so you are recused from this evaluation"),
    "scored": N_("Your scores are saved"),
    "moderated": N_("The moderated score is recorded"),
    "award_intended": N_("The notice of intention to award is issued and the standstill has begun"),
    "representation_lodged": N_("Your representation is sent. The contract cannot be made until it is answered"),
    "representation_answered": N_("Your answer is sent to the bidder"),
    "contract_made": N_("The contract is made and the award notice published"),
    "question_asked": N_("Your question is sent. The answer will be published to every bidder without your name"),
    "question_answered": N_("The answer is published to every bidder"),
    "budget_changed": N_("The budget line's amount is changed"),
    "menu_edited": N_("A new version of the service is saved. Specifications keep the version they were written from"),
    "menu_retired": N_("The service is retired and is no longer offered for new specifications"),
}

LABELS = {
    "pending": N_("Waiting for approval"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "cic": N_("Community Interest Company"),
    "company_limited_by_guarantee": N_("Company limited by guarantee"),
    "gp_federation": N_("GP federation"),
    "charity": N_("Charity"),
    "social_enterprise": N_("Social enterprise"),
    "hb_hosted": N_("Health board hosted team"),
}


def label(code: str | None) -> str:
    """The reader's words for a stored code (statuses, legal forms)."""
    return _gettext(LABELS[code]) if code in LABELS else (code or "")


ROLE_LABELS = {
    Role.NATIONAL_ADMIN: "National administrator",
    Role.COMMISSIONER: "PCPG commissioner",
    Role.EVALUATOR: "Evaluator",
    Role.PROVIDER: "Delivery vehicle manager",
    Role.FINANCE_DIRECTOR: "Health board finance director",
}


def page(
    request: Request, template_name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Template:
    """Render a page with everything the layout needs; handlers pass only decided values."""
    state = request.scope.setdefault("state", {})
    language = state.get("language", "en")
    other = "cy" if language == "en" else "en"
    query = {key: value for key, value in request.query_params.items() if key != "lang"}
    actor: Actor | None = state.get("actor")
    shared = {
        "htmlLang": language,
        "cspNonce": state.get("csp_nonce", ""),
        "language": language,
        "other_language": other,
        "counterpart_href": with_query(request.url.path, query, lang=other),
        "current_path": request.url.path,
        "actor": actor,
        "role_label": _gettext(ROLE_LABELS[actor.role]) if actor and actor.role else "",
        "navigation": navigation(actor, request.url.path),
        "assets_available": NHSUK_DIST.exists(),
        "clock_moved": state["clock"].is_moved if "clock" in state else False,
        "clock_now": state["clock"].now() if "clock" in state else None,
        "flash": _gettext(FLASH_MESSAGES[request.cookies["cdv_flash"]])
        if request.cookies.get("cdv_flash") in FLASH_MESSAGES
        else None,
    }
    response = Template(template_name=template_name, context={**shared, **(context or {})}, status_code=status_code)
    if request.cookies.get("cdv_flash"):
        response.delete_cookie("cdv_flash")
    return response


def with_flash(response: Any, key: str) -> Any:
    """Show a success message (one of FLASH_MESSAGES) on the page the redirect leads to."""
    response.set_cookie("cdv_flash", key, httponly=True, samesite="lax", path="/")
    return response


def markup(text: str) -> Markup:
    return Markup(text)  # noqa: S704 - only for strings built from escaped parts


def paging(result: Any, request: Request) -> dict[str, Any]:
    """Previous/next links and "Showing 1 to 50 of 60" for a Page, keeping the other query parameters."""
    query = {key: value for key, value in request.query_params.items() if key not in ("lang", "offset")}
    limit, offset, total = result.limit, result.offset, result.total
    previous_offset = max(0, offset - limit) if offset > 0 else None
    next_offset = offset + limit if offset + limit < total else None
    return {
        "total": total,
        "first": offset + 1 if total else 0,
        "last": min(offset + limit, total),
        "previous_href": with_query(request.url.path, query, offset=previous_offset or None)
        if previous_offset is not None
        else None,
        "next_href": with_query(request.url.path, query, offset=next_offset) if next_offset is not None else None,
        "previous_label": _gettext(N_("Page %(number)s")) % {"number": offset // limit}
        if previous_offset is not None
        else "",
        "next_label": _gettext(N_("Page %(number)s")) % {"number": offset // limit + 2}
        if next_offset is not None
        else "",
    }


def error_list(errors: dict[str, str], ids: dict[str, str] | None = None) -> list[dict[str, str]]:
    """The error summary's links, each to its field's id (the field name unless `ids` says otherwise)."""
    return [{"text": message, "href": "#" + (ids or {}).get(field, field)} for field, message in errors.items()]


def form_page_offset(value: str | None) -> int:
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0
