import json
from datetime import UTC, datetime

import pytest

from accounts.services.users import set_language
from accounts.tables import User
from audit.tables import AuditEvent
from core.errors import RuleBroken
from tests.conftest import make_actor

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


async def _language(user_id: int | None) -> str:
    row = await User.select(User.language).where(User.id == user_id).first()
    return str(row["language"])


async def test_choosing_welsh_is_remembered_and_audited():
    actor = await make_actor("provider")
    since = await AuditEvent.count()
    await set_language(actor=actor, language="cy", now=NOW)
    assert await _language(actor.user_id) == "cy"
    events = await AuditEvent.select().where(AuditEvent.sequence > since)
    assert [(event["action"], event["entity_id"]) for event in events] == [("user.language_set", str(actor.user_id))]
    changes = [
        json.loads(events[0][name]) if isinstance(events[0][name], str) else events[0][name]
        for name in ("before", "after")
    ]
    assert changes == [{"language": "en"}, {"language": "cy"}]


async def test_choosing_the_language_already_set_is_not_audited():
    actor = await make_actor("provider")
    since = await AuditEvent.count()
    await set_language(actor=actor, language="en", now=NOW)
    assert await _language(actor.user_id) == "en"
    assert await AuditEvent.count() == since


async def test_a_language_other_than_english_or_welsh_is_refused():
    actor = await make_actor("provider")
    since = await AuditEvent.count()
    with pytest.raises(RuleBroken) as refused:
        await set_language(actor=actor, language="fr", now=NOW)
    assert refused.value.field == "language"
    assert await _language(actor.user_id) == "en"
    assert await AuditEvent.count() == since
