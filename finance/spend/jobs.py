"""Export jobs (issue 14, item 3): a finance pack or spend workbook too large to make within a request is prepared by
an asyncio task started in the process that took the request, and offered to the person who asked once done.

The job is a row (finance.tables.ExportJob). A run claims it with one UPDATE that only a queued job, or a running one
whose run has been silent past the timeout, satisfies (finance.rules.is_export_claimable), so two processes never run
the same job and a job left by a dead process is taken over when its owner next looks. Each write of a run names its
claim, so a run that was taken over writes nothing more. Jobs are not the ledger's state: like sign-ins, they are
written in a transaction of their own without an audit event (the house audits no download either). Only their owner
reads one; anyone else, and an expired one, is answered as absent."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import msgspec

from accounts.actor import Actor
from accounts.queries import actor_for_user
from audit.operation import operation
from core.db import write_transaction
from core.errors import NotFound
from core.i18n import N_, current_language, gettext, time_in_words
from finance import rules
from finance.exports import XLSX_TYPE
from finance.rules import ExportStatus
from finance.spend import exports, pack
from finance.spend.queries import spend_report
from finance.spend.schemas import SpendFilterIn
from finance.spend.sql import line_conditions
from finance.tables import BudgetLine, ExportJob

log = logging.getLogger(__name__)

PACK = "finance_pack"
WORKBOOK = "spend_workbook"
KIND_NAMES = {PACK: N_("Finance pack (PDF)"), WORKBOOK: N_("Spend report (Excel)")}
MEDIA_TYPES = {PACK: "application/pdf", WORKBOOK: XLSX_TYPE}

Progress = Callable[[int], Awaitable[None]]


def background_threshold() -> int:
    """CDV_EXPORT_BACKGROUND_LINES: budget lines from which a file is prepared in the background (0: always)."""
    try:
        return max(0, int(os.environ.get("CDV_EXPORT_BACKGROUND_LINES", rules.EXPORT_BACKGROUND_LINES)))
    except ValueError:
        return rules.EXPORT_BACKGROUND_LINES


async def runs_in_background(*, actor: Actor, filters: SpendFilterIn) -> bool:
    """Counts the budget lines the report reads (one COUNT, scoped as the report is)."""
    query = BudgetLine.count()
    for condition in line_conditions(actor, filters):
        query = query.where(condition)
    return rules.runs_in_background(await query, background_threshold())


# What each kind of job makes: the file's bytes and its name, from the filters and the moment it was asked for.


class Asked(msgspec.Struct, kw_only=True):
    """What a job was asked for: the spend page's filters, the filters in words (for the workbook's About sheet) and
    the web page twin's address (printed at the end of the pack)."""

    filters: SpendFilterIn
    about: list[tuple[str, str]] = []
    address: str = ""


async def make_pack(actor: Actor, asked: Asked, now: datetime, progress: Progress) -> tuple[bytes, str]:
    """The reports are read on the event loop; the PDF is drawn in a thread (in the same context, so in the same
    language), leaving the process free to answer requests meanwhile."""
    found = await pack.finance_pack(actor=actor, filters=asked.filters, now=now, progress=progress)
    content = await asyncio.to_thread(pack.pack_pdf, found, address=asked.address)
    return content, pack.pack_file_name(now)


async def make_workbook(actor: Actor, asked: Asked, now: datetime, progress: Progress) -> tuple[bytes, str]:
    """A sheet per grouping asked for: for two, the pair, then each alone (as the page's download)."""
    filters = asked.filters
    groupings = [filters.group_by] + ([[name] for name in filters.group_by] if len(filters.group_by) == 2 else [])
    reports = []
    for done, grouping in enumerate(groupings, start=1):
        reports.append(await spend_report(actor=actor, filters=msgspec.structs.replace(filters, group_by=grouping)))
        await progress(int(80 * done / len(groupings)))
    content = await asyncio.to_thread(exports.spend_xlsx, reports, now, current_language.get(), asked.about)
    return content, exports.spend_file_name("xlsx", now)


