"""Writes of accounts: an API token, signing in and out."""

from __future__ import annotations

from functools import partial

from tests import factories
from tests.api.audit_writes import Arrange, Users, Write, form
from tests.conftest import PASSWORD


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


WRITES: dict[tuple[str, str], Arrange] = {
    ("POST", "/api/v1/auth/token"): _token,
    ("POST", "/sign-in"): _sign_in_page,
    ("POST", "/sign-out"): _sign_out_page,
}
