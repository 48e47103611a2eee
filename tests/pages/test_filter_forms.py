"""Every filter and sort form, submitted as a browser submits it: each choice in turn, and every field left on "All"
(an empty value). Issue 10, bug 1: an empty value for a number answered 400 "The request could not be read"."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest

from tests.pages.markup import error_summary_links

pytestmark = pytest.mark.usefixtures("menu")

PAGES = (  # (who, page with a filter or sort form)
    (None, "/opportunities"),
    (None, "/reference/clusters"),
    ("national_admin", "/audit"),
    ("commissioner", "/audit"),
    ("national_admin", "/admin/users"),
    ("finance_director", "/finance/ledger"),
    ("national_admin", "/finance/ledger"),
    ("finance_director", "/finance/spend"),
    ("national_admin", "/finance/spend"),
    ("commissioner", "/contracts"),
    ("finance_director", "/contracts"),
    ("commissioner", "/needs"),
    ("national_admin", "/needs"),
)


class _GetForms(HTMLParser):
    """The fields of each `<form method="get">`: text inputs with their value, selects with every option."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self._form: dict[str, object] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "get":
            self._form = {"action": a.get("action") or "", "inputs": {}, "selects": {}}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["inputs"][a["name"]] = a.get("value") or ""  # type: ignore[index]
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form["selects"][self._select] = []  # type: ignore[index]
        elif tag == "option" and self._select is not None:
            self._form["selects"][self._select].append(a.get("value") or "")  # type: ignore[index]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def get_forms(page: str) -> list[dict[str, object]]:
    parser = _GetForms()
    parser.feed(page)
    return parser.forms


def submissions(form: dict[str, object]) -> list[dict[str, str]]:
    """Everything left as shown with each select on its first option (usually "All"), every field empty, and each
    option of each select in turn."""
    inputs: dict[str, str] = form["inputs"]  # type: ignore[assignment]
    selects: dict[str, list[str]] = form["selects"]  # type: ignore[assignment]
    first = {**inputs, **{name: options[0] for name, options in selects.items() if options}}
    found = [first, {name: "" for name in first}]
    for name, options in selects.items():
        found += [{**first, name: option} for option in options]
    return found


@pytest.mark.parametrize(("role", "path"), PAGES)
async def test_each_filter_form_answers_every_combination_a_browser_can_send(client, client_as, role, path):
    http = client if role is None else (await client_as(role))[0]
    page = await http.get(f"{path}?lang=en")
    assert page.status_code == 200
    forms = get_forms(page.text)
    assert forms, f"{path} has a filter or sort form"
    tried = 0
    for form in forms:
        for values in submissions(form):
            answer = await http.get(f"{form['action'] or path}?{urlencode(values)}")
            assert answer.status_code == 200, (path, values, answer.text[:300])
            assert not error_summary_links(answer.text), (path, values)
            tried += 1
    assert tried >= 2


def test_the_form_reader_sees_empty_choices_negative_control():
    """The check above would pass vacuously if no select were read: an "All" option yields an empty value."""
    form = get_forms(
        '<form method="get" action="/x"><select name="pcpg"><option value="">All</option>'
        '<option value="3">Cardiff</option></select><input name="q" value=""></form>'
    )[0]
    assert {"pcpg": "", "q": ""} in submissions(form)
    assert {"pcpg": "3", "q": ""} in submissions(form)