MAKERS: dict[str, Callable[[Actor, Asked, datetime, Progress], Awaitable[tuple[bytes, str]]]] = {
    PACK: make_pack,
    WORKBOOK: make_workbook,
}


async def no_progress(_: int) -> None:
    """For a file made within the request."""


# Writes.


async def sweep_export_jobs(*, now: datetime) -> None:
    """Jobs and their files are kept a day."""
    async with write_transaction():
        await ExportJob.delete().where(ExportJob.expires_at <= now)


async def create_export_job(*, actor: Actor, kind: str, asked: Asked, now: datetime) -> int:
    """A queued job for the actor, in the reader's language; older jobs are swept on the way. Asking is a change of
    state like any other: audited, with who asked for which file."""
    if actor.user_id is None or kind not in MAKERS:
        raise NotFound("No such file")
    await sweep_export_jobs(now=now)
    async with operation("finance_export.requested", actor=actor, now=now) as op:
        rows = await ExportJob.insert(
            ExportJob(
                owner=actor.user_id,
                kind=kind,
                parameters=msgspec.json.encode(asked).decode(),
                language=current_language.get(),
                status=ExportStatus.QUEUED.value,
                created_at=now,
                expires_at=now + rules.EXPORT_KEPT,
            )
        ).returning(ExportJob.id)
        job_id = int(rows[0]["id"])
        op.record("ExportJob", job_id, before={}, after={"kind": kind})
    return job_id


def _claimable(now: datetime) -> Any:
    """finance.rules.is_export_claimable as a condition, so the claim is one UPDATE that two runs cannot both win."""
    stale = now - rules.EXPORT_STALE_AFTER
    return (ExportJob.attempts < rules.EXPORT_ATTEMPTS) & (
        (ExportJob.status == ExportStatus.QUEUED.value)
        | ((ExportJob.status == ExportStatus.RUNNING.value) & (ExportJob.claimed_at <= stale))
    )


async def claim_export_job(job_id: int, *, now: datetime) -> str | None:
    """The claim of a new run on the job, or None when another run has it (or it is finished)."""
    claim = secrets.token_hex(16)
    async with write_transaction():
        taken = (
            await ExportJob.update(
                {
                    ExportJob.status: ExportStatus.RUNNING.value,
                    ExportJob.claim: claim,
                    ExportJob.claimed_at: now,
                    ExportJob.attempts: ExportJob.attempts + 1,
                    ExportJob.progress: 0,
                }
            )
            .where((ExportJob.id == job_id) & _claimable(now))
            .returning(ExportJob.id)
        )
    return claim if taken else None


async def _write(job_id: int, claim: str, values: dict[Any, Any]) -> bool:
    async with write_transaction():
        written = (
            await ExportJob.update(values)
            .where(
                (ExportJob.id == job_id) & (ExportJob.claim == claim) & (ExportJob.status == ExportStatus.RUNNING.value)
            )
            .returning(ExportJob.id)
        )
    return bool(written)


