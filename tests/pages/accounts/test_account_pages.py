"""A signed-in user's own account in the browser, in English and Welsh: the language (a GET changes nothing, a post
keeps it), "Your sign-ins" (ending one, or all: sign out everywhere), a national administrator doing the same on the
user's page; and no signed-in page may be kept by a cache."""

from __future__ import annotations

import re

import httpx

from accounts.tables import ApiToken, User, WebSession
from audit.tables import AuditEvent
from tests.conftest import csrf_from, make_actor
from tests.pages.markup import html_lang, links, success_banner, table_rows, text_of, welsh
from web.cookies import LANGUAGE_COOKIE, SESSION_COOKIE

SECURITY_HEADERS = ("content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy")


async def _csrf(http: httpx.AsyncClient, path: str = "/account/sign-ins") -> str:
    page = await http.get(path)
    assert page.status_code == 200, page.text[:300]
    return csrf_from(page.text)


async def test_a_get_with_lang_changes_the_visit_but_nothing_stored(client_as):
    http, actor = await client_as("evaluator")
    before = await AuditEvent.count()
    chosen = await http.get("/dashboard?lang=cy")
    assert html_lang(chosen.text) == "cy"
    assert f"{LANGUAGE_COOKIE}=cy" in chosen.headers["set-cookie"]
    assert (await User.select(User.language).where(User.id == actor.user_id).first()) == {"language": "en"}
    assert await AuditEvent.count() == before, "a GET wrote an audit event"
    later = await http.get("/dashboard")
    assert html_lang(later.text) == "cy", "the visit stays in Welsh"


async def test_the_header_offers_a_signed_in_user_a_button_that_posts_the_language_and_anyone_a_link(client_as, client):
    http, _ = await client_as("evaluator")
    page = (await http.get("/dashboard?lang=en")).text
    form = re.search(r'<form[^>]*action="/account/language".*?</form>', page, re.S)
    assert form, "no language form in the header"
    assert 'name="language" value="cy"' in form.group(0)
    assert 'name="next" value="/dashboard"' in form.group(0)
    assert re.search(r'<button[^>]*lang="cy"[^>]*>Cymraeg</button>', form.group(0))
    assert 'href="/dashboard?lang=cy"' in page, "the footer's link still changes it for the visit, without a post"
    anonymous = (await client.get("/")).text
    assert "/account/language" not in anonymous
    assert 'href="/?lang=cy" hreflang="cy"' in anonymous


async def test_the_posted_language_is_kept_for_the_user_and_goes_back_to_the_page(client_as):
    http, actor = await client_as("evaluator")
    token = await _csrf(http, "/dashboard")
    response = await http.post(
        "/account/language", data={"language": "cy", "next": "/account/sign-ins", "_csrf_token": token}
    )
    assert (response.status_code, response.headers["location"]) == (302, "/account/sign-ins")
    assert (await User.select(User.language).where(User.id == actor.user_id).first()) == {"language": "cy"}
    assert html_lang((await http.get("/account/sign-ins")).text) == "cy"
    assert [event["action"] for event in await AuditEvent.select(AuditEvent.action)] == ["user.language_set"]


async def test_a_language_the_service_does_not_offer_is_refused_and_nothing_is_kept(client_as):
    http, actor = await client_as("evaluator")
    token = await _csrf(http, "/dashboard")
    response = await http.post("/account/language", data={"language": "fr", "_csrf_token": token})
    assert response.status_code == 400
    assert (await User.select(User.language).where(User.id == actor.user_id).first()) == {"language": "en"}


async def test_the_language_form_never_sends_anyone_to_another_site(client_as):
    http, _ = await client_as("evaluator")
    token = await _csrf(http, "/dashboard")
    response = await http.post(
        "/account/language", data={"language": "en", "next": "//evil.example/", "_csrf_token": token}
    )
    assert response.headers["location"] == "/dashboard"


