"""POST /api/v1/auth/token and GET /api/v1/me: bearer tokens for the JSON API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from accounts.actor import Role
from accounts.rules import ADDRESS_THROTTLE, USERNAME_THROTTLE, failure_key
from accounts.services.sign_in import token_digest
from accounts.tables import ApiToken, SignInFailure, User
from organisations.tables import HealthBoard, Pcpg
from tests import factories
from tests.answers import REQUEST_ID_HEADER, without_request_id
from tests.conftest import PASSWORD, sign_in_pages

PROBLEM = "application/problem+json"


async def test_a_correct_username_and_password_get_a_bearer_token_for_eight_hours(client):
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    response = await client.post("/api/v1/auth/token", json={"username": "evelyn", "password": PASSWORD})
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "bearer"
    assert len(body["access_token"]) >= 32
    expires_at = datetime.fromisoformat(body["expires_at"])
    assert timedelta(hours=7, minutes=59) < expires_at - datetime.now(UTC) <= timedelta(hours=8)
    stored = await ApiToken.select(ApiToken.token_hash).first()
    assert stored is not None
    assert stored["token_hash"] == token_digest(body["access_token"]), "only a digest of the token is kept"


async def test_each_request_for_a_token_gets_a_different_one(client):
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    first = await client.post("/api/v1/auth/token", json={"username": "evelyn", "password": PASSWORD})
    second = await client.post("/api/v1/auth/token", json={"username": "evelyn", "password": PASSWORD})
    assert first.json()["access_token"] != second.json()["access_token"]


async def test_the_token_answers_who_am_i_with_the_commissioners_pcpgs(client):
    await factories.create_user(role=Role.COMMISSIONER, username="cerys", pcpg_names=("Cardiff", "Vale of Glamorgan"))
    token = (await client.post("/api/v1/auth/token", json={"username": "cerys", "password": PASSWORD})).json()
    response = await client.get("/api/v1/me", headers={"authorization": f"Bearer {token['access_token']}"})
    assert response.status_code == 200
    me = response.json()
    assert (me["username"], me["role"], me["language"]) == ("cerys", "commissioner", "en")
    assert sorted(me["pcpg_ids"]) == sorted(
        [await factories.reference_id(Pcpg, "Cardiff"), await factories.reference_id(Pcpg, "Vale of Glamorgan")]
    )
    assert me["delivery_vehicle_id"] is None and me["health_board_id"] is None


async def test_the_token_answers_who_am_i_with_the_finance_directors_health_board(client):
    board = "Cardiff and Vale University Health Board"
    await factories.create_user(role=Role.FINANCE_DIRECTOR, username="ffion", health_board_name=board)
    token = (await client.post("/api/v1/auth/token", json={"username": "ffion", "password": PASSWORD})).json()
    me = (await client.get("/api/v1/me", headers={"authorization": f"Bearer {token['access_token']}"})).json()
    assert (me["role"], me["health_board_id"]) == ("finance_director", await factories.reference_id(HealthBoard, board))


async def test_a_wrong_password_is_refused_with_a_problem_and_no_token(client):
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    response = await client.post("/api/v1/auth/token", json={"username": "evelyn", "password": "not-the-password"})
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert (problem["status"], problem["detail"]) == (401, "Enter a correct username and password")
    assert problem["instance"] == "/api/v1/auth/token"
    assert await ApiToken.count() == 0


async def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(client):
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    wrong_password = await client.post("/api/v1/auth/token", json={"username": "evelyn", "password": "nope"})
    unknown_user = await client.post("/api/v1/auth/token", json={"username": "nobody", "password": "nope"})
    assert unknown_user.status_code == wrong_password.status_code == 401
    assert unknown_user.json()["detail"] == wrong_password.json()["detail"]


async def _five_wrong(client, username: str) -> None:
    for _ in range(USERNAME_THROTTLE.free_failures):
        response = await client.post("/api/v1/auth/token", json={"username": username, "password": "wrong-password"})
        assert response.status_code == 401


async def test_after_five_wrong_passwords_even_the_right_one_waits_with_429_and_retry_after(client):
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    await _five_wrong(client, "evelyn")
    response = await client.post("/api/v1/auth/token", json={"username": "evelyn", "password": PASSWORD})
    assert response.status_code == 429
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["retry-after"] == "60"
    problem = response.json()
    assert (problem["status"], problem["title"]) == (429, "Too many requests")
    assert problem["detail"] == "Too many failed attempts to sign in. Try again in 1 minute"
    assert await ApiToken.count() == 0


async def test_once_the_wait_has_passed_on_the_training_clock_the_right_password_gets_a_token(client):
    from administration.services import clear_clock, set_clock
    from tests.conftest import make_actor

    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    await _five_wrong(client, "evelyn")
    trainer = await make_actor(Role.NATIONAL_ADMIN)
    await set_clock(actor=trainer, to=datetime.now(UTC) + timedelta(minutes=1, seconds=5), now=datetime.now(UTC))
    try:
        response = await client.post("/api/v1/auth/token", json={"username": "evelyn", "password": PASSWORD})
        assert response.status_code == 201
    finally:
        await clear_clock(actor=trainer, now=datetime.now(UTC))


def _comparable(response) -> tuple[int, dict[str, str], bytes]:
    headers = {
        name: value
        for name, value in response.headers.items()
        if name not in ("date", "set-cookie", REQUEST_ID_HEADER)  # the request id is every answer's own
    }
    headers.pop("content-security-policy", None)  # carries a fresh nonce on every response
    return response.status_code, headers, without_request_id(response.content)


async def test_an_unknown_username_and_a_known_one_get_byte_identical_answers_refused_and_waiting(client):
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    answers = {}
    for username in ("evelyn", "nobody"):
        refused = [
            await client.post("/api/v1/auth/token", json={"username": username, "password": f"wrong-{n}"})
            for n in range(USERNAME_THROTTLE.free_failures)
        ]
        waiting = await client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
        answers[username] = [_comparable(response) for response in [*refused, waiting]]
        await SignInFailure.delete().where(SignInFailure.key_hash == failure_key("address", "127.0.0.1"))
    assert answers["evelyn"] == answers["nobody"]
    assert answers["nobody"][0][0] == 401 and answers["nobody"][-1][0] == 429


async def test_thirty_failures_from_one_address_get_429_for_any_username(client):
    for n in range(ADDRESS_THROTTLE.free_failures):
        response = await client.post("/api/v1/auth/token", json={"username": f"guess-{n}", "password": "nope"})
        assert response.status_code == 401
    response = await client.post("/api/v1/auth/token", json={"username": "someone-else", "password": "nope"})
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) == 60


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "evelyn"}, "password"),
        ({"password": PASSWORD}, "username"),
        ({"username": "evelyn", "password": ""}, "password"),
        ({"username": "", "password": PASSWORD}, "username"),
        ({"username": "evelyn", "password": 12345}, "password"),
        ({"username": "evelyn", "password": PASSWORD, "remember_me": True}, "remember_me"),
    ],
    ids=["missing password", "missing username", "empty password", "empty username", "number", "unknown field"],
)
async def test_a_request_that_breaks_the_schema_is_a_422_naming_the_field(client, body, field):
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    response = await client.post("/api/v1/auth/token", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["field"] == field
    assert await ApiToken.count() == 0


async def test_who_am_i_without_a_token_is_401_problem(client):
    response = await client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("header", ["Bearer not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer "])
async def test_who_am_i_with_a_token_that_is_not_ours_is_401(client, header):
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    response = await client.get("/api/v1/me", headers={"authorization": header})
    assert response.status_code == 401


async def test_an_expired_token_no_longer_works(client):
    user = await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    await factories.save(
        factories.ApiTokenFactory(
            token_hash=token_digest("yesterdays-token"),
            user=user.id,
            expires_at=datetime.now(UTC) - timedelta(minutes=1),
        )
    )
    response = await client.get("/api/v1/me", headers={"authorization": "Bearer yesterdays-token"})
    assert response.status_code == 401


async def test_a_token_stops_working_when_the_user_is_deactivated(client):
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    token = (await client.post("/api/v1/auth/token", json={"username": "evelyn", "password": PASSWORD})).json()
    headers = {"authorization": f"Bearer {token['access_token']}"}
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
    await User.update({User.active: False}).where(User.username == "evelyn")
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 401


async def test_the_pages_session_cookie_does_not_sign_in_to_the_api(client):
    """Bearer tokens only under /api/: a page session cannot be ridden by a cross-site script calling the API."""
    await factories.create_user(role=Role.EVALUATOR, username="evelyn")
    signed_in = await sign_in_pages(client, "evelyn")
    assert signed_in.status_code == 302
    assert (await client.get("/dashboard")).status_code == 200
    assert (await client.get("/api/v1/me")).status_code == 401