async def run_export_job(job_id: int) -> None:
    """Claim the job, make its file as its owner in their language, writing progress as it goes, and keep the file;
    a failure is recorded as such (and logged), never left running."""
    claim = await claim_export_job(job_id, now=datetime.now(UTC))
    if claim is None:
        return
    job = (
        await ExportJob.select(
            ExportJob.owner, ExportJob.kind, ExportJob.parameters, ExportJob.language, ExportJob.created_at
        )
        .where(ExportJob.id == job_id)
        .first()
    )
    if job is None:
        return
    language = current_language.set(job["language"])
    try:
        actor = await actor_for_user(int(job["owner"]))
        if actor is None:
            raise NotFound("No such file")
        asked = msgspec.json.decode(job["parameters"], type=Asked)

        async def progress(percent: int) -> None:
            await _write(job_id, claim, {ExportJob.progress: min(99, percent), ExportJob.claimed_at: datetime.now(UTC)})

        content, name = await MAKERS[job["kind"]](actor, asked, job["created_at"], progress)
        await _write(
            job_id,
            claim,
            {
                ExportJob.status: ExportStatus.DONE.value,
                ExportJob.progress: 100,
                ExportJob.content: content,
                ExportJob.file_name: name,
                ExportJob.finished_at: datetime.now(UTC),
            },
        )
    except Exception:
        log.exception("export job %s failed", job_id)
        await _write(
            job_id, claim, {ExportJob.status: ExportStatus.FAILED.value, ExportJob.finished_at: datetime.now(UTC)}
        )
    finally:
        current_language.reset(language)


_running: set[asyncio.Task[None]] = set()


def start_export_job(job_id: int) -> None:
    """Run the job in this process, beside the requests it serves; the claim decides whether it does any work."""
    task = asyncio.create_task(run_export_job(job_id))
    _running.add(task)
    task.add_done_callback(_running.discard)


async def wait_for_export_jobs() -> None:
    """Until every job this process started has ended (tests, and a clean shutdown)."""
    while _running:
        await asyncio.gather(*list(_running), return_exceptions=True)


# Reads: the owner's only.


class ExportJobOut(msgspec.Struct, kw_only=True):
    id: int
    kind_label: str
    status: ExportStatus
    status_label: str
    progress: int
    asked_at: str  # in words, in the reader's language
    ready: bool  # the file can be downloaded
    finished: bool  # nothing more will happen: the page stops refreshing
    needs_a_run: bool  # queued, or its run has been silent too long: the page starts one
    file_name: str
    file_href: str


def _scope(actor: Actor, now: datetime) -> Any:
    """A job is its owner's alone, and only until it expires."""
    return (ExportJob.owner == (actor.user_id or 0)) & (ExportJob.expires_at > now)


async def get_export_job(*, actor: Actor, job_id: int, now: datetime) -> ExportJobOut:
    row = (
        await ExportJob.select(
            ExportJob.id,
            ExportJob.kind,
            ExportJob.status,
            ExportJob.progress,
            ExportJob.claimed_at,
            ExportJob.attempts,
            ExportJob.created_at,
            ExportJob.file_name,
        )
        .where((ExportJob.id == job_id) & _scope(actor, now))
        .first()
    )
    if row is None:
        raise NotFound("No such file")
    stored = ExportStatus(row["status"])
    live = datetime.now(UTC)
    status = rules.shown_export_status(stored, row["claimed_at"], row["attempts"], live)
    return ExportJobOut(
        id=row["id"],
        kind_label=gettext(KIND_NAMES.get(row["kind"], N_("File"))),
        status=status,
        status_label=gettext(status.label),
        progress=100 if status is ExportStatus.DONE else int(row["progress"]),
        asked_at=time_in_words(row["created_at"], current_language.get()),
        ready=status is ExportStatus.DONE,
        finished=status in (ExportStatus.DONE, ExportStatus.FAILED),
        needs_a_run=rules.is_export_claimable(stored, row["claimed_at"], row["attempts"], live),
        file_name=row["file_name"],
        file_href=f"/finance/exports/{row['id']}/file",
    )


async def export_file(*, actor: Actor, job_id: int, now: datetime) -> tuple[bytes, str, str]:
    """The finished file, its name and media type; absent until done."""
    row = (
        await ExportJob.select(ExportJob.kind, ExportJob.content, ExportJob.file_name)
        .where((ExportJob.id == job_id) & _scope(actor, now) & (ExportJob.status == ExportStatus.DONE.value))
        .first()
    )
    if row is None or row["content"] is None:
        raise NotFound("No such file")
    return bytes(row["content"]), row["file_name"], MEDIA_TYPES[row["kind"]]