async def test_your_sign_ins_lists_this_browser_and_the_api_token_in_english_and_welsh(client_as):
    http, _ = await client_as("provider")
    english = await http.get("/account/sign-ins?lang=en")
    assert english.status_code == 200
    assert "<h1>Your sign-ins</h1>" in english.text
    kinds = sorted(row[0] for row in table_rows(english.text))
    assert kinds == ["API token", "Browser This one"]
    assert english.headers["cache-control"] == "no-store"
    cymraeg = await http.get("/account/sign-ins?lang=cy")
    assert html_lang(cymraeg.text) == "cy"
    assert f"<h1>{welsh('Your sign-ins')}</h1>" in cymraeg.text
    assert welsh("Your sign-ins") != "Your sign-ins"
    assert sorted(row[0] for row in table_rows(cymraeg.text)) == sorted(
        [welsh("API token"), f"{welsh('Browser')} {welsh('This one')}"]
    )
    assert welsh("Sign out everywhere") in text_of(cymraeg.text)


async def test_the_users_name_in_the_header_leads_to_their_sign_ins(client_as):
    http, actor = await client_as("finance_director")
    page = (await http.get("/dashboard")).text
    link = re.search(r'<a class="nhsuk-header__account-link" href="/account/sign-ins">(.*?)</a>', page, re.S)
    assert link, "no link to your sign-ins in the header"
    assert (
        text_of(link.group(1)).replace(" :", ":") == f"{actor.full_name} (Health board finance director): your sign-ins"
    )
    assert '<span class="nhsuk-u-visually-hidden">: your sign-ins</span>' in link.group(1)


async def test_revoking_the_api_token_from_the_page_stops_it_and_says_so(client_as):
    http, actor = await client_as("provider")
    token_id = (await ApiToken.select(ApiToken.id).where(ApiToken.user == actor.user_id).first())["id"]
    response = await http.post(f"/account/sign-ins/token/{token_id}/revoke", data={"_csrf_token": await _csrf(http)})
    assert (response.status_code, response.headers["location"]) == (302, "/account/sign-ins")
    assert (await http.get("/api/v1/me")).status_code == 401
    page = await http.get("/account/sign-ins")
    assert success_banner(page.text) == "Success That sign-in has ended. It no longer works"
    assert [row[0] for row in table_rows(page.text)] == ["Browser This one"]


async def test_ending_this_browsers_own_session_signs_out(client_as):
    http, actor = await client_as("provider")
    session_id = (await WebSession.select(WebSession.id).where(WebSession.user == actor.user_id).first())["id"]
    response = await http.post(
        f"/account/sign-ins/session/{session_id}/revoke", data={"_csrf_token": await _csrf(http)}
    )
    assert (response.status_code, response.headers["location"]) == (302, "/")
    assert (await http.get("/dashboard")).status_code == 302


async def test_another_users_session_cannot_be_ended_from_your_page(client_as):
    http, _ = await client_as("provider")
    _, someone = await client_as("commissioner")
    theirs = (await WebSession.select(WebSession.id).where(WebSession.user == someone.user_id).first())["id"]
    response = await http.post(f"/account/sign-ins/session/{theirs}/revoke", data={"_csrf_token": await _csrf(http)})
    assert response.status_code == 404
    assert await WebSession.count().where(WebSession.user == someone.user_id) == 1


