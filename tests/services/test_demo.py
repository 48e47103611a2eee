"""The demo the README's first command serves is made by the app's own services, so a rule that tightens (a bid only
in a cluster the vehicle serves) must keep the demo possible: this builds it in the test database."""

from __future__ import annotations

from api.demo import make_demo
from commissioning.rules import BidStatus, SpecificationStatus
from commissioning.tables import Bid, Specification
from contracts.tables import Contract


async def test_the_demo_builds_with_a_specification_in_each_state_bids_and_a_contract():
    summary = await make_demo(password="demo-password", reset=False)
    assert summary.startswith("demo ready")
    statuses = {row["status"] for row in await Specification.select(Specification.status)}
    assert {SpecificationStatus.DRAFT, SpecificationStatus.PUBLISHED, SpecificationStatus.AWARDED} <= statuses
    assert await Bid.count().where(Bid.status == BidStatus.SUBMITTED) >= 4
    assert await Contract.count() >= 1
