"""Jinja2 with the NHS.UK macros, per-request gettext, and the context every page shares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

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

from accounts.actor import Actor
from core.i18n import N_, current_language, day_in_words, time_in_words, translations
from core.money import format_pounds
from web.contributions import Site
from web.cookies import FLASH_COOKIE

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
NHSUK_DIST = ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
BUILT = ROOT / "build" / "static"
"""What scripts/setup builds (git-ignored), served at /static/build/: the NHS.UK CSS from web/nhsuk-frontend.scss."""
NHSUK_CSS = BUILT / "nhsuk-frontend.min.css"
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
    return "" if value is None else day_in_words(value, current_language.get())


def date_time(value: datetime | None) -> str:
    return "" if value is None else time_in_words(value, current_language.get())


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


def english_name(name: str, is_english: bool) -> Markup:
    """A name for a label's `html`: marked as English on a Welsh page when it has no Welsh form, escaped either way
    (a str joined to escaped markup with `~` would be escaped a second time and show its tags)."""
    return Markup('<span lang="en">{}</span>').format(name) if is_english else Markup("{}").format(name)


def field_error(errors: dict[str, str] | None, name: str) -> dict[str, str] | None:
    """The NHS.UK errorMessage parameter for one field, with its screen-reader prefix in the page's language."""
    if not errors or name not in errors:
        return None
    return {"text": errors[name], "visuallyHiddenText": _gettext(N_("Error"))}


def make_environment(site: Site) -> Environment:
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
    env.globals.update(field_error=field_error, english_name=english_name)

    def label(code: str | None) -> str:
        """The reader's words for a stored code (statuses, legal forms), as the domains contributed them."""
        return _gettext(site.labels[code]) if code in site.labels else (code or "")

    env.filters.update(label=label)
    return env


def navigation(site: Site, actor: Actor | None, path: str) -> list[dict[str, Any]]:
    return [
        {
            "href": entry.href,
            "text": _gettext(entry.text),
            "current": path == entry.href,
            "active": path.startswith(entry.href + "/"),
        }
        for entry in site.navigation
        if entry.shown_to(actor)
    ]


def with_query(path: str, query: Mapping[str, Any] | Sequence[tuple[str, Any]], **changes: Any) -> str:
    """The path with its query, changed as asked; a repeated parameter (`group_by=pcpg&group_by=cluster`) is kept
    whole when given as pairs."""
    pairs = list(query.items()) if isinstance(query, Mapping) else list(query)
    merged = [(key, value) for key, value in pairs if key not in changes] + list(changes.items())
    kept = [(key, value) for key, value in merged if value not in (None, "")]
    return f"{path}?{urlencode(kept)}" if kept else path


def _query_pairs(request: Request) -> list[tuple[str, str]]:
    """The query as sent: its order kept, a repeated parameter whole (the parsed query groups by name)."""
    return parse_qsl(request.url.query, keep_blank_values=True)


def chosen(request: Request) -> bool:
    """Whether the reader chose anything in the query (the language aside): a filtered page is a page of its own."""
    return any(key != "lang" for key in request.query_params)


def page(
    request: Request, template_name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Template:
    """Render a page with everything the layout needs; handlers pass only decided values."""
    state = request.scope.setdefault("state", {})
    language = state.get("language", "en")
    other = "cy" if language == "en" else "en"
    query = [(key, value) for key, value in _query_pairs(request) if key != "lang"]
    actor: Actor | None = state.get("actor")
    site: Site = request.app.state.site
    flash_key = request.cookies.get(FLASH_COOKIE)
    shared = {
        "htmlLang": language,
        "cspNonce": state.get("csp_nonce", ""),
        "language": language,
        "other_language": other,
        "counterpart_href": with_query(request.url.path, query, lang=other),
        "here_href": with_query(request.url.path, query),
        "current_path": request.url.path,
        "actor": actor,
        "role_label": _gettext(site.labels[actor.role.value]) if actor and actor.role else "",
        "navigation": navigation(site, actor, request.url.path),
        "assets_available": NHSUK_DIST.exists(),
        "styles_available": NHSUK_CSS.exists(),
        "clock_moved": state["clock"].is_moved if "clock" in state else False,
        "clock_now": state["clock"].now() if "clock" in state else None,
        "flash": _gettext(site.flash_messages[flash_key]) if flash_key in site.flash_messages else None,
    }
    response = Template(template_name=template_name, context={**shared, **(context or {})}, status_code=status_code)
    if flash_key:
        response.delete_cookie(FLASH_COOKIE)
    return response


def with_flash(response: Any, key: str) -> Any:
    """Show a success message (one a domain contributed) on the page the redirect leads to."""
    response.set_cookie(FLASH_COOKIE, key, httponly=True, samesite="lax", path="/")
    return response


def markup(text: str) -> Markup:
    return Markup(text)  # noqa: S704 - only for strings built from escaped parts


def paging(result: Any, request: Request) -> dict[str, Any]:
    query = [(key, value) for key, value in _query_pairs(request) if key not in ("lang", "offset")]
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


def form_page_offset(value: str | None) -> int:
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0
