"""Who may read notices and mark them read: every signed-in user, their own only (the provider's notice of their
bid, while bids are open)."""

from __future__ import annotations

import pytest

from commissioning.services import bids
from tests.access.tender_journey import (
    NOT_FOUND,
    PROVIDER,
    ROLES,
    SIGNED_IN,
    Check,
    answers,
    form,
    json,
    open_world,
    run,
)

pytestmark = pytest.mark.usefixtures("menu")

NOTICES = [
    Check("GET", "/inbox", answers(*SIGNED_IN)),
    Check("GET", "/api/v1/notifications", answers(*SIGNED_IN)),
    Check("POST", "/api/v1/notifications/{notice}/read", answers(PROVIDER, others=NOT_FOUND), json()),
    Check("POST", "/inbox/read", answers(*SIGNED_IN), form()),
]


def test_every_check_names_every_role():
    for check in NOTICES:
        assert set(check.expected) == set(ROLES), f"{check.method} {check.path}"


async def test_each_role_gets_the_answer_it_should_from_their_notices(app, monkeypatch, tmp_path):
    monkeypatch.setattr(bids, "ATTACHMENT_DIR", tmp_path / "attachments")
    assert await run(await open_world(app), NOTICES) == {}
