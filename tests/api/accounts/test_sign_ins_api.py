"""Sessions and API tokens: listed and revoked by their owner and by a national administrator, ended on
deactivation and on a new or reset password, expired when idle; no-store and the security headers on every answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from accounts.services.sign_in import token_digest
from accounts.tables import ApiToken, WebSession
from audit.tables import AuditEvent
from tests import factories
from tests.conftest import api_token, make_actor

SECURITY_HEADERS = ("content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy")


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def _after(event: dict) -> dict:
    return json.loads(event["after"]) if isinstance(event["after"], str) else event["after"]


async def _events(action: str) -> list[dict]:
    return await AuditEvent.select().where(AuditEvent.action == action)


async def test_a_user_lists_their_own_sessions_and_tokens_with_this_one_marked_and_no_secrets(client_as, client):
    http, actor = await client_as("provider")
    second = await api_token(client, actor.username)
    response = await http.get("/api/v1/me/sign-ins")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    items = response.json()
    assert sorted(item["kind"] for item in items) == ["session", "token", "token"]
    assert [item["kind"] for item in items if item["current"]] == ["token"], "the token this request came with"
    assert all(second not in json.dumps(item) for item in items)
    assert set(items[0]) == {
        "kind",
        "id",
        "kind_label",
        "created_at",
        "last_used_at",
        "expires_at",
        "ends_at",
        "current",
    }
    ends_at = datetime.fromisoformat(items[0]["ends_at"])
    assert ends_at <= datetime.now(UTC) + timedelta(minutes=30), "unused, a sign-in ends within 30 minutes"


async def test_a_user_revokes_one_of_their_tokens_and_it_stops_working_at_once(client_as, client):
    http, actor = await client_as("provider")
    other = await api_token(client, actor.username)
    assert (await client.get("/api/v1/me", headers=_bearer(other))).status_code == 200
    token_id = (await ApiToken.select(ApiToken.id).where(ApiToken.token_hash == token_digest(other)).first())["id"]
    response = await http.delete(f"/api/v1/me/sign-ins/token/{token_id}")
    assert response.status_code == 204, response.text
    assert (await client.get("/api/v1/me", headers=_bearer(other))).status_code == 401
    assert (await http.get("/api/v1/me")).status_code == 200, "the other token is untouched"
    [event] = await _events("api_token.revoked")
    assert (event["entity_id"], event["actor_username"]) == (str(actor.user_id), actor.username)
    assert _after(event) == {"kind": "token", "by_owner": True}


async def test_a_user_may_revoke_the_token_they_are_using(client_as):
    http, _ = await client_as("evaluator")
    mine = next(item for item in (await http.get("/api/v1/me/sign-ins")).json() if item["current"])
    assert (await http.delete(f"/api/v1/me/sign-ins/token/{mine['id']}")).status_code == 204
    assert (await http.get("/api/v1/me")).status_code == 401


async def test_another_users_token_is_missing_not_forbidden_and_keeps_working(client_as, client):
    http, _ = await client_as("provider")
    someone = await make_actor("commissioner")
    theirs = await api_token(client, someone.username)
    token_id = (await ApiToken.select(ApiToken.id).where(ApiToken.token_hash == token_digest(theirs)).first())["id"]
    before = await AuditEvent.count()
    response = await http.delete(f"/api/v1/me/sign-ins/token/{token_id}")
    assert response.status_code == 404
    absent = await http.delete("/api/v1/me/sign-ins/token/999999")
    assert (absent.status_code, absent.json()["detail"]) == (404, response.json()["detail"])
    assert (await client.get("/api/v1/me", headers=_bearer(theirs))).status_code == 200
    assert await AuditEvent.count() == before


async def test_an_unknown_kind_of_sign_in_is_refused_naming_it(client_as):
    http, _ = await client_as("provider")
    response = await http.delete("/api/v1/me/sign-ins/cookie/1")
    assert response.status_code == 422


async def test_only_a_national_administrator_reads_or_ends_someone_elses_sign_ins(client_as):
    http, _ = await client_as("commissioner")
    someone = await make_actor("provider")
    assert (await http.get(f"/api/v1/admin/users/{someone.user_id}/sign-ins")).status_code == 403
    assert (await http.delete(f"/api/v1/admin/users/{someone.user_id}/sign-ins")).status_code == 403


async def test_a_national_administrator_lists_and_revokes_a_users_token(client_as, client):
    admin, admin_actor = await client_as("national_admin")
    provider = await make_actor("provider")
    token = await api_token(client, provider.username)
    listed = (await admin.get(f"/api/v1/admin/users/{provider.user_id}/sign-ins")).json()
    assert [(item["kind"], item["current"]) for item in listed] == [("token", False)]
    response = await admin.delete(f"/api/v1/admin/users/{provider.user_id}/sign-ins/token/{listed[0]['id']}")
    assert response.status_code == 204
    assert (await client.get("/api/v1/me", headers=_bearer(token))).status_code == 401
    assert (await admin.get(f"/api/v1/admin/users/{provider.user_id}/sign-ins")).json() == []
    [event] = await _events("api_token.revoked")
    assert (event["actor_username"], _after(event)["by_owner"]) == (admin_actor.username, False)


async def test_an_unknown_users_sign_ins_are_not_found(client_as):
    admin, _ = await client_as("national_admin")
    assert (await admin.get("/api/v1/admin/users/999999/sign-ins")).status_code == 404
    assert (await admin.delete("/api/v1/admin/users/999999/sign-ins")).status_code == 404


async def test_signing_out_everywhere_ends_every_session_and_token_of_the_user_only(client_as, client):
    http, actor = await client_as("provider")
    other_token = await api_token(client, actor.username)
    bystander, _ = await client_as("commissioner")
    response = await http.delete("/api/v1/me/sign-ins")
    assert response.status_code == 200, response.text
    assert response.json() == {"sessions": 1, "tokens": 2}
    assert (await http.get("/api/v1/me")).status_code == 401
    assert (await client.get("/api/v1/me", headers=_bearer(other_token))).status_code == 401
    assert await WebSession.count().where(WebSession.user == actor.user_id) == 0
    assert await ApiToken.count().where(ApiToken.user == actor.user_id) == 0
    assert (await bystander.get("/api/v1/me")).status_code == 200
    [event] = await _events("user.signed_out_everywhere")
    assert _after(event) == {"sessions": 1, "tokens": 2, "by_owner": True}


async def test_a_national_administrator_signs_a_user_out_everywhere(client_as):
    admin, _ = await client_as("national_admin")
    user, actor = await client_as("evaluator")
    response = await admin.delete(f"/api/v1/admin/users/{actor.user_id}/sign-ins")
    assert (response.status_code, response.json()) == (200, {"sessions": 1, "tokens": 1})
    assert (await user.get("/api/v1/me")).status_code == 401
    assert (await admin.get("/api/v1/me")).status_code == 200


async def test_deactivation_revokes_the_users_tokens(client_as):
    admin, _ = await client_as("national_admin")
    user, actor = await client_as("evaluator")
    assert (await admin.post(f"/api/v1/admin/users/{actor.user_id}/deactivate")).status_code == 200
    assert (await user.get("/api/v1/me")).status_code == 401
    assert await ApiToken.count().where(ApiToken.user == actor.user_id) == 0


async def test_a_password_reset_by_a_national_administrator_revokes_the_users_tokens_at_once(client_as):
    admin, _ = await client_as("national_admin")
    user, actor = await client_as("evaluator")
    response = await admin.post(f"/api/v1/admin/users/{actor.user_id}/password-link")
    assert response.status_code == 201
    assert (await user.get("/api/v1/me")).status_code == 401
    assert await WebSession.count().where(WebSession.user == actor.user_id) == 0
    [event] = await _events("user.password_link_issued")
    assert _after(event)["sign_ins_ended"] == 2


async def _set_password(client: httpx.AsyncClient, link_url: str, password: str) -> None:
    body = {"token": link_url.rsplit("/", 1)[1], "password": password, "confirmation": password}
    assert (await client.post("/api/v1/auth/password", json=body)).status_code == 204


async def test_setting_a_new_password_revokes_the_users_tokens(client_as, client):
    admin, _ = await client_as("national_admin")
    added = await admin.post(
        "/api/v1/admin/users", json={"full_name": "Nia Thomas", "username": "nia", "role": "evaluator"}
    )
    user_id = added.json()["user"]["id"]
    await _set_password(client, added.json()["password_link"]["url"], "a-brand-new-password")
    link = (await admin.post(f"/api/v1/admin/users/{user_id}/password-link")).json()["url"]
    bearer = _bearer(await api_token(client, "nia", "a-brand-new-password"))  # after the reset: the old one still works
    assert (await client.get("/api/v1/me", headers=bearer)).status_code == 200
    await _set_password(client, link, "another-new-password")
    assert (await client.get("/api/v1/me", headers=bearer)).status_code == 401


async def _token_used(user_id: int, *, minutes_ago: float, created_hours_ago: float = 2) -> str:
    token = f"idle-{user_id}-{minutes_ago}"
    now = datetime.now(UTC)
    await factories.save(
        factories.ApiTokenFactory(
            token_hash=token_digest(token),
            user=user_id,
            created_at=now - timedelta(hours=created_hours_ago),
            expires_at=now - timedelta(hours=created_hours_ago) + timedelta(hours=8),
            last_used_at=now - timedelta(minutes=minutes_ago),
        )
    )
    return token


async def test_a_token_unused_for_thirty_minutes_no_longer_works(client):
    actor = await make_actor("evaluator")
    token = await _token_used(actor.user_id, minutes_ago=31)
    assert (await client.get("/api/v1/me", headers=_bearer(token))).status_code == 401


async def test_a_token_never_used_since_it_was_made_long_ago_no_longer_works(client):
    actor = await make_actor("evaluator")
    now = datetime.now(UTC)
    await factories.save(
        factories.ApiTokenFactory(
            token_hash=token_digest("made-an-hour-ago"),
            user=actor.user_id,
            created_at=now - timedelta(hours=1),
            expires_at=now + timedelta(hours=7),
        )
    )
    assert (await client.get("/api/v1/me", headers=_bearer("made-an-hour-ago"))).status_code == 401


async def test_using_a_token_keeps_it_alive_and_its_use_is_written_down(client):
    actor = await make_actor("evaluator")
    token = await _token_used(actor.user_id, minutes_ago=29)
    assert (await client.get("/api/v1/me", headers=_bearer(token))).status_code == 200
    row = await ApiToken.select(ApiToken.last_used_at).where(ApiToken.token_hash == token_digest(token)).first()
    assert datetime.now(UTC) - row["last_used_at"] < timedelta(minutes=1)
    assert await AuditEvent.count() == 0, "noting a use is bookkeeping, not an audited change"


async def test_a_busy_token_still_ends_after_eight_hours(client):
    actor = await make_actor("evaluator")
    token = await _token_used(actor.user_id, minutes_ago=1, created_hours_ago=8.01)
    assert (await client.get("/api/v1/me", headers=_bearer(token))).status_code == 401


async def test_an_idle_page_session_is_signed_out_too(client):
    actor = await make_actor("evaluator")
    now = datetime.now(UTC)
    await factories.save(
        factories.WebSessionFactory(
            key_hash=token_digest("idle-session"),
            user=actor.user_id,
            created_at=now - timedelta(hours=2),
            expires_at=now + timedelta(hours=6),
            last_used_at=now - timedelta(minutes=31),
        )
    )
    client.cookies.set("cdv_session", "idle-session")
    assert (await client.get("/dashboard")).status_code == 302


@pytest.mark.parametrize(
    "path", ["/api/v1/me", "/api/v1/me/sign-ins", "/api/v1/health-boards", "/api/v1/no-such-thing"]
)
async def test_every_api_answer_to_a_signed_in_caller_is_no_store(client_as, path):
    http, _ = await client_as("commissioner")
    response = await http.get(path)
    assert response.headers["cache-control"] == "no-store", (response.status_code, path)


async def test_an_anonymous_api_answer_is_no_store_unless_it_is_public_reference_data(client):
    assert (await client.get("/api/v1/me")).headers["cache-control"] == "no-store"
    assert (await client.get("/api/v1/no-such-thing")).headers["cache-control"] == "no-store"
    public = await client.get("/api/v1/health-boards")
    assert public.headers["cache-control"] == "no-cache" and public.headers["etag"]
    assert "no-store" not in (await client.get("/static/app.css")).headers.get("cache-control", ""), "a static file"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/no-such-thing"),
        ("GET", "/no-such-page"),
        ("DELETE", "/api/v1/me"),
        ("GET", "/api/v1/me"),
        ("GET", "/"),
        ("GET", "/static/no-such-file.css"),
        ("POST", "/api/v1/auth/token"),
    ],
)
async def test_every_answer_carries_the_security_headers_404s_and_405s_included(client, method, path):
    response = await client.request(method, path)
    missing = [name for name in SECURITY_HEADERS if name not in response.headers]
    assert not missing, (response.status_code, missing)
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_a_500_that_escapes_every_handler_still_carries_the_security_headers(app):
    """The headers are added around the whole app, outside Litestar's routing and exception handling."""
    from api.security import SecurityHeaders

    async def broken(scope, receive, send):
        await send({"type": "http.response.start", "status": 500, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"boom"})

    wrapped = SecurityHeaders(broken, secure_cookies=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=wrapped), base_url="http://t") as http:
        response = await http.get("/anything", headers={"authorization": "Bearer x"})
    assert response.status_code == 500
    assert all(name in response.headers for name in SECURITY_HEADERS)
    assert response.headers["cache-control"] == "no-store"
    outermost = app.asgi_handler  # the request ids (api/request_ids.py) around the security headers
    assert isinstance(getattr(outermost, "app", None), SecurityHeaders), "the app is wrapped so"
