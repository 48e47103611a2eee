"""Making notices, inside the operation that caused them; notifications/outbox.py emails them afterwards.

Email is sent after the transaction commits, never inside it: a notice that was rolled back never exists, so it is
never sent, and a mail server that is down does not undo the work.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from accounts.tables import User
from core.db import in_transaction
from core.i18n import LANGUAGES, shown_value, translate_in
from notifications.rules import MESSAGES
from notifications.tables import Notification


class OutsideAnOperation(RuntimeError):
    """notify() was called with no transaction open: its notice could outlive work that is then rolled back."""


async def notify(
    *,
    user_ids: list[int],
    kind: str,
    key: str,
    params: dict[str, Any],
    link: str,
    now: datetime,
    localise: dict[str, dict[str, Any]] | None = None,
) -> int:
    """One notice per user, in that user's language; `key` makes the same event notify each user once.

    `localise` gives per-language values for params that differ by language (e.g. {"cy": {"title": ...}}). A user
    with an email address gets it emailed by the outbox at once (the real clock: mail leaves when it is written).
    """
    if not in_transaction():
        raise OutsideAnOperation("notify() belongs inside the operation that caused the notice")
    if not user_ids:
        return 0
    users = await User.select(User.id, User.language, User.email).where(User.id.is_in(sorted(set(user_ids))))
    # Dates, times and statuses are kept as each language reads them, so the inbox shows them in the reader's.
    typed = {key: value for key, value in params.items() if isinstance(value, date | StrEnum)}
    localise = {
        language: {
            **{key: shown_value(language, value) for key, value in typed.items()},
            **(localise or {}).get(language, {}),
        }
        for language in LANGUAGES
    }
    subject_id, body_id = MESSAGES[kind]
    made = 0
    for user in users:
        dedupe = f"{kind}:{key}:{user['id']}"
        if await Notification.exists().where(Notification.dedupe_key == dedupe):
            continue
        language = user["language"] or "en"
        values = {**params, **localise.get(language, {})}
        await Notification(
            user=user["id"],
            kind=kind,
            subject=translate_in(language, subject_id, **values)[:300],
            body=translate_in(language, body_id, **values),
            link=link,
            language=language,
            params={
                "values": {k: str(v) for k, v in params.items()},
                "localise": {lang: {k: str(v) for k, v in vals.items()} for lang, vals in localise.items()},
            },
            dedupe_key=dedupe[:200],
            created_at=now,
            next_attempt_at=datetime.now(UTC) if user["email"] else None,
        ).save()
        made += 1
    return made


async def mark_read(*, actor: Any, notification_id: int | None, now: datetime) -> None:
    """Reading your own notices (all of them when no id is given); nobody else's."""
    from audit.operation import operation
    from core.errors import NotFound

    async with operation("notification.read", actor=actor, now=now) as op:
        condition = (Notification.user == (actor.user_id or -1)) & Notification.read_at.is_null()
        if notification_id is not None:
            if not 1 <= notification_id <= 2_147_483_647:  # past the database's integer: names nothing
                raise NotFound("No such notice")
            if not await Notification.exists().where(
                (Notification.id == notification_id) & (Notification.user == (actor.user_id or -1))
            ):
                raise NotFound("No such notice")
            condition = condition & (Notification.id == notification_id)
        count = await Notification.count().where(condition)
        await Notification.update({Notification.read_at: now}).where(condition)
        if count:
            op.record("Notification", notification_id or "all", after={"read": count})


async def remind_deadlines(*, now: datetime) -> int:
    """Notify providers serving a specification's clusters when its bids close within 3 days (once each)."""
    from datetime import timedelta

    from commissioning.rules import ProcurementRoute, SpecificationStatus
    from commissioning.tables import Specification, SpecificationCluster
    from organisations.rules import DeliveryVehicleStatus
    from organisations.tables import DeliveryVehicleCluster

    soon = await Specification.select().where(
        (Specification.status == SpecificationStatus.PUBLISHED.value)
        & (Specification.procurement_route == ProcurementRoute.COMPETITIVE.value)
        & (Specification.bid_deadline_at > now)
        & (Specification.bid_deadline_at <= now + timedelta(days=3))
    )
    made = 0
    for spec in soon:
        clusters = [
            row["cluster"]
            for row in await SpecificationCluster.select(SpecificationCluster.cluster).where(
                SpecificationCluster.specification == spec["id"]
            )
        ]
        vehicles = {
            row["delivery_vehicle"]
            for row in await DeliveryVehicleCluster.select(DeliveryVehicleCluster.delivery_vehicle).where(
                DeliveryVehicleCluster.cluster.is_in(clusters or [-1])
                & (DeliveryVehicleCluster.delivery_vehicle.status == DeliveryVehicleStatus.APPROVED.value)
            )
        }
        users = await User.select(User.id).where(User.delivery_vehicle.is_in(sorted(vehicles) or [-1]))
        made += await notify(
            user_ids=[u["id"] for u in users],
            kind="deadline_soon",
            key=str(spec["id"]),
            params={
                "title": spec["title"],
                "reference": spec["reference"],
                "deadline": spec["bid_deadline_at"],
            },
            localise={"cy": {"title": spec["title_cy"]}},
            link=f"/specifications/{spec['id']}",
            now=now,
        )
    return made
