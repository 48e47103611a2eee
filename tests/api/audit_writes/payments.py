"""Writes of quarterly payments: a finance director of the contract's health board approves, withholds or releases a
quarter's payment (API and pages)."""

from __future__ import annotations

from datetime import date
from functools import partial

from returns.services.payments import withhold_payment
from tests import contracts_support_lifecycle as cs
from tests import returns_support_payments as ps
from tests.api.audit_writes import Arrange, Users, Write, form

API = "/api/v1/contracts/{contract_id:int}/payments/{financial_year:int}/{quarter:int}"
PAGE = "/payments/{contract_id:int}/{financial_year:int}/{quarter:int}"


def _write(action: str, audited: str, *, page: bool, withheld: bool = False) -> Arrange:
    async def arrange(users: Users) -> Write:
        contract_id = await cs.contract(years=(2027,))
        await ps.accept(contract_id, 2027, 1)
        await cs.clock_on(date(2027, 8, 1))
        http, actor = await users.new("finance_director", health_board_name=ps.CARDIFF_AND_VALE)
        if withheld:
            await withhold_payment(
                actor=actor,
                contract_id=contract_id,
                financial_year=2027,
                quarter=1,
                reason="KPI red",
                now=cs.at(date(2027, 8, 1)),
            )
        reason = {} if action == "approve" else {"reason": "Checked"}
        if page:
            data = await form(http, **reason, confirm="yes")
            send = partial(http.post, f"/payments/{contract_id}/2027/1/{action}", data=data)
        else:
            send = partial(http.post, f"/api/v1/contracts/{contract_id}/payments/2027/1/{action}", json=reason or None)
        return Write(send, audited, actor.username)

    return arrange


WRITES: dict[tuple[str, str], Arrange] = {
    ("POST", f"{API}/approve"): _write("approve", "payment.approved", page=False),
    ("POST", f"{API}/withhold"): _write("withhold", "payment.withheld", page=False),
    ("POST", f"{API}/release"): _write("release", "payment.released", page=False, withheld=True),
    ("POST", f"{PAGE}/approve"): _write("approve", "payment.approved", page=True),
    ("POST", f"{PAGE}/withhold"): _write("withhold", "payment.withheld", page=True),
    ("POST", f"{PAGE}/release"): _write("release", "payment.released", page=True, withheld=True),
}
