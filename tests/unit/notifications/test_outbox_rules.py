"""The outbox's back-off and statuses as plain values."""

import smtplib
from datetime import UTC, datetime, timedelta

from notifications.rules import MAX_ATTEMPTS, OutboxStatus, next_attempt_at, outbox_status, short_error

FAILED_AT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_the_wait_doubles_from_a_minute_up_to_two_hours_then_the_notice_is_held():
    waits = [next_attempt_at(attempts=n, failed_at=FAILED_AT) for n in range(1, MAX_ATTEMPTS + 1)]
    minutes = [(when - FAILED_AT) / timedelta(minutes=1) for when in waits if when is not None]
    assert minutes == [1, 2, 4, 8, 16, 32, 64, 120, 120]
    assert waits[-1] is None  # the last attempt failed: held for an operator


def test_a_notice_is_waiting_failing_held_sent_or_inbox_only():
    assert outbox_status(emailed=True, scheduled=False, failed=True) == OutboxStatus.SENT
    assert outbox_status(emailed=False, scheduled=True, failed=False) == OutboxStatus.WAITING
    assert outbox_status(emailed=False, scheduled=True, failed=True) == OutboxStatus.FAILING
    assert outbox_status(emailed=False, scheduled=False, failed=True) == OutboxStatus.HELD
    assert outbox_status(emailed=False, scheduled=False, failed=False) == OutboxStatus.INBOX_ONLY


def test_an_error_is_kept_short_on_one_line_with_its_kind():
    error = smtplib.SMTPDataError(550, b"Mailbox\n unavailable " + b"x" * 500)
    kept = short_error(error)
    assert kept.startswith("SMTPDataError: (550, ") and "\n" not in kept and len(kept) == 300
    assert short_error(ConnectionRefusedError()) == "ConnectionRefusedError: no detail"
