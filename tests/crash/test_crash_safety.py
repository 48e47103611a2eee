"""Crash safety (issue 16, item 2): the app or the bulk generator killed with SIGKILL in the middle of writes loses
nothing a client saw acknowledged and leaves nothing half-applied.

Each test starts a real process on the test database, kills it part-way, then restarts the app (or reruns the
generator) and checks: every write answered 2xx is there, as the last acknowledged request or a later one sent
before the kill left it; every invariant holds (`api.scale.check.check_invariants`, the one an operator runs as
`cdv check`); and the real `cdv check` and `cdv audit verify` commands exit 0.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.scale.check import check_invariants
from api.scale.generate import generate
from api.scale.profiles import PROFILES
from commissioning.services import bids
from commissioning.tables import Bid, BidAttachment, BidPrice
from contracts.tables import Contract
from core.clock import SYSTEM_CLOCK
from tests import bidding_support as bs
from tests import returns_support_submission as rs
from tests.api.returns.test_submission_api import _expected, _filled_csv, _good_values, _saved
from tests.conftest import PASSWORD
from tests.races.processes import _SERVE, ROOT, App, _start, _stop, _wait_until_answering

pytestmark = pytest.mark.races

ACKNOWLEDGED_BEFORE_KILL = 12
"""Writes answered 2xx before the kill: enough that others are in flight when it comes, few enough to stay quick."""


def _kill(app: App) -> None:
    app.process.send_signal(signal.SIGKILL)
    app.process.wait()


def _cdv(*commands: tuple[str, ...]) -> list[tuple[int, str]]:
    """`cdv` commands as an operator runs them, on the test database (the environment carries DATABASE_URL or the
    SQLite file), side by side: each is mostly a cold import. Their exit codes and output, in order."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CDV_TEST_PARENT_PID": str(os.getpid())}
    running = [
        subprocess.Popen(
            [sys.executable, "-c", _SERVE, *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for args in commands
    ]
    return [(process.wait(timeout=120), process.communicate()[0]) for process in running]


async def _assert_whole() -> None:
    """Nothing half-applied: the invariants hold in-process and by the operator's commands."""
    assert await check_invariants() == []
    for code, output in _cdv(("check",), ("audit", "verify")):
        assert code == 0, output


async def _token(app: App, username: str) -> str:
    async with httpx.AsyncClient(base_url=app.url, timeout=30) as http:
        answer = await http.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["access_token"])


async def _until_killed(app: App, acknowledged: asyncio.Event, writers: list[Any]) -> None:
    """Run the writers together; SIGKILL the app once enough writes were acknowledged, while the rest are in
    flight. A writer stops at its first unanswered request."""
    tasks = [asyncio.create_task(writer) for writer in writers]
    try:
        await asyncio.wait_for(acknowledged.wait(), timeout=60)
    finally:
        _kill(app)
        await asyncio.gather(*tasks, return_exceptions=True)


@pytest.fixture
def apps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`apps()` starts a `cdv serve` on the test database; every one started is stopped after the test. Bid
    documents go to a folder of the test's own, in the app and in the checker alike."""
    folder = tmp_path / "attachments"
    monkeypatch.setenv("CDV_ATTACHMENT_DIR", str(folder))
    monkeypatch.setattr(bids, "ATTACHMENT_DIR", folder)
    secret = secrets.token_urlsafe(32)
    started: list[App] = []

    def start() -> App:
        app = _start(tmp_path, len(started), secret)
        started.append(app)
        _wait_until_answering([app])
        return app

    yield start
    for app in started:
        _stop(app.process)


# --- The bulk generator ---

_KILLED_GENERATOR = """
import asyncio, os, signal
from datetime import UTC, datetime
from api.scale import bulk
from api.scale.generate import generate
from api.scale.profiles import PROFILES
from core.db import engine, is_postgres

write = bulk.BulkWriter._write

async def _write(self, name):
    if name == "contract_year":  # the contracts' own batch is sent; their years' is next
        os.kill(os.getpid(), signal.SIGKILL)
    await write(self, name)

bulk.BulkWriter._write = _write

async def main():
    if is_postgres():
        await engine().start_connection_pool(min_size=1, max_size=2)
    await generate(PROFILES["tiny"], now=datetime.now(UTC))

asyncio.run(main())
"""


async def test_the_bulk_generator_killed_between_contracts_and_their_years_leaves_nothing_and_runs_again(menu):
    """Before issue 16 each batch committed on its own: killed here, 30 contracts stood without a year of money."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_GENERATOR], cwd=ROOT, env=env, capture_output=True, timeout=120
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode(errors="replace")[-2000:]
    await _assert_whole()
    assert await Contract.count().where(Contract.reference.like("SCALE-TINY-%")) == 0

    await generate(PROFILES["tiny"], now=SYSTEM_CLOCK.now())
    assert await Contract.count().where(Contract.reference.like("SCALE-TINY-%")) == 30
    assert await check_invariants() == []


# --- A burst of bids and their documents ---


@dataclass
class BidRun:
    """What one provider sent, in order, and how far it was acknowledged."""

    token: str
    prices: list[int] = field(default_factory=list)
    acknowledged_price: int = -1  # index into prices
    bid_id: str = ""
    documents: dict[str, int] = field(default_factory=dict)  # acknowledged: digest -> size


def _document(provider: int, n: int) -> bytes:
    """A PDF of about 200 KB, its own for each provider and upload, so that a kill may come mid-file."""
    return b"%PDF-1.4\n" + f"provider {provider} document {n}\n".encode() + os.urandom(200_000) + b"\n%%EOF\n"


async def _bidder(app: App, deal: bs.Tender, number: int, run: BidRun, counter: list[int], enough: asyncio.Event):
    async with httpx.AsyncClient(
        base_url=app.url, timeout=30, headers={"authorization": f"Bearer {run.token}"}
    ) as http:

        def acknowledged() -> None:
            counter[0] += 1
            if counter[0] >= ACKNOWLEDGED_BEFORE_KILL:
                enough.set()

        try:
            run.prices.append(60_000_00 + number)
            body = bs.bid_in(run.prices[-1])
            answer = await http.post(f"/api/v1/specifications/{deal.id}/bids", json=_json(body))
            assert answer.status_code == 201, answer.text
            run.bid_id, run.acknowledged_price = answer.json()["id"], 0
            acknowledged()
            for n in range(20):
                content = _document(number, n)
                files = {"file": (f"method-{n}.pdf", content, "application/pdf")}
                answer = await http.post(f"/api/v1/bids/{run.bid_id}/attachments", files=files)
                assert answer.status_code == 201, answer.text
                run.documents[hashlib.sha256(content).hexdigest()] = len(content)
                acknowledged()
                run.prices.append(run.prices[-1] + 100)
                answer = await http.put(f"/api/v1/bids/{run.bid_id}", json=_json(bs.bid_in(run.prices[-1])))
                assert answer.status_code == 200, answer.text
                run.acknowledged_price = len(run.prices) - 1
                acknowledged()
        except httpx.TransportError:
            return  # the app was killed


def _json(value: Any) -> Any:
    import msgspec

    return msgspec.to_builtins(value)


async def test_an_attachment_cut_short_on_disk_by_a_kill_is_written_whole_when_sent_again(apps, menu):
    """A kill mid-write left a partial file under the document's digest; before issue 16 the same document sent again
    was taken as stored, and its bid named a file cut short (cdv check: "a bid attachment's file is missing or cut
    short")."""
    deal = await bs.tender()
    alpha = await bs.provider("Alpha Care CIC")
    bid_id = await bs.bid(alpha, deal, 70_000_00)
    content = _document(0, 0)
    digest = hashlib.sha256(content).hexdigest()
    bids.ATTACHMENT_DIR.mkdir(parents=True)
    (bids.ATTACHMENT_DIR / digest).write_bytes(content[:4096])
    await bids.add_attachment(actor=alpha, bid_id=bid_id, filename="method.pdf", content=content, now=bs.BEFORE)
    assert bids.attachment_bytes(digest) == content
    assert await check_invariants() == []
    (bids.ATTACHMENT_DIR / digest).write_bytes(content[:4096])  # the negative control: the checker sees it
    assert [p for p in await check_invariants() if "cut short" in p]


# --- Delivery return uploads ---


async def _uploader(
    app: App,
    return_id: int,
    values: dict[str, str],
    token: str,
    sent: list[int],
    acked: list[int],
    counter: list[int],
    enough: asyncio.Event,
) -> None:
    headers = {"authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=app.url, timeout=30, headers=headers) as http:
        try:
            template = await http.get(f"/api/v1/returns/{return_id}/template.csv")
            assert template.status_code == 200, template.text
            for n in range(40):
                spend = 20_000_00 + n
                upload = _filled_csv(template.content, {**values, "spend": f"{spend / 100:.2f}"})
                sent.append(spend)
                files = {"file": ("return.csv", upload, "text/csv")}
                answer = await http.post(f"/api/v1/returns/{return_id}/upload", files=files)
                assert answer.status_code == 200, answer.text
                acked.append(spend)
                counter[0] += 1
                if counter[0] >= ACKNOWLEDGED_BEFORE_KILL:
                    enough.set()
        except httpx.TransportError:
            return


async def test_bids_documents_and_return_uploads_killed_part_way_keep_every_acknowledged_write_whole(apps, menu):
    deal = await bs.tender()
    settings = [await rs.setting(second=True), await rs.setting(second=True)]  # on the tender's budget line
    await bs.move_clock(bs.BEFORE)  # the tender is open; the returns' quarter is long over either way
    bidders = [await bs.provider(f"Crash Care {n} CIC") for n in range(4)]
    reporters = [await rs.provider(s) for s in settings]
    app = apps()
    runs = [BidRun(token=await _token(app, p.username)) for p in bidders]
    tokens = [await _token(app, p.username) for p in reporters]
    sent: list[list[int]] = [[], []]
    acked: list[list[int]] = [[], []]
    counter, enough = [0], asyncio.Event()
    writers = [_bidder(app, deal, n, run, counter, enough) for n, run in enumerate(runs)] + [
        _uploader(app, s.return_id, _good_values(s), token, sent[i], acked[i], counter, enough)
        for i, (s, token) in enumerate(zip(settings, tokens, strict=True))
    ]
    await _until_killed(app, enough, writers)
    assert counter[0] >= ACKNOWLEDGED_BEFORE_KILL

    again = apps()
    async with httpx.AsyncClient(base_url=again.url, timeout=30) as http:
        for run in runs:
            if not run.bid_id:
                continue  # never acknowledged: it may or may not be there, and either is whole
            answer = await http.get(f"/api/v1/bids/{run.bid_id}", headers={"authorization": f"Bearer {run.token}"})
            assert answer.status_code == 200, answer.text
            assert answer.json()["status"] == "submitted"
            row = await Bid.select(Bid.id).where(Bid.public_id == run.bid_id).first()
            stored = await BidPrice.select(BidPrice.price_pence).where(BidPrice.bid == row["id"])
            assert [p["price_pence"] for p in stored] in [[p] for p in run.prices[run.acknowledged_price :]]
            attached = await BidAttachment.select(BidAttachment.sha256).where(BidAttachment.bid == row["id"])
            assert set(run.documents) <= {a["sha256"] for a in attached}
            for digest in run.documents:
                assert hashlib.sha256((bids.ATTACHMENT_DIR / digest).read_bytes()).hexdigest() == digest
        for i, s in enumerate(settings):
            answer = await http.get(f"/api/v1/returns/{s.return_id}", headers={"authorization": f"Bearer {tokens[i]}"})
            assert answer.status_code == 200, answer.text
            if not acked[i]:
                continue
            saved = await _saved(s.return_id)
            assert saved["spend_pence"] in sent[i][sent[i].index(acked[i][-1]) :]
            assert saved == _expected(s) | {"spend_pence": saved["spend_pence"]}  # every figure, not some
    await _assert_whole()
