"""schemathesis against the OpenAPI document the app serves, as each role and as nobody (issue 10, 19).

The app runs as `cdv serve` runs it (uvicorn, its own process) on the test database holding the demo data, so its
ids lead somewhere. schemathesis reads /schema/openapi.json and sends each operation generated requests, valid and
invalid, with the bearer token of a demo user of each role, every check on: no 5xx, no status, content type or header
the document does not list, every response conforming to its schema, invalid input refused, valid input not refused
as unreadable (tests/api/schemathesis.toml). Each role gets the operations it may use (tests/access/routes.py);
nobody gets them all (the 401s). A bounded run: 5 examples an operation, seeded, about 60 s on two cores.

To look harder by hand: CDV_SCHEMATHESIS_EXAMPLES=50 CDV_SCHEMATHESIS_PHASES=examples,coverage,fuzzing,stateful
CDV_SCHEMATHESIS_SEED=<any> pytest tests/api/test_schemathesis.py
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from accounts.services.sign_in import token_digest
from accounts.tables import User
from tests import factories
from tests.access.routes import ANONYMOUS, FORBIDDEN, ROUTES, SIGN_IN
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CONFIG = Path(__file__).with_name("schemathesis.toml")
DEMO_USERS = {  # a demo user of each role (api/demo.py)
    "national_admin": "admin",
    "commissioner": "commissioner",
    "evaluator": "evaluator",
    "provider": "provider",
    "finance_director": "finance",
}
EXAMPLES = os.environ.get("CDV_SCHEMATHESIS_EXAMPLES", "5")
PHASES = os.environ.get("CDV_SCHEMATHESIS_PHASES", "examples,fuzzing")
SEED = os.environ.get("CDV_SCHEMATHESIS_SEED", "20261201")
# Operations that end the caller's own token: the rest of the role's run would be signed out. Their refusals and
# answers are tested in tests/api/accounts/test_sign_ins_api.py.
SIGNS_THE_CALLER_OUT = {("DELETE", "/api/v1/me/sign-ins"), ("DELETE", "/api/v1/me/sign-ins/{kind}/{sign_in_id}")}


@dataclass
class LiveApi:
    base_url: str
    tokens: dict[str, str]
    log: Path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _token(username: str) -> str:
    """A bearer token stored as sign-in stores one, without checking the password (tests/api/conftest.py)."""
    user = await User.select(User.id).where(User.username == username).first()
    assert user is not None, username
    token = secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(hours=1)
    await factories.save(factories.ApiTokenFactory(token_hash=token_digest(token), user=user["id"], expires_at=expires))
    return token


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`cdv serve` of this working copy on the test database (SQLite file or DATABASE_URL), on a free port."""
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "CDV_ENV": "test", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}", log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(url: str, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - our own server on 127.0.0.1
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"the app did not answer {url} within {seconds} s:\n{log.read_text()[-3000:]}")


@pytest.fixture
async def live_api(serve: tuple[str, Path]) -> AsyncIterator[LiveApi]:
    from api.demo import make_demo

    await make_demo(password=PASSWORD, reset=False)
    tokens = {role: await _token(username) for role, username in DEMO_USERS.items()}
    base_url, log = serve
    await asyncio.to_thread(_wait_for, base_url + "/schema/openapi.json", log)
    yield LiveApi(base_url, tokens, log)


def operations_for(app: Any, role: str) -> list[tuple[str, str]]:
    """(method, path as the document writes it) of the operations schemathesis tries as a role: nobody gets the public
    ones; a role gets those it may use (tests/access/routes.py) that need a token or answer according to who asks.
    (A guarded operation's 401 to nobody is checked for every operation in tests/api/test_openapi.py.)"""
    found = []
    for route in app.routes:
        if not route.path.startswith("/api/"):
            continue
        for handler in route.route_handlers:
            method = next(iter(handler.http_methods))
            if method == "OPTIONS" or not handler.include_in_schema:
                continue
            guarded = any(layer.guards for layer in handler.ownership_layers)
            asks_who = "maybe_actor" in handler.parsed_fn_signature.parameters
            if role == ANONYMOUS:
                wanted = not guarded
            else:
                expected = ROUTES[(method, route.path)].expected[role]
                wanted = (guarded or asks_who) and expected not in (FORBIDDEN, SIGN_IN)
            if wanted and (method, route.path_format) not in SIGNS_THE_CALLER_OUT:
                found.append((method, route.path_format))
    return found


def _command(api: LiveApi, role: str, operations: list[tuple[str, str]]) -> list[str]:
    st = Path(sys.executable).with_name("st")
    assert st.exists(), f"schemathesis is not installed beside {sys.executable}: run scripts/setup"
    command = [str(st), "--no-color", "--config-file", str(CONFIG), "run", api.base_url + "/schema/openapi.json"]
    command += ["--checks", "all", "--phases", PHASES, "--max-examples", EXAMPLES, "--seed", SEED]
    command += ["--workers", "1", "--request-timeout", "30"]
    if role in api.tokens:
        command += ["--header", f"Authorization: Bearer {api.tokens[role]}"]
    regexes = {}
    for method, path in operations:
        regexes.setdefault(method, []).append(re.escape(path))
    expression = "|".join(f"{method} ({'|'.join(paths)})" for method, paths in regexes.items())
    return [*command, "--include-name-regex", f"^({expression})$"]


async def _run(
    api: LiveApi, role: str, operations: list[tuple[str, str]], limit: asyncio.Semaphore, workdir: Path
) -> tuple[str, int, str]:
    async with limit:
        folder = workdir / role
        folder.mkdir()
        process = await asyncio.create_subprocess_exec(
            *_command(api, role, operations),
            cwd=folder,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await process.communicate()
        return role, process.returncode or 0, output.decode(errors="replace")


async def test_schemathesis_finds_no_failure_as_any_role_or_as_nobody(app, live_api, tmp_path):
    limit = asyncio.Semaphore(max(1, min(2, os.cpu_count() or 1)))
    operations = {role: operations_for(app, role) for role in [ANONYMOUS, *DEMO_USERS]}
    runs = await asyncio.gather(*(_run(live_api, role, found, limit, tmp_path) for role, found in operations.items()))
    failed = {role: output for role, code, output in runs if code != 0}
    for role, _, output in runs:
        tested = re.search(r"Tested: (\d+)", output)
        assert tested and int(tested.group(1)) == len(operations[role]), f"{role}:\n{output[-3000:]}"
    assert not failed, (
        "\n\n".join(f"===== schemathesis as {role} =====\n{output[-8000:]}" for role, output in failed.items())
        + f"\n===== the app's log =====\n{live_api.log.read_text()[-3000:]}"
    )
