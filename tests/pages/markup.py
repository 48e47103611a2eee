"""Reading rendered pages the way a user (or a screen reader) meets them: language, error summary, banners, tables."""

from __future__ import annotations

import re
from collections.abc import Mapping
from html.parser import HTMLParser

from core.i18n import translations

PROBLEM = "application/problem+json"


def html_lang(page: str) -> str:
    found = re.search(r'<html[^>]*\slang="([^"]+)"', page)
    assert found, "the page has no <html lang>"
    return found.group(1)


def counterpart_links(page: str) -> list[tuple[str, str]]:
    """(hreflang, href) of every link to the page in the other language."""
    links = []
    for tag in re.findall(r"<a\s[^>]*hreflang=[^>]*>", page):
        href = re.search(r'href="([^"]*)"', tag)
        lang = re.search(r'hreflang="([^"]*)"', tag)
        if href and lang:
            links.append((lang.group(1), href.group(1).replace("&amp;", "&")))
    return links


def error_summary_links(page: str) -> list[str]:
    """The targets of the links in the NHS.UK error summary, in order; empty when there is no summary."""
    found = re.search(r'<div class="nhsuk-error-summary".*?</ul>', page, re.S)
    return re.findall(r'href="(#[^"]+)"', found.group(0)) if found else []


def form_field_names(page: str) -> set[str]:
    """The names of the inputs, text areas and selects the page's forms offer: what a browser can post."""
    return set(re.findall(r'<(?:input|textarea|select)\b[^>]*\sname="([^"]+)"', page))


def not_offered(page: str, posted: Mapping[str, object]) -> set[str]:
    """Fields a test posts that no form on the page offers (a test posting names the page does not send would pass
    while a person's browser fails)."""
    return set(posted) - form_field_names(page)


def element_ids(page: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page))


def fields_in_error(page: str) -> set[str]:
    """Ids of the fields showing an inline error message (`<span class="nhsuk-error-message" id="x-error">`)."""
    return set(re.findall(r'class="nhsuk-error-message"[^>]*id="([^"]+)-error"', page))


def success_banner(page: str) -> str | None:
    found = re.search(
        r'<div class="nhsuk-notification-banner nhsuk-notification-banner--success".*?</div>\s*</div>', page, re.S
    )
    return text_of(found.group(0)) if found else None


def text_of(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).replace("&#39;", "'").replace("&amp;", "&").split())


def input_value(page: str, field_id: str) -> str | None:
    found = re.search(rf'<input[^>]*\sid="{re.escape(field_id)}"[^>]*>', page)
    if not found:
        return None
    value = re.search(r'value="([^"]*)"', found.group(0))
    return value.group(1) if value else ""


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag in ("td", "th") and self._in_body:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(page: str) -> list[list[str]]:
    """The body rows of every table on the page, each as its cells' text."""
    parser = _Tables()
    parser.feed(page)
    return parser.rows


def welsh(message: str, **params: object) -> str:
    """The catalogue's Welsh for a message (English until it is translated), so tests never hard-code Welsh."""
    text = translations("cy").gettext(message)
    return text % params if params else text


def welsh_plural(singular: str, plural: str, n: int) -> str:
    return translations("cy").ngettext(singular, plural, n) % {"num": n}


def summary_rows(page: str) -> list[tuple[str, str]]:
    """Each NHS.UK summary-list row as (key, value) text, in order, across every list on the page."""
    return [
        (text_of(key), text_of(value))
        for key, value in re.findall(
            r'<dt class="nhsuk-summary-list__key"[^>]*>(.*?)</dt>\s*'
            r'<dd class="nhsuk-summary-list__value"[^>]*>(.*?)</dd>',
            page,
            re.S,
        )
    ]


def links(page: str) -> list[tuple[str, str]]:
    """Every link as (href, text), the text as a screen reader reads it (visually hidden words included)."""
    return [
        (href.replace("&amp;", "&"), text_of(body))
        for href, body in re.findall(r'<a\s[^>]*href="([^"]*)"[^>]*>(.*?)</a>', page, re.S)
    ]


def decision_preview_rows(page: str) -> list[list[str]]:
    """The decision preview's rows (templates/contracts/_decision_preview.html) as an English reader sees them:
    financial year, now, once confirmed, without the headings each cell repeats for small screens; [] without one."""
    start = page.find("How this changes the viability of")
    if start < 0:
        return []
    table = page[start : page.index("</table>", start) + len("</table>")]
    repeated = re.compile(r"^(Financial year|Now|Once confirmed) ")
    return [[repeated.sub("", cell, count=1) for cell in row] for row in table_rows(table)]
