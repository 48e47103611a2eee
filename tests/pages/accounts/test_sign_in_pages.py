"""Signing in and out through the pages, in English and Welsh; the language choice is remembered."""

from __future__ import annotations

import pytest

from accounts.actor import Role
from accounts.rules import USERNAME_THROTTLE
from accounts.services.sign_in import token_digest
from accounts.tables import User, WebSession
from tests import factories
from tests.conftest import PASSWORD, csrf_from, sign_in_pages
from tests.pages.markup import (
    counterpart_links,
    error_summary_links,
    fields_in_error,
    html_lang,
    success_banner,
    text_of,
    welsh,
)
from web.cookies import LANGUAGE_COOKIE, SESSION_COOKIE


async def _post_sign_in(client, username: str, password: str = PASSWORD, **extra: str):
    token = csrf_from((await client.get("/sign-in")).text)
    return await client.post(
        "/sign-in", data={"username": username, "password": password, "_csrf_token": token, **extra}
    )


async def test_the_sign_in_page_is_english_and_links_to_its_welsh_counterpart(client):
    response = await client.get("/sign-in")
    assert response.status_code == 200
    assert html_lang(response.text) == "en"
    assert response.headers["content-language"] == "en"
    assert ("cy", "/sign-in?lang=cy") in counterpart_links(response.text)
    assert '<link rel="alternate" hreflang="cy" href="/sign-in?lang=cy">' in response.text
    assert "<title>Sign in – " in response.text


async def test_the_welsh_sign_in_page_says_so_and_links_back_to_english(client):
    response = await client.get("/sign-in?lang=cy")
    assert response.status_code == 200
    assert html_lang(response.text) == "cy"
    assert response.headers["content-language"] == "cy"
    assert ("en", "/sign-in?lang=en") in counterpart_links(response.text)
    assert f"<title>{welsh('Sign in')} – " in response.text


async def test_the_counterpart_link_keeps_the_rest_of_the_address(client):
    page = (await client.get("/sign-in?next=/audit")).text
    assert ("cy", "/sign-in?next=/audit&lang=cy") in [
        (lang, href.replace("%2F", "/")) for lang, href in counterpart_links(page)
    ]


async def test_an_anonymous_choice_of_welsh_is_kept_in_a_cookie_for_the_next_page(client):
    response = await client.get("/sign-in?lang=cy")
    assert response.cookies.get(LANGUAGE_COOKIE) == "cy"
    assert html_lang((await client.get("/reference/health-boards")).text) == "cy"
    assert html_lang((await client.get("/reference/health-boards?lang=en")).text) == "en"
    assert html_lang((await client.get("/reference/health-boards")).text) == "en"


async def test_a_post_without_the_form_token_is_refused_and_signs_nobody_in(client):
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    await client.get("/sign-in")
    response = await client.post("/sign-in", data={"username": "evelyn", "password": PASSWORD})
    assert response.status_code == 403
    assert SESSION_COOKIE not in response.cookies
    assert await WebSession.count() == 0


async def test_a_post_with_another_browsers_form_token_is_refused(client, app):
    import httpx

    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as other:
        stolen = csrf_from((await other.get("/sign-in")).text)
    await client.get("/sign-in")
    response = await client.post("/sign-in", data={"username": "evelyn", "password": PASSWORD, "_csrf_token": stolen})
    assert response.status_code == 403
    assert await WebSession.count() == 0


async def test_a_wrong_password_shows_the_form_again_with_an_error_summary_linking_to_the_username(client):
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    response = await _post_sign_in(client, "evelyn", "not-the-password")
    assert response.status_code == 400
    assert error_summary_links(response.text) == ["#username"]
    assert "username" in fields_in_error(response.text)
    assert "Enter a correct username and password" in response.text
    assert "<title>Error: Sign in" in response.text
    assert 'value="evelyn"' in response.text, "the username is kept"
    assert "not-the-password" not in response.text, "the password is never sent back"
    assert await WebSession.count() == 0


async def test_an_empty_form_names_both_fields(client):
    response = await _post_sign_in(client, "", "")
    assert response.status_code == 400
    assert error_summary_links(response.text) == ["#username", "#password"]
    assert fields_in_error(response.text) == {"username", "password"}


