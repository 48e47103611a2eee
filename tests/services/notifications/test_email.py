"""Email through SMTP: each notice is sent once to its user's address, in the user's language, after the work that
made it; a user without an address gets none; a mail server that is down leaves the notice to send later; a notice
of work rolled back never exists; and the deadline reminder reaches the providers of a specification closing within 3
days, once. (tests/services/notifications/test_outbox.py: retries, back-off, leases.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from accounts.actor import Role
from core.db import write_transaction
from core.i18n import translate_in
from notifications.outbox import Mailer, deliver_all_due
from notifications.services import OutsideAnOperation, notify, remind_deadlines
from notifications.tables import Notification
from tests import bidding_support as b
from tests.conftest import make_actor
from tests.smtp_support import MailServer, free_port, mail_server

SENDER = "no-reply@cdv.example.org"
TITLE, TITLE_CY = "Social prescribing", "Rhagnodi cymdeithasol ŵ ŷ"
PARAMS = {"title": TITLE, "reference": "CAR-2027-001", "when": "01/12/2026 10:00"}


@pytest.fixture
def smtp() -> Iterator[tuple[MailServer, int]]:
    with mail_server() as server:
        yield server, server.port


async def _notify(*user_ids: int, key: str = "1") -> int:
    async with write_transaction():  # as inside the operation that causes a notice
        return await _make(*user_ids, key=key)


async def _make(*user_ids: int, key: str) -> int:
    return await notify(
        user_ids=list(user_ids),
        kind="bid_received",
        key=key,
        params=PARAMS,
        localise={"cy": {"title": TITLE_CY}},
        link="/specifications/1/bid",
        now=b.BEFORE,
    )


async def deliver_pending(*, host: str, port: int, sender: str, now: datetime | None = None) -> int:
    return await deliver_all_due(Mailer(host=host, port=port, sender=sender, timeout=5), now=now)


async def test_each_notice_is_emailed_once_to_its_user_in_their_language(smtp):
    collector, port = smtp
    english = await make_actor(Role.PROVIDER, email="english@example.org")
    cymraeg = await make_actor(Role.PROVIDER, email="cymraeg@example.org", language="cy")
    assert await _notify(english.user_id, cymraeg.user_id) == 2

    assert await deliver_pending(host="127.0.0.1", port=port, sender=SENDER) == 2
    by_address = {message["To"]: message for message in collector.messages}
    assert sorted(by_address) == ["cymraeg@example.org", "english@example.org"]
    assert by_address["english@example.org"]["Subject"] == f"Bid received: {TITLE}"
    welsh_subject = translate_in("cy", "Bid received: %(title)s", title=TITLE_CY)
    assert by_address["cymraeg@example.org"]["Subject"] == welsh_subject
    assert TITLE_CY in welsh_subject
    assert all(message["From"] == SENDER for message in collector.messages)
    body = by_address["english@example.org"].get_content()
    assert "CAR-2027-001" in body and "/specifications/1/bid" in body

    assert await deliver_pending(host="127.0.0.1", port=port, sender=SENDER) == 0
    assert len(collector.messages) == 2
    assert await Notification.count().where(Notification.emailed_at.is_null()) == 0


async def test_the_same_event_notifies_a_user_once_so_it_is_emailed_once(smtp):
    collector, port = smtp
    user = await make_actor(Role.PROVIDER, email="once@example.org")
    assert await _notify(user.user_id) == 1
    assert await _notify(user.user_id) == 0
    assert await deliver_pending(host="127.0.0.1", port=port, sender=SENDER) == 1
    assert len(collector.messages) == 1


async def test_a_user_without_an_email_address_gets_the_notice_in_the_inbox_only(smtp):
    collector, port = smtp
    silent = await make_actor(Role.PROVIDER, email="")
    reachable = await make_actor(Role.PROVIDER, email="reachable@example.org")
    await _notify(silent.user_id, reachable.user_id)
    assert await deliver_pending(host="127.0.0.1", port=port, sender=SENDER) == 1
    assert [message["To"] for message in collector.messages] == ["reachable@example.org"]
    assert await Notification.count().where(Notification.user == silent.user_id) == 1
    assert await deliver_pending(host="127.0.0.1", port=port, sender=SENDER) == 0


async def test_a_notice_the_mail_server_could_not_take_is_sent_when_it_is_back(smtp):
    collector, port = smtp
    user = await make_actor(Role.PROVIDER, email="patient@example.org")
    await _notify(user.user_id)
    assert await deliver_pending(host="127.0.0.1", port=free_port(), sender=SENDER) == 0
    assert await Notification.count().where(Notification.emailed_at.is_null()) == 1
    assert await deliver_pending(host="127.0.0.1", port=port, sender=SENDER) == 0  # not yet: it backs off
    later = datetime.now(UTC) + timedelta(minutes=1, seconds=5)
    assert await deliver_pending(host="127.0.0.1", port=port, sender=SENDER, now=later) == 1
    assert [message["To"] for message in collector.messages] == ["patient@example.org"]


async def test_a_notice_outside_an_operation_is_refused_and_one_rolled_back_never_exists(smtp):
    collector, port = smtp
    user = await make_actor(Role.PROVIDER, email="careful@example.org")
    with pytest.raises(OutsideAnOperation):
        await _make(user.user_id, key="loose")
    with pytest.raises(RuntimeError, match="the work failed"):
        async with write_transaction():
            assert await _make(user.user_id, key="undone") == 1
            raise RuntimeError("the work failed")
    assert await Notification.count() == 0
    assert await deliver_pending(host="127.0.0.1", port=port, sender=SENDER) == 0
    assert await _notify(user.user_id, key="kept") == 1  # the control: inside a committed operation it is kept
    assert await deliver_pending(host="127.0.0.1", port=port, sender=SENDER) == 1
    assert [message["To"] for message in collector.messages] == ["careful@example.org"]


async def test_without_an_smtp_host_nothing_is_sent_and_every_notice_waits(smtp):
    user = await make_actor(Role.PROVIDER, email="waiting@example.org")
    await _notify(user.user_id)
    assert await deliver_pending(host="", port=smtp[1], sender=SENDER) == 0
    assert await Notification.count().where(Notification.emailed_at.is_null()) == 1


async def _remind(now):  # type: ignore[no-untyped-def]
    async with write_transaction():
        return await remind_deadlines(now=now)


async def test_providers_of_a_specification_closing_within_3_days_are_reminded_once_and_emailed(menu, smtp):
    collector, port = smtp
    deal = await b.tender()  # Cardiff North and West; bids close 14 December 2026 at noon
    serving = await b.provider("Serving CIC", "Cardiff North", email="serving@example.org")
    elsewhere = await b.provider("Elsewhere CIC", "Afan", email="elsewhere@example.org")
    pending = await b.provider("Pending CIC", "Cardiff West", status="pending", email="pending@example.org")
    await Notification.delete(force=True)  # the notices of publication, which came before these providers

    assert await _remind(b.DEADLINE - timedelta(days=3, minutes=1)) == 0
    assert await _remind(b.DEADLINE - timedelta(days=2)) == 1
    assert await _remind(b.DEADLINE - timedelta(days=1)) == 0
    assert await _remind(b.DEADLINE) == 0
    reminded = await Notification.select(Notification.user, Notification.kind, Notification.link)
    assert reminded == [{"user": serving.user_id, "kind": "deadline_soon", "link": f"/specifications/{deal.id}"}]
    assert elsewhere.user_id not in {row["user"] for row in reminded}
    assert pending.user_id not in {row["user"] for row in reminded}

    assert await deliver_pending(host="127.0.0.1", port=port, sender=SENDER) == 1
    (message,) = collector.messages
    assert message["To"] == "serving@example.org"
    assert message["Subject"] == f"Bids close in 3 days: {deal.spec.title}"
    assert "14 December 2026 at 12:00" in message.get_content()


async def test_a_notice_gives_its_times_in_uk_time_in_words_in_the_readers_language():
    """Issue 10 bug 5: a deadline in British Summer Time read as UTC, and in the Welsh inbox as an English date."""

    from core.i18n import current_language
    from notifications.queries import list_notifications

    welsh = await make_actor(Role.PROVIDER, language="cy")
    summer = datetime(2027, 6, 14, 11, 0, tzinfo=UTC)
    async with write_transaction():
        await notify(
            user_ids=[welsh.user_id],
            kind="deadline_soon",
            key="summer",
            params={"title": TITLE, "reference": "CAR-2027-001", "deadline": summer},
            localise={"cy": {"title": TITLE_CY}},
            link="/",
            now=datetime.now(UTC),
        )
    (stored,) = await Notification.select(Notification.body)
    assert "14 Mehefin 2027 am 12:00" in stored["body"]
    for language, expected in (("en", "14 June 2027 at 12:00"), ("cy", "14 Mehefin 2027 am 12:00")):
        token = current_language.set(language)
        try:
            (shown,) = (await list_notifications(actor=welsh)).items
        finally:
            current_language.reset(token)
        assert expected in shown.body, language
        assert "11:00" not in shown.body
