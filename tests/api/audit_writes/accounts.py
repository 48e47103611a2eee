"""Writes of accounts: an API token, signing in and out; users managed by a national administrator (API and pages),
and a password set with a one-time link; ending sign-ins (one, or everywhere; one's own or, for an administrator,
anyone's) and the language kept for a user."""

from __future__ import annotations

from functools import partial

from accounts.services.passwords import issue_password_link
from accounts.tables import ApiToken, WebSession
from organisations.tables import Pcpg
from tests import factories
from tests.api.audit_writes import Arrange, Users, Write, form
from tests.conftest import PASSWORD, make_actor

USER = "{user_id:int}"
NEW_PASSWORD = "a-brand-new-password"


async def _token(users: Users) -> Write:
    http, actor = await users.new("evaluator")
    body = {"username": actor.username, "password": PASSWORD}
    return Write(partial(http.post, "/api/v1/auth/token", json=body), "api_token.issued", actor.username)


async def _sign_in_page(users: Users) -> Write:
    user = await factories.create_user(role=factories.Role.EVALUATOR)
    http, _ = await users.new("evaluator")
    http.cookies.clear()
    data = await form(http, username=user.username, password=PASSWORD)
    return Write(partial(http.post, "/sign-in", data=data), "user.signed_in", user.username)


async def _sign_out_page(users: Users) -> Write:
    http, actor = await users.new("evaluator")
    return Write(partial(http.post, "/sign-out", data=await form(http)), "user.signed_out", actor.username)


async def _new_user(users: Users, *, page: bool) -> Write:
    http, actor = await users.new("national_admin")
    cardiff = await factories.reference_id(Pcpg, "Cardiff")
    body = {"full_name": "Anna Price", "username": "anna", "role": "commissioner", "language": "en"}
    if page:
        data = await form(http, **body, pcpg_ids=[str(cardiff)])
        return Write(partial(http.post, "/admin/users/new", data=data), "user.created", actor.username)
    send = partial(http.post, "/api/v1/admin/users", json={**body, "pcpg_ids": [cardiff]})
    return Write(send, "user.created", actor.username)


async def _scope(users: Users, *, page: bool) -> Write:
    http, actor = await users.new("national_admin")
    commissioner = await make_actor("commissioner")
    swansea = await factories.reference_id(Pcpg, "Swansea Bay")
    if page:
        data = await form(http, pcpg_ids=[str(swansea)])
        send = partial(http.post, f"/admin/users/{commissioner.user_id}/scope", data=data)
    else:
        send = partial(http.put, f"/api/v1/admin/users/{commissioner.user_id}/scope", json={"pcpg_ids": [swansea]})
    return Write(send, "user.scope_changed", actor.username)


async def _deactivate(users: Users, *, page: bool) -> Write:
    http, actor = await users.new("national_admin")
    evaluator = await make_actor("evaluator")
    path = f"/admin/users/{evaluator.user_id}/deactivate"
    send = partial(http.post, path, data=await form(http)) if page else partial(http.post, f"/api/v1{path}")
    return Write(send, "user.deactivated", actor.username)


async def _password_link(users: Users, *, page: bool) -> Write:
    http, actor = await users.new("national_admin")
    evaluator = await make_actor("evaluator")
    path = f"/admin/users/{evaluator.user_id}/password-link"
    send = partial(http.post, path, data=await form(http)) if page else partial(http.post, f"/api/v1{path}")
    return Write(send, "user.password_link_issued", actor.username)


async def _set_password(users: Users, *, page: bool) -> Write:
    http, _ = await users.new("evaluator")
    admin = await make_actor("national_admin")
    user = await make_actor("evaluator")
    token, _ = await issue_password_link(actor=admin, user_id=user.user_id or 0, now=factories.NOW)
    body = {"password": NEW_PASSWORD, "confirmation": NEW_PASSWORD}
    if page:
        send = partial(http.post, f"/set-password/{token}", data=await form(http, **body))
    else:
        send = partial(http.post, "/api/v1/auth/password", json={"token": token, **body})
    return Write(send, "user.password_set", user.username)


async def _sign_in_id(table: type[ApiToken] | type[WebSession], user_id: int | None) -> int:
    row = await table.select(table._meta.primary_key).where(table.user == user_id).first()
    assert row is not None
    return int(next(iter(row.values())))


