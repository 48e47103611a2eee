"""When an export job may be run, and what its owner is told (finance/rules.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from finance.rules import (
    EXPORT_ATTEMPTS,
    EXPORT_STALE_AFTER,
    ExportStatus,
    is_export_claimable,
    runs_in_background,
    shown_export_status,
)

NOW = datetime(2027, 9, 1, 10, 0, tzinfo=UTC)
FRESH = NOW - EXPORT_STALE_AFTER + timedelta(seconds=1)
STALE = NOW - EXPORT_STALE_AFTER


def test_a_queued_job_is_claimable_until_its_attempts_run_out():
    assert is_export_claimable(ExportStatus.QUEUED, None, 0, NOW)
    assert is_export_claimable(ExportStatus.QUEUED, None, EXPORT_ATTEMPTS - 1, NOW)
    assert not is_export_claimable(ExportStatus.QUEUED, None, EXPORT_ATTEMPTS, NOW)


def test_a_running_job_is_taken_over_only_once_its_run_has_been_silent_past_the_timeout():
    assert not is_export_claimable(ExportStatus.RUNNING, FRESH, 1, NOW)
    assert is_export_claimable(ExportStatus.RUNNING, STALE, 1, NOW)
    assert is_export_claimable(ExportStatus.RUNNING, None, 1, NOW)
    assert not is_export_claimable(ExportStatus.RUNNING, STALE, EXPORT_ATTEMPTS, NOW)


def test_a_finished_job_is_never_run_again():
    for status in (ExportStatus.DONE, ExportStatus.FAILED):
        assert not is_export_claimable(status, STALE, 0, NOW)


def test_the_owner_is_told_a_job_failed_once_its_last_run_has_died():
    assert shown_export_status(ExportStatus.RUNNING, STALE, EXPORT_ATTEMPTS, NOW) is ExportStatus.FAILED
    assert shown_export_status(ExportStatus.RUNNING, FRESH, EXPORT_ATTEMPTS, NOW) is ExportStatus.RUNNING
    assert shown_export_status(ExportStatus.RUNNING, STALE, EXPORT_ATTEMPTS - 1, NOW) is ExportStatus.RUNNING
    assert shown_export_status(ExportStatus.DONE, STALE, EXPORT_ATTEMPTS, NOW) is ExportStatus.DONE
    assert shown_export_status(ExportStatus.QUEUED, None, EXPORT_ATTEMPTS, NOW) is ExportStatus.FAILED


def test_a_report_runs_in_the_background_from_the_threshold_on():
    assert runs_in_background(2000, 2000) and not runs_in_background(1999, 2000)
    assert runs_in_background(0, 0)
