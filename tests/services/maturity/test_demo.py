"""The demo's maturity assessments: two confirmed years per approved vehicle with levels that differ, and one
assessment submitted and waiting for its peer reviewer."""

from __future__ import annotations

from accounts.queries import actor_for_user
from accounts.tables import User
from api.demo import make_demo
from maturity.queries.assessments import confirmed_levels, vehicle_maturity
from maturity.tables import MaturityAssessment


async def test_the_demo_gives_vehicles_two_confirmed_years_that_differ_and_one_assessment_waiting_for_review():
    await make_demo(password="demo-password", reset=False)
    rows = await MaturityAssessment.select(MaturityAssessment.delivery_vehicle, MaturityAssessment.status)
    statuses = [row["status"] for row in rows]
    assert statuses.count("submitted") == 1 and statuses.count("confirmed") == 4
    vehicles = sorted({row["delivery_vehicle"] for row in rows})
    latest = await confirmed_levels(vehicles)
    assert len(latest) == 2 and latest[vehicles[0]] != latest[vehicles[1]]
    user = await User.select(User.id).where(User.username == "provider").first()
    provider = await actor_for_user(user["id"])
    shown = await vehicle_maturity(actor=provider, delivery_vehicle_id=provider.delivery_vehicle_id)
    assert len(shown.history) == 2 and shown.history[0].levels != shown.history[1].levels
    assert shown.history[0].financial_year == shown.history[1].financial_year + 1
    await make_demo(password="demo-password", reset=False)  # again: nothing more
    assert await MaturityAssessment.count() == 5
