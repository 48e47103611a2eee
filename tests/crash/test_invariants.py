"""`cdv check` (api.scale.check.check_invariants) names each state a cut-short operation would leave: whole data
passes, and each break of it, made by hand here, is named."""

from __future__ import annotations

from accounts.actor import Role
from api.scale.check import check_invariants
from audit.operation import operation
from commissioning.tables import Bid, BidAnswer
from contracts.tables import ContractYear
from returns.tables import DeliveryReturn
from tests import bidding_support as bs
from tests import returns_support_submission as rs
from tests.conftest import make_actor


def _named(problems: list[str], what: str) -> list[str]:
    return [problem for problem in problems if problem.startswith(what)]


async def test_each_half_applied_state_is_named_and_whole_data_passes(menu):
    deal = await bs.tender()
    bid_id = await bs.bid(await bs.provider("Alpha Care CIC"), deal, 70_000_00)
    s = await rs.setting(second=True)
    assert await check_invariants() == []

    await ContractYear.delete().where(ContractYear.contract == s.contract_id)
    assert _named(await check_invariants(), "a contract has not one year for each financial year of its term")

    bid = await Bid.select(Bid.id).where(Bid.public_id == bid_id).first()
    await BidAnswer.delete().where(BidAnswer.bid == bid["id"])
    assert _named(await check_invariants(), "a submitted bid has no answer to a criterion")

    await DeliveryReturn.update({DeliveryReturn.version: 1}).where(DeliveryReturn.id == s.return_id)
    assert _named(await check_invariants(), "a delivery return's versions are not each saved once")

    admin = await make_actor(Role.NATIONAL_ADMIN)
    async with operation("contract.made", actor=admin, now=bs.BEFORE) as op:
        op.record("Contract", 987654, after={"reference": "CON-NOWHERE"})
    named = _named(await check_invariants(), "an audit event's subject does not exist")
    assert named and "987654" in named[0]
