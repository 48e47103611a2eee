"""The NHS.UK stylesheet: compiled from web/nhsuk-frontend.scss without the Frutiger font, and pages without it."""

from __future__ import annotations

import re

import api.app
from api.app import create_app
from api.settings import load_settings
from web import templating

BUILT_CSS = "/static/build/nhsuk-frontend.min.css"


async def test_pages_link_the_built_nhsuk_stylesheet_which_asks_for_no_font_from_another_site(client):
    """The package's own CSS loads Frutiger from https://assets.nhs.uk, which the CSP blocks (issue 10, bug 8)."""
    page = await client.get("/accessibility")
    assert f'<link rel="stylesheet" href="{BUILT_CSS}">' in page.text
    assert "nhsuk-frontend.min.css" not in page.text.replace(BUILT_CSS, "")
    css = await client.get(BUILT_CSS)
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert ".nhsuk-header" in css.text, "the NHS.UK components' styles are in it"
    assert "@font-face" not in css.text
    assert not re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)", css.text), "no url() on another site"


async def test_a_page_opens_unstyled_when_the_stylesheet_was_not_built(client, monkeypatch, tmp_path):
    monkeypatch.setattr(templating, "NHSUK_CSS", tmp_path / "nhsuk-frontend.min.css")
    page = await client.get("/accessibility")
    assert page.status_code == 200
    assert "/static/build/" not in page.text
    assert '<link rel="stylesheet" href="/static/app.css">' in page.text


def test_the_app_starts_without_the_build_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(api.app, "BUILT", tmp_path / "build" / "static")
    paths = {route.path for route in create_app(load_settings()).routes}
    assert "/static/build/{file_path:path}" not in paths
    assert "/static/{file_path:path}" in paths
