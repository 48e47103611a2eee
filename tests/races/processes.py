"""Real app processes on the test database, for races no single process can show (issues 11 and 16).

Races run in one process share its caches, its connection pool and its event loop; app processes share only the
database, as two servers (or two uvicorn workers) do in production. `two_apps` starts them once per session (a cold
start costs seconds) on the database tests/conftest.py migrated, on free ports of 127.0.0.1, and stops them after the
session's last test, passed or failed: on PostgreSQL two `cdv serve` processes (the same DATABASE_URL); on SQLite
one `cdv serve --workers 2` (two uvicorn workers on the test's file, CDV_SQLITE_PATH), where only the file's lock
and its busy timeout keep the workers' writes apart. The same test runs on both.

    pytestmark = pytest.mark.races

    async def test_...(two_apps):
        ...seed with factories and the services (real commits)...
        await two_apps.settle()                     # both processes see what was just written
        token = await two_apps.token(actor.username)
        answers = await two_apps.at_once([Call("POST", "/api/v1/...", token, json=...)] * 20)

`at_once` sends the calls together, the first to one process, the second to the other, and so on (on SQLite each
call to the one port, which the kernel hands to either worker); `assert_no_server_errors` then looks for a 5xx, a
"database is locked" or a traceback in the answers and in the processes' output.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.cache import DEFAULT_TTL_SECONDS
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60.0  # two cold imports of the app on a busy two-core machine
STOP_SECONDS = 10.0
SQLITE_WORKERS = 2
STARTED = "Application startup complete."  # uvicorn's line, once per worker
_RUNNING: set[subprocess.Popen[bytes]] = set()
# `cdv serve` (api.cli.main), told first by Linux to stop when pytest ends, however it ends (a timeout's SIGTERM, a
# SIGKILL), where neither the fixture's teardown nor atexit would run; gone at once if pytest already has.
_SERVE = """
import ctypes, os, signal, sys
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
except (AttributeError, OSError):
    pass  # not Linux: the fixture's teardown and atexit still stop it
if os.getppid() != int(os.environ["CDV_TEST_PARENT_PID"]):
    sys.exit(1)
from api.cli import main
sys.exit(main(sys.argv[1:]))
"""


async def cdv(*args: str, **env: str) -> tuple[int, str]:
    """One `cdv` command as an operator runs it (a process of its own, on the test database unless `env` says
    otherwise): its exit code and what it printed."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "import sys; from api.cli import main; sys.exit(main(sys.argv[1:]))",
        *args,
        cwd=ROOT,
        env={**os.environ, "CDV_ENV": "test", "PYTHONPATH": str(ROOT), **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    return int(process.returncode or 0), out.decode()


def conflict(answer: httpx.Response) -> dict[str, Any]:
    """A 409 answered as problem details (RFC 9457): the problem, for its detail to be read."""
    assert answer.status_code == 409, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json"), answer.text
    problem = answer.json()
    assert problem["status"] == 409, problem
    return dict(problem)


@dataclass(frozen=True)
class Call:
    """One request of a burst: its method, path, bearer token and JSON body."""

    method: str
    path: str
    token: str
    json: Any = None


@dataclass
class App:
    """One `cdv serve` process."""

    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def log_tail(self, characters: int = 3000) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.url} (pid {self.process.pid}) ---\n{text[-characters:]}"


@dataclass
class TwoApps:
    """Two app processes: two `cdv serve` on PostgreSQL, or one `cdv serve --workers 2` on SQLite (`apps` has one)."""

    apps: tuple[App, ...]
    since: dict[Path, int] = field(default_factory=dict)  # each log's length when the last burst began

    @property
    def urls(self) -> tuple[str, str]:
        return self.apps[0].url, self.apps[-1].url

    def logs(self) -> str:
        """The processes' recent output, for an assertion's message: a 500's traceback is there."""
        return "\n".join(app.log_tail() for app in self.apps)

    def output(self) -> str:
        """What the processes have written since the last burst began."""
        return "".join(
            app.log.read_bytes()[self.since.get(app.log, 0) :].decode(errors="replace")
            for app in self.apps
            if app.log.exists()
        )

    def assert_no_server_errors(self, answers: Sequence[httpx.Response]) -> None:
        """No 5xx and no lock error anywhere: not in an answer, not in any process's output since the burst began."""
        assert all(answer.status_code < 500 for answer in answers), self.logs()
        assert not any("database is locked" in answer.text for answer in answers)
        output = self.output()
        assert "database is locked" not in output, self.logs()
        assert "Traceback" not in output, self.logs()

    async def settle(self) -> None:
        """Wait until both processes read afresh what the test has just written (the training clock, a token's user,
        the menu): another process's in-process caches (core/cache.py) keep a read for at most this long."""
        await asyncio.sleep(DEFAULT_TTL_SECONDS + 0.2)

    async def token(self, username: str, password: str = PASSWORD) -> str:
        """A bearer token as a client gets one: POST /api/v1/auth/token (to the first process; both accept it)."""
        async with httpx.AsyncClient(base_url=self.apps[0].url, timeout=30) as http:
            answer = await http.post("/api/v1/auth/token", json={"username": username, "password": password})
        assert answer.status_code == 201, answer.text
        return str(answer.json()["access_token"])

    async def at_once(self, calls: Sequence[Call]) -> list[httpx.Response]:
        """Send every call at the same moment, alternating between the two processes; the answers in call order."""
        limits = httpx.Limits(max_connections=len(calls), max_keepalive_connections=len(calls))
        clients = [httpx.AsyncClient(base_url=url, timeout=60, limits=limits) for url in self.urls]
        self.since = {app.log: app.log.stat().st_size for app in self.apps if app.log.exists()}
        try:
            start = asyncio.Event()

            async def send(index: int, call: Call) -> httpx.Response:
                await start.wait()
                return await clients[index % 2].request(
                    call.method, call.path, json=call.json, headers={"authorization": f"Bearer {call.token}"}
                )

            tasks = [asyncio.create_task(send(index, call)) for index, call in enumerate(calls)]
            await asyncio.sleep(0)  # every task waits at the gate before any is let through
            start.set()
            return list(await asyncio.gather(*tasks))
        finally:
            for http in clients:
                await http.aclose()


