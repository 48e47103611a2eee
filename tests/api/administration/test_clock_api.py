"""The training clock: national admins move it in demo and test environments; production has no such route."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from accounts.services.sign_in import token_digest
from api.settings import DEFAULT_SECRET, Settings, UnsafeConfiguration, load_settings
from tests import factories
from tests.api.conftest import build_app

PROBLEM = "application/problem+json"
TARGET = datetime(2027, 4, 2, 8, 0, tzinfo=UTC)  # 2027-04-02T09:00:00+01:00


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_an_admin_moves_the_clock_and_reading_it_gives_the_new_time(client_as):
    admin, _ = await client_as("national_admin")
    response = await admin.put("/api/v1/admin/clock", json={"now": "2027-04-02T09:00:00+01:00"})
    assert response.status_code == 200
    assert response.json()["moved"] is True
    shown = (await admin.get("/api/v1/admin/clock")).json()
    assert shown["moved"] is True
    assert abs(_moment(shown["now"]) - TARGET) < timedelta(seconds=30)
    assert shown["offset_seconds"] == pytest.approx((TARGET - datetime.now(UTC)).total_seconds(), abs=30)


async def test_clearing_the_clock_goes_back_to_real_time(client_as):
    admin, _ = await client_as("national_admin")
    await admin.put("/api/v1/admin/clock", json={"now": "2027-04-02T09:00:00+01:00"})
    response = await admin.delete("/api/v1/admin/clock")
    assert response.status_code == 200
    shown = (await admin.get("/api/v1/admin/clock")).json()
    assert (shown["moved"], shown["offset_seconds"]) == (False, 0)
    assert abs(_moment(shown["now"]) - datetime.now(UTC)) < timedelta(seconds=30)


async def test_the_moved_clock_dates_what_users_do(client_as):
    admin, _ = await client_as("national_admin")
    await admin.put("/api/v1/admin/clock", json={"now": "2027-04-02T09:00:00+01:00"})
    vehicle_id = (await factories.create_vehicle(status="pending")).id
    decided = (await admin.post(f"/api/v1/delivery-vehicles/{vehicle_id}/approve", json={})).json()
    assert _moment(decided["decided_at"]).date() == TARGET.date()


async def test_pages_say_the_clock_is_moved(client_as):
    admin, _ = await client_as("national_admin")
    assert "cdv-training-clock" not in (await admin.get("/dashboard")).text
    await admin.put("/api/v1/admin/clock", json={"now": "2027-04-02T09:00:00+01:00"})
    page = (await admin.get("/dashboard")).text
    assert "cdv-training-clock" in page
    assert "2 April 2027" in page


@pytest.mark.parametrize("role", ["commissioner", "evaluator", "provider", "finance_director"])
async def test_only_a_national_admin_may_read_or_move_the_clock(client_as, role):
    other, _ = await client_as(role)
    assert (await other.get("/api/v1/admin/clock")).status_code == 403
    refused = await other.put("/api/v1/admin/clock", json={"now": "2027-04-02T09:00:00+01:00"})
    assert refused.status_code == 403
    assert refused.headers["content-type"] == PROBLEM
    assert (await other.delete("/api/v1/admin/clock")).status_code == 403
    admin, _ = await client_as("national_admin")
    assert (await admin.get("/api/v1/admin/clock")).json()["moved"] is False


async def test_anonymous_callers_are_asked_to_sign_in(client):
    for method in ("GET", "PUT", "DELETE"):
        response = await client.request(method, "/api/v1/admin/clock", json={"now": "2027-04-02T09:00:00+01:00"})
        assert response.status_code == 401
        assert response.headers["content-type"] == PROBLEM


async def test_a_time_without_its_offset_is_refused_naming_now(client_as):
    admin, _ = await client_as("national_admin")
    response = await admin.put("/api/v1/admin/clock", json={"now": "2027-04-02T09:00:00"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["field"] == "now"
    assert (await admin.get("/api/v1/admin/clock")).json()["moved"] is False


@pytest.mark.parametrize(
    "body", [{"now": "next Tuesday"}, {"now": [2027, 4, 2]}, {}, {"now": "2027-04-02T09:00:00Z", "tz": "x"}]
)
async def test_a_body_that_breaks_the_schema_is_422_naming_the_field(client_as, body):
    admin, _ = await client_as("national_admin")
    response = await admin.put("/api/v1/admin/clock", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in ("now", "tz")


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-14:00"])
async def test_a_time_the_clock_cannot_reach_is_refused_and_the_clock_still_works(client_as, moment):
    admin, _ = await client_as("national_admin")
    response = await admin.put("/api/v1/admin/clock", json={"now": moment})
    assert response.status_code == 422
    assert (await admin.get("/api/v1/admin/clock")).status_code == 200


def _production_settings() -> Settings:
    return Settings(
        environment="production",
        secret="x" * 40,
        database_url="postgresql://cdv@db.invalid/cdv",
        smtp_host="",
        smtp_port=25,
        mail_from="a@b",
    )


async def test_production_has_no_clock_route_at_all(client_as):
    _, actor = await client_as("national_admin")
    production = build_app(_production_settings())
    assert not any(path.startswith("/api/v1/admin/clock") for path in production.route_handler_method_map)
    assert not any(path.startswith("/admin/clock") for path in production.route_handler_method_map), "nor a page"
    token = "production-token"
    await factories.save(factories.ApiTokenFactory(token_hash=token_digest(token), user=actor.user_id))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=production), base_url="https://testserver") as http:
        headers = {"authorization": f"Bearer {token}"}
        assert (await http.get("/api/v1/me", headers=headers)).status_code == 200, "the admin is signed in"
        response = await http.put("/api/v1/admin/clock", headers=headers, json={"now": "2027-04-02T09:00:00+01:00"})
        assert response.status_code == 404
        assert (await http.get("/api/v1/admin/clock", headers=headers)).status_code == 404
        assert (await http.post("/api/v1/admin/clock/advance", headers=headers, json={"days": 1})).status_code == 404


def test_production_refuses_to_start_with_the_default_secret(monkeypatch):
    monkeypatch.setenv("CDV_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", "postgresql://cdv@db.invalid/cdv")
    monkeypatch.delenv("CDV_SECRET", raising=False)
    with pytest.raises(UnsafeConfiguration, match="CDV_SECRET"):
        load_settings()
    monkeypatch.setenv("CDV_SECRET", DEFAULT_SECRET)
    with pytest.raises(UnsafeConfiguration, match="CDV_SECRET"):
        load_settings()
    monkeypatch.setenv("CDV_SECRET", "short")
    with pytest.raises(UnsafeConfiguration, match="CDV_SECRET"):
        load_settings()


def test_production_refuses_to_start_without_a_database_url(monkeypatch):
    monkeypatch.setenv("CDV_ENV", "production")
    monkeypatch.setenv("CDV_SECRET", "s" * 40)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(UnsafeConfiguration, match="DATABASE_URL"):
        load_settings()


def test_production_with_a_secret_and_a_database_starts_with_secure_cookies_and_a_fixed_clock(monkeypatch):
    monkeypatch.setenv("CDV_ENV", "production")
    monkeypatch.setenv("CDV_SECRET", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://cdv@db.invalid/cdv")
    settings = load_settings()
    assert (settings.is_production, settings.secure_cookies, settings.clock_can_move) == (True, True, False)


async def test_an_admin_moves_the_clock_on_by_days_from_its_own_time(client_as):
    admin, _ = await client_as("national_admin")
    await admin.put("/api/v1/admin/clock", json={"now": "2027-04-02T09:00:00+01:00"})
    response = await admin.post("/api/v1/admin/clock/advance", json={"days": 8})
    assert response.status_code == 200, response.text
    assert abs(_moment(response.json()["now"]) - (TARGET + timedelta(days=8))) < timedelta(seconds=30)


@pytest.mark.parametrize("body", [{"days": 0}, {"days": 3651}, {"days": 1.5}, {"days": "a week"}, {}, {"weeks": 1}])
async def test_a_number_of_days_out_of_range_or_unreadable_is_a_problem_naming_days(client_as, body):
    admin, _ = await client_as("national_admin")
    response = await admin.post("/api/v1/admin/clock/advance", json=body)
    assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM)
    assert response.json()["errors"][0]["field"] in ("days", "weeks")
    assert (await admin.get("/api/v1/admin/clock")).json()["moved"] is False
