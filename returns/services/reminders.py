"""Reminding delivery vehicles of their returns (issue 13, item 7), from `cdv remind` once a day: a return not yet
submitted is reminded 7 days before its due day and on each of its first 3 days overdue (returns.rules
`reminder_for`), to every active user of the contract's vehicle, in the inbox in their own language and by email
through the outbox (notifications.services).

Never twice for the same return and day: each notice's key is the reminder's kind, the return and the Welsh day, and
`Notification.dedupe_key` is unique. A second run that day finds the notices made and makes none; two runs at once
are serialised by locking the returns to remind (PostgreSQL row locks, SQLite's IMMEDIATE transaction), so the later
one waits, then finds the earlier one's notices committed, and never reaches the unique index's refusal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from accounts.actor import SYSTEM, Role
from accounts.tables import User
from audit.operation import operation
from core.clock import london_day
from core.db import for_update
from core.periods import FinancialYear
from notifications.services import notify
from returns import rules
from returns.rules import NOT_YET_SUBMITTED, ReturnStatus
from returns.tables import DeliveryReturn


@dataclass(frozen=True)
class RemindersSent:
    """What a run did: how many returns it reminded about and how many notices it made."""

    returns: int
    notices: int


async def send_return_reminders(*, now: datetime) -> RemindersSent:
    """One run, as the system: one operation, with one audit event counting what it sent (none when it sent
    nothing: a run that changes nothing leaves no trace)."""
    today = london_day(now)
    async with operation("delivery_returns.reminded", actor=SYSTEM, now=now) as op:
        r: Any = DeliveryReturn
        candidates = await for_update(
            DeliveryReturn.select(
                DeliveryReturn.id,
                DeliveryReturn.status,
                DeliveryReturn.due_on,
                DeliveryReturn.financial_year,
                DeliveryReturn.quarter,
                r.contract.reference.as_alias("reference"),
                r.contract.title.as_alias("title"),
                r.contract.title_cy.as_alias("title_cy"),
                r.contract.delivery_vehicle.as_alias("delivery_vehicle"),
            )
            .where(
                DeliveryReturn.status.is_in([status.value for status in NOT_YET_SUBMITTED])
                & DeliveryReturn.due_on.is_in(rules.reminder_due_days(today))
            )
            .order_by(DeliveryReturn.id),
            of=(DeliveryReturn,),
        )
        due = [
            (row, kind)
            for row in candidates
            if (kind := rules.reminder_for(ReturnStatus(row["status"]), row["due_on"], today)) is not None
        ]
        vehicles = sorted({row["delivery_vehicle"] for row, _ in due})
        users: dict[int, list[int]] = {}
        for user in await User.select(User.id, User.delivery_vehicle).where(
            User.delivery_vehicle.is_in(vehicles or [-1])
            & (User.active == True)  # noqa: E712 - Piccolo builds SQL from the comparison
            & (User.role == Role.PROVIDER.value)
        ):
            users.setdefault(user["delivery_vehicle"], []).append(user["id"])
        notices = 0
        reminded = 0
        for row, kind in due:
            made = await notify(
                user_ids=users.get(row["delivery_vehicle"], []),
                kind=kind.value,
                key=f"{row['id']}:{today.isoformat()}",
                params={
                    "reference": row["reference"],
                    "title": row["title"],
                    "quarter": row["quarter"],
                    "year": FinancialYear(row["financial_year"]).label,
                    "due": row["due_on"],
                },
                localise={"cy": {"title": row["title_cy"] or row["title"]}},
                link=f"/returns/{row['id']}",
                now=now,
            )
            notices += made
            reminded += 1 if made else 0
        if notices:
            op.record(
                "Notification",
                "delivery_returns",
                after={"day": today, "returns": reminded, "notices": notices},
            )
    return RemindersSent(returns=reminded, notices=notices)
