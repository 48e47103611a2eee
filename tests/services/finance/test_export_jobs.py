"""Export jobs (finance/jobs.py): a job is claimed by one run only, writes its progress and its file, is taken over
when its run dies (until its attempts run out), is seen by its owner alone, and is swept after a day."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from accounts.tables import User
from core.errors import NotFound
from finance import rules
from finance.rules import ExportStatus
from finance.spend import jobs, pack
from finance.spend.schemas import SpendFilterIn
from finance.tables import ExportJob
from tests import spend_support as support
from tests.contracts_support_document import pdf_text
from tests.query_count import count_queries

NOW = datetime(2027, 9, 1, 10, 0, tzinfo=UTC)
ASKED = jobs.Asked(filters=SpendFilterIn(group_by=["cluster"]))


async def _job(actor, kind: str = jobs.PACK, now: datetime = NOW) -> int:
    return await jobs.create_export_job(actor=actor, kind=kind, asked=ASKED, now=now)


async def _row(job_id: int) -> dict:
    row = await ExportJob.select().where(ExportJob.id == job_id).first()
    assert row is not None
    return row


async def test_a_run_claims_the_job_writes_its_progress_and_keeps_the_file_for_its_owner(actor_factory):
    await support.build_spend_world()
    finance = await actor_factory("finance_director")
    job_id = await _job(finance)
    queued = await jobs.get_export_job(actor=finance, job_id=job_id, now=NOW)
    assert (queued.status, queued.progress, queued.ready, queued.needs_a_run) == (ExportStatus.QUEUED, 0, False, True)

    await jobs.run_export_job(job_id)

    row = await _row(job_id)
    assert (row["status"], row["progress"], row["attempts"]) == ("done", 100, 1)
    done = await jobs.get_export_job(actor=finance, job_id=job_id, now=NOW)
    assert done.ready and done.finished and not done.needs_a_run
    content, name, media_type = await jobs.export_file(actor=finance, job_id=job_id, now=NOW)
    assert media_type == "application/pdf" and name == "finance-pack-2027-09-01.pdf"
    assert "Cardiff North" in pdf_text(content) and "CityHealth" not in pdf_text(content)


async def test_two_runs_never_claim_the_same_job(actor_factory):
    finance = await actor_factory("finance_director")
    job_id = await _job(finance)
    first = await jobs.claim_export_job(job_id, now=NOW)
    second = await jobs.claim_export_job(job_id, now=NOW + timedelta(minutes=1))
    assert first is not None and second is None
    assert (await _row(job_id))["attempts"] == 1


async def test_of_many_runs_claiming_at_once_exactly_one_wins(actor_factory):
    finance = await actor_factory("finance_director")
    job_id = await _job(finance)
    claims = await asyncio.gather(*(jobs.claim_export_job(job_id, now=NOW) for _ in range(6)))
    assert len([claim for claim in claims if claim is not None]) == 1
    assert (await _row(job_id))["attempts"] == 1


async def test_a_run_silent_past_the_timeout_is_taken_over_and_the_dead_run_writes_nothing_more(actor_factory):
    finance = await actor_factory("finance_director")
    job_id = await _job(finance)
    dead = await jobs.claim_export_job(job_id, now=NOW)
    assert dead is not None
    later = NOW + rules.EXPORT_STALE_AFTER
    taker = await jobs.claim_export_job(job_id, now=later)
    assert taker is not None and taker != dead
    assert not await jobs._write(job_id, dead, {ExportJob.progress: 50})
    assert await jobs._write(job_id, taker, {ExportJob.progress: 40})
    assert (await _row(job_id))["progress"] == 40


async def test_a_job_whose_runs_all_died_is_shown_as_failed_and_not_run_again(actor_factory):
    finance = await actor_factory("finance_director")
    job_id = await _job(finance)
    await ExportJob.update(
        {
            ExportJob.status: "running",
            ExportJob.attempts: rules.EXPORT_ATTEMPTS,
            ExportJob.claimed_at: datetime.now(UTC) - rules.EXPORT_STALE_AFTER,
        }
    ).where(ExportJob.id == job_id)
    assert await jobs.claim_export_job(job_id, now=datetime.now(UTC)) is None
    shown = await jobs.get_export_job(actor=finance, job_id=job_id, now=NOW)
    assert shown.status is ExportStatus.FAILED and shown.finished and not shown.needs_a_run


async def test_a_job_that_cannot_be_made_is_failed_not_left_running(actor_factory):
    finance = await actor_factory("finance_director")
    job_id = await _job(finance)
    await User.update({User.active: False}).where(User.id == finance.user_id)  # its owner is no longer acting

    await jobs.run_export_job(job_id)

    row = await _row(job_id)
    assert row["status"] == "failed" and row["content"] is None and row["finished_at"] is not None


@pytest.mark.parametrize("other_role", ["finance_director", "national_admin"])
async def test_only_the_owner_sees_a_job_or_its_file(actor_factory, other_role):
    finance = await actor_factory("finance_director")
    other = await actor_factory(other_role)
    job_id = await _job(finance)
    await jobs.run_export_job(job_id)
    with pytest.raises(NotFound):
        await jobs.get_export_job(actor=other, job_id=job_id, now=NOW)
    with pytest.raises(NotFound):
        await jobs.export_file(actor=other, job_id=job_id, now=NOW)
    assert (await jobs.get_export_job(actor=finance, job_id=job_id, now=NOW)).ready


async def test_a_file_is_not_offered_before_it_is_done(actor_factory):
    finance = await actor_factory("finance_director")
    job_id = await _job(finance)
    with pytest.raises(NotFound):
        await jobs.export_file(actor=finance, job_id=job_id, now=NOW)


async def test_jobs_and_files_older_than_a_day_are_swept(actor_factory):
    finance = await actor_factory("finance_director")
    old = await _job(finance, now=NOW - timedelta(days=1, minutes=1))
    recent = await _job(finance, now=NOW - timedelta(hours=23))
    with pytest.raises(NotFound):  # expired: answered as absent even before it is swept
        await jobs.get_export_job(actor=finance, job_id=old, now=NOW)

    await _job(finance, now=NOW)  # asking for a new one sweeps the old

    kept = {row["id"] for row in await ExportJob.select(ExportJob.id)}
    assert old not in kept and recent in kept


async def test_the_workbook_job_makes_the_excel_file(actor_factory):
    await support.build_spend_world()
    finance = await actor_factory("finance_director")
    job_id = await _job(finance, kind=jobs.WORKBOOK)
    await jobs.run_export_job(job_id)
    content, name, media_type = await jobs.export_file(actor=finance, job_id=job_id, now=NOW)
    assert content.startswith(b"PK") and name == "spend-2027-09-01.xlsx" and media_type.endswith(".sheet")


async def test_the_pack_reads_the_same_few_statements_however_many_commitments_and_payments(actor_factory):
    world = await support.build_spend_world()
    finance = await actor_factory("finance_director")
    filters = SpendFilterIn(group_by=["cluster"])
    with count_queries() as few:
        await pack.finance_pack(actor=finance, filters=filters, now=NOW)
    for quarter in (1, 2, 3, 4):
        await support.commit_split(world, "cardiff_27", "weight", {"Cardiff North": 1_00, "Cardiff East": 2_00})
        await support.pay(world, "cardiff_27", "weight", {"Cardiff South West": 1_00}, quarter=quarter, year=2040)
    with count_queries() as many:
        found = await pack.finance_pack(actor=finance, filters=filters, now=NOW)
    assert few.total == many.total <= 5 * 4  # five groupings, at most four statements each
    assert found.by_cluster.totals == found.by_pcpg.totals == found.by_year.totals  # each table adds up alike
