"""Return reminders are sent once however the runs overlap (issue 13, item 7): two runs at once in one process, each
on its own connection with real commits, and two `cdv remind` processes at once, make each notice once and fail
neither. The runs lock the returns they remind about (row locks on PostgreSQL, SQLite's IMMEDIATE transaction), so
the later one finds the earlier one's notices."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from notifications.tables import Notification
from returns.services.reminders import send_return_reminders
from tests import contracts_support_lifecycle as cs
from tests import returns_support_reminders as rs
from tests.races.processes import cdv

pytestmark = pytest.mark.races

OVERDUE_DAY_1 = rs.Q1_DUE + timedelta(days=1)


async def _three_contracts() -> int:
    """Three contracts' first quarters due the same day, each vehicle with two users: the notices one run makes."""
    for n in range(3):
        await rs.held(budget_lines=None if n == 0 else {})
    return 6


async def test_two_runs_at_once_remind_each_user_once():
    expected = await _three_contracts()
    runs = await asyncio.gather(
        *[send_return_reminders(now=cs.at(OVERDUE_DAY_1)) for _ in range(2)], return_exceptions=True
    )
    assert not [run for run in runs if isinstance(run, BaseException)], runs
    assert sorted(run.notices for run in runs) == [0, expected]  # type: ignore[union-attr]
    assert await Notification.count() == expected
    assert len({n["dedupe_key"] for n in await Notification.select(Notification.dedupe_key)}) == expected


async def test_two_cdv_remind_processes_at_once_remind_each_user_once():
    expected = await _three_contracts()
    await cs.clock_on(OVERDUE_DAY_1)
    answers = await asyncio.gather(cdv("remind"), cdv("remind"))
    said = [out for _, out in answers]
    assert [code for code, _ in answers] == [0, 0], said
    assert sorted(said) == [
        "delivery return reminders: 0 about 0 returns; emails sent: 0\n",
        f"delivery return reminders: {expected} about 3 returns; emails sent: 0\n",
    ], said
    assert await Notification.count() == expected