async def test_the_welsh_form_shows_its_errors_in_the_same_places(client):
    await client.get("/sign-in?lang=cy")
    response = await _post_sign_in(client, "", "")
    assert response.status_code == 400
    assert html_lang(response.text) == "cy"
    assert error_summary_links(response.text) == ["#username", "#password"]
    assert fields_in_error(response.text) == {"username", "password"}


async def test_signing_in_goes_to_the_dashboard_with_a_new_session(client):
    user = await factories.create_user(role=Role.EVALUATOR, username="evelyn", full_name="Evelyn Rees")
    response = await sign_in_pages(client, "evelyn")
    assert (response.status_code, response.headers["location"]) == (302, "/dashboard")
    key = response.cookies[SESSION_COOKIE]
    session = await WebSession.select(WebSession.user).where(WebSession.key_hash == token_digest(key)).first()
    assert session == {"user": user.id}
    dashboard = await client.get("/dashboard")
    assert dashboard.status_code == 200
    assert "Signed in as Evelyn Rees, Evaluator." in text_of(dashboard.text)
    assert "evelyn" not in text_of(dashboard.text), "the person is shown by name, not by username"


async def test_a_session_id_planted_before_sign_in_is_replaced_and_worthless(client):
    """No session fixation: whatever cookie the browser brought, signing in issues a new, unguessable one."""
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    planted = "attacker-chosen-session-id"
    client.cookies.set(SESSION_COOKIE, planted)
    response = await sign_in_pages(client, "evelyn")
    issued = response.cookies[SESSION_COOKIE]
    assert issued != planted
    assert len(issued) >= 32
    assert not await WebSession.exists().where(WebSession.key_hash == token_digest(planted))
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, planted)
    assert (await client.get("/dashboard")).status_code == 302, "the planted id signs nobody in"


async def test_signing_in_again_issues_a_different_session_id(client):
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    first = (await sign_in_pages(client, "evelyn")).cookies[SESSION_COOKIE]
    second = (await sign_in_pages(client, "evelyn")).cookies[SESSION_COOKIE]
    assert first != second


@pytest.mark.parametrize("target", ["/audit", "/reference/clusters?sort=-population"])
async def test_signing_in_returns_to_the_page_asked_for(client, target):
    await factories.create_user(role=Role.NATIONAL_ADMIN, username="admin")
    response = await _post_sign_in(client, "admin", next=target)
    assert response.headers["location"] == target


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
async def test_signing_in_never_sends_the_user_to_another_site(client, target):
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    response = await _post_sign_in(client, "evelyn", next=target)
    assert response.headers["location"] == "/dashboard"


async def test_a_page_that_needs_sign_in_sends_the_user_there_and_back(client):
    response = await client.get("/dashboard")
    assert (response.status_code, response.headers["location"]) == (302, "/sign-in?next=/dashboard")
    form = (await client.get(response.headers["location"])).text
    assert 'name="next" value="/dashboard"' in form


async def test_signing_out_ends_the_session_and_says_so(client):
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    await sign_in_pages(client, "evelyn")
    assert await WebSession.count() == 1
    token = csrf_from((await client.get("/dashboard")).text)
    response = await client.post("/sign-out", data={"_csrf_token": token})
    assert (response.status_code, response.headers["location"]) == (302, "/")
    assert await WebSession.count() == 0
    start = await client.get("/")
    assert success_banner(start.text) == "Success You have signed out"
    assert (await client.get("/dashboard")).status_code == 302


async def test_signing_out_of_one_browser_leaves_the_other_signed_in(client, app):
    import httpx

    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as laptop:
        await sign_in_pages(laptop, "evelyn")
        await sign_in_pages(client, "evelyn")
        token = csrf_from((await client.get("/dashboard")).text)
        await client.post("/sign-out", data={"_csrf_token": token})
        assert (await laptop.get("/dashboard")).status_code == 200
    assert await WebSession.count() == 1


async def test_after_five_failures_the_form_says_to_wait_even_for_the_right_password(client):
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    for attempt in range(1, USERNAME_THROTTLE.free_failures + 1):
        response = await _post_sign_in(client, "evelyn", f"wrong-{attempt}")
        assert response.status_code == 400
        assert "Enter a correct username and password" in response.text, attempt
    refused = await _post_sign_in(client, "evelyn", PASSWORD)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "60"
    assert "Too many failed attempts to sign in. Try again in 1 minute" in refused.text
    assert error_summary_links(refused.text) == ["#username"]
    assert 'value="evelyn"' in refused.text
    assert await WebSession.count() == 0