async def test_sign_out_everywhere_ends_every_browser_and_token_and_keeps_the_language(client_as, app):
    http, actor = await client_as("provider")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as laptop:
        from tests.api.conftest import sign_in_directly

        await sign_in_directly(laptop, actor)
        await http.get("/account/sign-ins?lang=cy")
        response = await http.post("/sign-out/everywhere", data={"_csrf_token": await _csrf(http)})
        assert (response.status_code, response.headers["location"]) == (302, "/")
        assert f'{SESSION_COOKIE}=""' in response.headers["set-cookie"] or "Max-Age=0" in response.headers["set-cookie"]
        assert (await laptop.get("/dashboard")).status_code == 302
        assert (await laptop.get("/api/v1/me")).status_code == 401
    assert await WebSession.count().where(WebSession.user == actor.user_id) == 0
    assert await ApiToken.count().where(ApiToken.user == actor.user_id) == 0
    start = await http.get("/")
    assert html_lang(start.text) == "cy"
    assert success_banner(start.text) == " ".join(
        [
            welsh("Success"),
            welsh("You have signed out everywhere. Every browser and API token of yours has stopped working"),
        ]
    )
    assert (await http.get("/dashboard")).status_code == 302


async def test_a_national_administrator_sees_a_users_sign_ins_and_ends_them(client_as):
    admin, _ = await client_as("national_admin")
    user, actor = await client_as("evaluator")
    page = await admin.get(f"/admin/users/{actor.user_id}")
    assert page.headers["cache-control"] == "no-store"
    rows = table_rows(page.text)
    assert sorted(row[0] for row in rows) == ["API token", "Browser"], "none is the administrator's own"
    token = csrf_from(page.text)
    token_id = (await ApiToken.select(ApiToken.id).where(ApiToken.user == actor.user_id).first())["id"]
    ended = await admin.post(
        f"/admin/users/{actor.user_id}/sign-ins/token/{token_id}/revoke", data={"_csrf_token": token}
    )
    assert (ended.status_code, ended.headers["location"]) == (302, f"/admin/users/{actor.user_id}")
    assert (await user.get("/api/v1/me")).status_code == 401
    assert (await user.get("/dashboard")).status_code == 200
    everywhere = await admin.post(f"/admin/users/{actor.user_id}/sign-out-everywhere", data={"_csrf_token": token})
    assert everywhere.headers["location"] == f"/admin/users/{actor.user_id}"
    assert (await user.get("/dashboard")).status_code == 302
    after = await admin.get(f"/admin/users/{actor.user_id}")
    assert "is signed out everywhere" in success_banner(after.text)
    assert f"{actor.full_name} is not signed in anywhere." in text_of(after.text)
    events = [event["action"] for event in await AuditEvent.select(AuditEvent.action).order_by(AuditEvent.sequence)]
    assert events == ["api_token.revoked", "user.signed_out_everywhere"]


async def test_the_admin_page_of_a_user_is_in_welsh_with_their_sign_ins(client_as):
    admin, _ = await client_as("national_admin")
    user = await make_actor("provider")
    page = await admin.get(f"/admin/users/{user.user_id}?lang=cy")
    assert f"<h2>{welsh('Sign-ins')}</h2>" in page.text
    assert welsh("%(name)s is not signed in anywhere.", name=user.full_name) in text_of(page.text)


async def test_every_signed_in_page_and_error_page_is_no_store_with_the_security_headers(client_as, client):
    http, _ = await client_as("commissioner")
    for path in ("/dashboard", "/account/sign-ins", "/reference/health-boards", "/no-such-page", "/admin/users"):
        response = await http.get(path)
        assert response.headers["cache-control"] == "no-store", path
        assert all(name in response.headers for name in SECURITY_HEADERS), path
    missing = await client.get("/no-such-page")
    assert missing.status_code == 404
    assert all(name in missing.headers for name in SECURITY_HEADERS)
    assert "no-store" not in missing.headers.get("cache-control", ""), "a public page may be kept"


async def test_signing_in_starts_the_visit_in_the_users_own_language(client):
    from tests.conftest import sign_in_pages

    await make_actor("evaluator", username="eira", language="cy")
    await client.get("/?lang=en")
    signed_in = await sign_in_pages(client, "eira")
    assert LANGUAGE_COOKIE in signed_in.headers["set-cookie"]
    assert html_lang((await client.get("/dashboard")).text) == "cy"