def statuses(answers: Sequence[httpx.Response]) -> dict[int, int]:
    """How many answers had each status code."""
    return dict(sorted(Counter(answer.status_code for answer in answers).items()))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(log_dir: Path, index: int, secret: str, workers: int = 1) -> App:
    """`cdv serve` as a deployment runs it, on 127.0.0.1 (where nobody else can reach it), with its own private secret
    shared by all processes (api/settings.py refuses the published one anywhere but 127.0.0.1 in development)."""
    port = _free_port()
    log = log_dir / f"app-{index}.log"
    env = {**os.environ, "CDV_ENV": "test", "CDV_SECRET": secret, "PYTHONPATH": str(ROOT)}
    env["CDV_TEST_PARENT_PID"] = str(os.getpid())
    command = [sys.executable, "-c", _SERVE, "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers)]
    with log.open("wb") as output:
        # Its own process group, so a Ctrl-C at the terminal reaches pytest, which then stops it in order.
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    _RUNNING.add(process)
    return App(url=f"http://127.0.0.1:{port}", log=log, process=process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate (uvicorn finishes its requests and closes its pool), wait, and kill it if it will not go."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    _RUNNING.discard(process)


@atexit.register
def _stop_all() -> None:
    """A last resort when pytest exits without tearing the fixture down (an internal error): no process outlives it."""
    for process in list(_RUNNING):
        _stop(process)


def _wait_until_answering(apps: Sequence[App], workers: int = 1) -> None:
    """Until each process answers HTTP and every worker has started: uvicorn's supervisor listens before its workers
    have imported the app, and a burst that one worker took alone would race nothing."""
    deadline = time.monotonic() + STARTUP_SECONDS
    waiting = list(apps)
    while waiting:
        for app in list(waiting):
            if app.process.poll() is not None:
                pytest.fail(f"an app process exited with {app.process.returncode}:\n{app.log_tail()}", pytrace=False)
            try:
                httpx.get(app.url + "/api/v1/me", timeout=2)  # 401 is an answer: the app is up
                if app.log.read_text(errors="replace").count(STARTED) >= workers:
                    waiting.remove(app)
            except httpx.TransportError:
                pass
        if waiting and time.monotonic() > deadline:
            tails = "\n".join(app.log_tail() for app in waiting)
            pytest.fail(f"no answer within {STARTUP_SECONDS:.0f} s:\n{tails}", pytrace=False)
        if waiting:
            time.sleep(0.2)


@pytest.fixture(scope="session")
def two_apps(database: None) -> Iterator[TwoApps]:
    """Two app processes on the test database (after tests/conftest.py has migrated it), for the session: two
    `cdv serve` on PostgreSQL, one `cdv serve --workers 2` on SQLite's file."""
    on_postgresql = bool(os.environ.get("DATABASE_URL"))
    log_dir = Path(tempfile.mkdtemp(prefix="cdv-two-apps-"))
    secret = secrets.token_urlsafe(32)
    workers = 1 if on_postgresql else SQLITE_WORKERS
    started: list[App] = []
    try:
        for index in range(2 if on_postgresql else 1):
            started.append(_start(log_dir, index, secret, workers))
        _wait_until_answering(started, workers)
        yield TwoApps(apps=tuple(started))
    finally:
        for app in started:
            _stop(app.process)
        shutil.rmtree(log_dir, ignore_errors=True)