async def test_the_welsh_form_says_to_wait_in_welsh(client):
    await client.get("/sign-in?lang=cy")
    for attempt in range(USERNAME_THROTTLE.free_failures):
        await _post_sign_in(client, "nobody", f"wrong-{attempt}")
    refused = await _post_sign_in(client, "nobody", "wrong")
    assert refused.status_code == 429
    assert html_lang(refused.text) == "cy"
    assert welsh("Too many failed attempts to sign in. Try again in 1 minute") in text_of(refused.text)


async def test_a_success_before_the_wait_starts_the_count_again(client):
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    for _ in range(USERNAME_THROTTLE.free_failures - 1):
        await _post_sign_in(client, "evelyn", "wrong-password")
    assert (await _post_sign_in(client, "evelyn")).status_code == 302
    for _ in range(USERNAME_THROTTLE.free_failures - 1):
        await _post_sign_in(client, "evelyn", "wrong-password")
    assert (await _post_sign_in(client, "evelyn")).status_code == 302


async def test_pages_answer_promptly_while_wrong_sign_ins_are_checked(client, monkeypatch):
    """argon2 runs in a thread: a slow check (here 0.3 s each, as a real one under load) never stalls the loop."""
    import asyncio
    import threading
    import time

    from accounts import rules

    real = rules._hasher
    threads: set[str] = set()

    class SlowHasher:
        def verify(self, password_hash: str, password: str) -> bool:
            threads.add(threading.current_thread().name)
            time.sleep(0.3)  # blocks whichever thread runs it, as argon2's work does
            return real.verify(password_hash, password)

    monkeypatch.setattr(rules, "_hasher", SlowHasher())
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    guesses = [
        asyncio.create_task(client.post("/api/v1/auth/token", json={"username": "evelyn", "password": f"wrong-{n}"}))
        for n in range(4)
    ]
    lags = []
    while not all(guess.done() for guess in guesses):
        started = time.perf_counter()
        await asyncio.sleep(0.01)
        lags.append(time.perf_counter() - started)
    pages = await client.get("/sign-in")
    assert [(await guess).status_code for guess in guesses] == [401] * 4
    assert pages.status_code == 200
    assert threads and all(name.startswith("password-hash") for name in threads), threads
    assert len(lags) > 5 and max(lags) < 0.25, f"the event loop stalled for {max(lags):.2f} s"


async def test_a_signed_in_users_choice_of_welsh_is_stored_and_used_on_later_pages(client):
    user = await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    await sign_in_pages(client, "evelyn")
    token = csrf_from((await client.get("/dashboard")).text)
    chosen = await client.post("/account/language", data={"language": "cy", "next": "/dashboard", "_csrf_token": token})
    assert (chosen.status_code, chosen.headers["location"]) == (302, "/dashboard")
    assert html_lang((await client.get("/dashboard")).text) == "cy"
    assert (await User.select(User.language).where(User.id == user.id).first()) == {"language": "cy"}
    client.cookies.delete(LANGUAGE_COOKIE)
    later = await client.get("/dashboard")
    assert html_lang(later.text) == "cy", "the stored preference, not the cookie, makes it Welsh"
    assert later.headers["content-language"] == "cy"


async def test_a_stored_preference_for_welsh_follows_the_user_to_a_new_browser(client, app):
    import httpx

    await factories.create_user(role=Role.EVALUATOR, username="evelyn", language="cy")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as browser:
        await sign_in_pages(browser, "evelyn")
        assert html_lang((await browser.get("/dashboard")).text) == "cy"


async def test_choosing_english_again_is_stored_too(client):
    user = await factories.create_user(role=Role.EVALUATOR, username="evelyn", language="cy")
    await sign_in_pages(client, "evelyn")
    token = csrf_from((await client.get("/dashboard")).text)
    await client.post("/account/language", data={"language": "en", "next": "/dashboard", "_csrf_token": token})
    assert html_lang((await client.get("/dashboard")).text) == "en"
    assert (await User.select(User.language).where(User.id == user.id).first()) == {"language": "en"}


async def test_an_unknown_language_is_ignored(client):
    response = await client.get("/sign-in?lang=fr")
    assert html_lang(response.text) == "en"
    assert LANGUAGE_COOKIE not in response.cookies
