"""Expiry runs by itself: once when the app starts (then hourly), and from `cdv contracts expire`."""

from __future__ import annotations

import asyncio

from api.cli import parser
from contracts.expiry import hourly_expiry
from tests import contracts_support_lifecycle as cs


async def test_the_app_expires_a_contract_whose_term_has_ended_when_it_starts():
    ended = await cs.contract(years=(2024,), budget_lines={})  # its term ended on 31 March 2025
    running = await cs.contract(years=(2099,), budget_lines={})

    async with hourly_expiry(False, every_seconds=3600)(None):
        for _ in range(100):
            if await cs.status_of(ended) == "expired":
                break
            await asyncio.sleep(0.05)

    assert await cs.status_of(ended) == "expired"
    assert await cs.status_of(running) == "mobilising"


def test_cdv_contracts_expire_is_a_command():
    args = parser().parse_args(["contracts", "expire"])
    assert args.run.__name__ == "_cmd_contracts_expire"
