"""Reminding delivery vehicles of their returns (issue 13, item 7): 7 days before the due day and on each of the first
3 days overdue, to each active user of the vehicle in their own language, in the inbox and the email outbox; never
twice for one return and day; never for a submitted return. Audited once per run, with its counts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.actor import Role
from accounts.tables import User
from audit.tables import AuditEvent
from returns.rules import ReturnStatus
from returns.services.reminders import send_return_reminders
from tests import contracts_support_lifecycle as cs
from tests import returns_support_reminders as rs
from tests.conftest import make_actor


def _on(days_from_due: int):
    return cs.at(rs.Q1_DUE + timedelta(days=days_from_due))


@pytest.mark.parametrize(
    ("days", "kind"), [(-7, "return_due_soon"), (1, "return_overdue"), (2, "return_overdue"), (3, "return_overdue")]
)
async def test_the_vehicles_users_are_reminded_on_the_days_the_issue_names(days, kind):
    held = await rs.held()
    sent = await send_return_reminders(now=_on(days))
    assert (sent.returns, sent.notices) == (1, 2)
    found = await rs.notices()
    assert {n["user"] for n in found} == {held.english.user_id, held.welsh.user_id}
    assert {n["kind"] for n in found} == {kind}
    assert {n["link"] for n in found} == {f"/returns/{await rs.return_id(held.contract_id)}"}
    assert all(n["emailed_at"] is None for n in found)  # waiting in the outbox for `cdv remind` to email


@pytest.mark.parametrize("days", [-8, -6, 0, 4])
async def test_no_reminder_on_other_days(days):
    await rs.held()
    sent = await send_return_reminders(now=_on(days))
    assert (sent.returns, sent.notices) == (0, 0)
    assert await rs.notices() == []
    assert not await AuditEvent.exists().where(AuditEvent.action == "delivery_returns.reminded")


async def test_each_user_reads_the_reminder_in_their_own_language_naming_the_contract_quarter_and_due_day():
    held = await rs.held()
    await send_return_reminders(now=_on(1))
    english = (await rs.notices(held.english.user_id))[0]
    welsh = (await rs.notices(held.welsh.user_id))[0]
    reference = english["subject"].rsplit(" ", 1)[-1]
    assert english["subject"] == f"Delivery return overdue: {reference}"
    assert "Weight management" in english["body"] and "quarter 1 of 2027-28" in english["body"]
    assert "30 July 2027" in english["body"]
    assert welsh["language"] == "cy"
    assert "Rheoli pwysau" in welsh["body"] and "Gorffennaf 2027" in welsh["body"]
    assert "Weight management" not in welsh["body"] and welsh["subject"] != english["subject"]


async def test_running_twice_on_one_day_reminds_once_and_the_next_day_again():
    await rs.held()
    first = await send_return_reminders(now=_on(1))
    second = await send_return_reminders(now=_on(1).replace(hour=18))
    assert (first.notices, second.notices) == (2, 0)
    assert len(await rs.notices()) == 2
    events = await AuditEvent.select().where(AuditEvent.action == "delivery_returns.reminded").output(load_json=True)
    assert [(e["actor_username"], e["after"]["returns"], e["after"]["notices"]) for e in events] == [("system", 1, 2)]
    third = await send_return_reminders(now=_on(2))
    assert third.notices == 2 and len(await rs.notices()) == 4


@pytest.mark.parametrize("status", [ReturnStatus.SUBMITTED, ReturnStatus.QUERIED, ReturnStatus.ACCEPTED])
async def test_a_submitted_return_gets_no_reminder(status):
    held = await rs.held()
    await rs.set_return_status(held.contract_id, status)
    assert (await send_return_reminders(now=_on(1))).notices == 0
    await rs.set_return_status(held.contract_id, ReturnStatus.DRAFT)  # the control: a draft is reminded
    assert (await send_return_reminders(now=_on(1))).notices == 2


async def test_inactive_users_and_other_vehicles_users_are_not_reminded():
    held = await rs.held()
    await User.update({User.active: False}).where(User.id == held.welsh.user_id)
    stranger = await make_actor(Role.PROVIDER, with_vehicle=True)
    await send_return_reminders(now=_on(1))
    assert [n["user"] for n in await rs.notices()] == [held.english.user_id]
    assert await rs.notices(stranger.user_id) == []


async def test_a_reminder_goes_by_email_through_the_outbox(monkeypatch):
    from notifications import outbox

    held = await rs.held()
    await User.update({User.email: "dylan@example.org"}).where(User.id == held.english.user_id)
    mailed = []
    monkeypatch.setattr(outbox, "_send", lambda mailer, message: mailed.append(message))
    await send_return_reminders(now=_on(-7))
    sent = await outbox.deliver_all_due(outbox.Mailer(host="smtp.example.org", port=25, sender="cdv@example.org"))
    assert sent == 2
    (mail,) = [m for m in mailed if m["To"] == "dylan@example.org"]
    assert mail["Subject"].startswith("Delivery return due in 7 days")
    assert "30 July 2027" in mail.get_content()
    assert await outbox.deliver_all_due(outbox.Mailer(host="smtp.example.org", port=25, sender="x@example.org")) == 0