async def _revoke_own(users: Users, *, page: bool) -> Write:
    http, actor = await users.new("provider")
    token_id = await _sign_in_id(ApiToken, actor.user_id)
    if page:
        send = partial(http.post, f"/account/sign-ins/token/{token_id}/revoke", data=await form(http))
    else:
        send = partial(http.delete, f"/api/v1/me/sign-ins/token/{token_id}")
    return Write(send, "api_token.revoked", actor.username)


async def _revoke_theirs(users: Users, *, page: bool) -> Write:
    http, actor = await users.new("national_admin")
    _, evaluator = await users.new("evaluator")
    session_id = await _sign_in_id(WebSession, evaluator.user_id)
    path = f"/admin/users/{evaluator.user_id}/sign-ins/session/{session_id}"
    if page:
        send = partial(http.post, f"{path}/revoke", data=await form(http))
    else:
        send = partial(http.delete, f"/api/v1{path}")
    return Write(send, "web_session.revoked", actor.username)


async def _everywhere(users: Users, *, page: bool) -> Write:
    http, actor = await users.new("commissioner")
    if page:
        return Write(
            partial(http.post, "/sign-out/everywhere", data=await form(http)),
            "user.signed_out_everywhere",
            actor.username,
        )
    return Write(partial(http.delete, "/api/v1/me/sign-ins"), "user.signed_out_everywhere", actor.username)


async def _everywhere_theirs(users: Users, *, page: bool) -> Write:
    http, actor = await users.new("national_admin")
    _, evaluator = await users.new("evaluator")
    if page:
        send = partial(http.post, f"/admin/users/{evaluator.user_id}/sign-out-everywhere", data=await form(http))
    else:
        send = partial(http.delete, f"/api/v1/admin/users/{evaluator.user_id}/sign-ins")
    return Write(send, "user.signed_out_everywhere", actor.username)


async def _language(users: Users) -> Write:
    http, actor = await users.new("evaluator")
    data = await form(http, language="cy", next="/dashboard")
    return Write(partial(http.post, "/account/language", data=data), "user.language_set", actor.username)


SIGN_IN = "{kind:str}/{sign_in_id:int}"

WRITES: dict[tuple[str, str], Arrange] = {
    ("POST", "/api/v1/auth/token"): _token,
    ("POST", "/sign-in"): _sign_in_page,
    ("POST", "/sign-out"): _sign_out_page,
    ("POST", "/api/v1/admin/users"): partial(_new_user, page=False),
    ("POST", "/admin/users/new"): partial(_new_user, page=True),
    ("PUT", f"/api/v1/admin/users/{USER}/scope"): partial(_scope, page=False),
    ("POST", f"/admin/users/{USER}/scope"): partial(_scope, page=True),
    ("POST", f"/api/v1/admin/users/{USER}/deactivate"): partial(_deactivate, page=False),
    ("POST", f"/admin/users/{USER}/deactivate"): partial(_deactivate, page=True),
    ("POST", f"/api/v1/admin/users/{USER}/password-link"): partial(_password_link, page=False),
    ("POST", f"/admin/users/{USER}/password-link"): partial(_password_link, page=True),
    ("POST", "/api/v1/auth/password"): partial(_set_password, page=False),
    ("POST", "/set-password/{token:str}"): partial(_set_password, page=True),
    ("DELETE", f"/api/v1/me/sign-ins/{SIGN_IN}"): partial(_revoke_own, page=False),
    ("POST", f"/account/sign-ins/{SIGN_IN}/revoke"): partial(_revoke_own, page=True),
    ("DELETE", f"/api/v1/admin/users/{USER}/sign-ins/{SIGN_IN}"): partial(_revoke_theirs, page=False),
    ("POST", f"/admin/users/{USER}/sign-ins/{SIGN_IN}/revoke"): partial(_revoke_theirs, page=True),
    ("DELETE", "/api/v1/me/sign-ins"): partial(_everywhere, page=False),
    ("POST", "/sign-out/everywhere"): partial(_everywhere, page=True),
    ("DELETE", f"/api/v1/admin/users/{USER}/sign-ins"): partial(_everywhere_theirs, page=False),
    ("POST", f"/admin/users/{USER}/sign-out-everywhere"): partial(_everywhere_theirs, page=True),
    ("POST", "/account/language"): _language,
}