# Issue 11, item 8: the header's Sign out offers both: this browser, or everywhere (every browser and API token).


def _forms(page: str) -> dict[str, tuple[str, str]]:
    """Each post form in the page's main content: {action: (its button's words, its CSRF token)}."""
    main = page[page.index('id="maincontent"') :]
    return {
        action: (text_of(button), csrf_from(body))
        for action, body in re.findall(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', main, re.S)
        for button in re.findall(r"<button[^>]*>(.*?)</button>", body, re.S)
    }


async def _sign_out_choice(http: httpx.AsyncClient, query: str = "") -> dict[str, tuple[str, str]]:
    header = (await http.get(f"/dashboard{query}")).text
    header = header[: header.index("</header>")]
    assert 'action="/sign-out' not in header, "the header asks first: it signs nobody out itself"
    assert ("/sign-out", welsh("Sign out") if query else "Sign out") in links(header)
    choice = await http.get("/sign-out")
    assert choice.status_code == 200
    return _forms(choice.text)


async def test_the_headers_sign_out_offers_this_browser_or_everywhere_as_two_posts_in_english_and_welsh(client_as):
    http, actor = await client_as("commissioner")
    before = await AuditEvent.count()
    forms = await _sign_out_choice(http)
    assert {action: words for action, (words, _) in forms.items()} == {
        "/sign-out": "Sign out of this browser",
        "/sign-out/everywhere": "Sign out everywhere (all browsers and API tokens)",
    }
    assert all(token for _, token in forms.values()), "each form carries its CSRF token"
    assert await WebSession.count().where(WebSession.user == actor.user_id) == 1, "showing the choice signs nobody out"
    assert await AuditEvent.count() == before
    welsh_forms = await _sign_out_choice(http, "?lang=cy")
    assert {action: words for action, (words, _) in welsh_forms.items()} == {
        "/sign-out": welsh("Sign out of this browser"),
        "/sign-out/everywhere": welsh("Sign out everywhere (all browsers and API tokens)"),
    }


async def test_signing_out_everywhere_from_the_choice_refuses_the_other_browser_and_every_api_token(client_as, app):
    http, actor = await client_as("provider")  # this browser, and an API token of the user's
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as laptop:
        from tests.api.conftest import sign_in_directly

        await sign_in_directly(laptop, actor)  # another browser, and another token
        _, token = (await _sign_out_choice(http))["/sign-out/everywhere"]
        response = await http.post("/sign-out/everywhere", data={"_csrf_token": token})
        assert (response.status_code, response.headers["location"]) == (302, "/")
        assert (await laptop.get("/dashboard")).status_code == 302, "the other browser is signed out"
        assert (await laptop.get("/api/v1/me")).status_code == 401, "the other token is refused"
        http.cookies.clear()
        assert (await http.get("/api/v1/me")).status_code == 401, "this user's own token is refused"
    events = await AuditEvent.select(AuditEvent.action).where(AuditEvent.action == "user.signed_out_everywhere")
    assert len(events) == 1


async def test_signing_out_of_this_browser_from_the_choice_leaves_the_other_browser_and_the_tokens(client_as, app):
    """The negative control of the test above: the same choice page, its other form."""
    http, actor = await client_as("provider")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as laptop:
        from tests.api.conftest import sign_in_directly

        await sign_in_directly(laptop, actor)
        _, token = (await _sign_out_choice(http))["/sign-out"]
        response = await http.post("/sign-out", data={"_csrf_token": token})
        assert (response.status_code, response.headers["location"]) == (302, "/")
        assert (await http.get("/dashboard", headers={"authorization": ""})).status_code == 302, "this one is out"
        assert (await laptop.get("/dashboard")).status_code == 200, "the other browser still works"
        assert (await laptop.get("/api/v1/me")).status_code == 200, "its token still works"
        http.cookies.clear()
        assert (await http.get("/api/v1/me")).status_code == 200, "this user's own token still works"
