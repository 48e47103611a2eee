"""Every successful write of the app, by API or page, adds an event to the audit trail naming who made it.

STYLE.md §2: "Every change of state is in the audit trail, with who and when". The table of writes (one module of
entries per domain, in tests/api/audit_writes/) is checked against all of the app's write routes, so a new write
route anywhere without an entry here fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.tables import AuditEvent
from commissioning.services import bids
from tests.api.audit_writes import (
    Arrange,
    Users,
    accounts,
    administration,
    autonomy,
    bidding,
    commissioning,
    contract_variations,
    contracts_legacy,
    contracts_lifecycle,
    finance,
    maturity,
    menu,
    needs,
    notifications,
    organisations,
    payments,
    ratings,
    returns_review,
    returns_submission,
    viability,
)
from tests.bidding_support import as_user  # noqa: F401 - a fixture

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
BY_DOMAIN = (
    accounts,
    organisations,
    administration,
    menu,
    finance,
    commissioning,
    needs,
    bidding,
    notifications,
    contract_variations,
    viability,
    contracts_lifecycle,
    contracts_legacy,
    ratings,
    returns_review,
    payments,
    returns_submission,
    autonomy,
    maturity,
)


def _gather() -> dict[tuple[str, str], Arrange]:
    writes: dict[tuple[str, str], Arrange] = {}
    for domain in BY_DOMAIN:
        repeated = set(writes) & set(domain.WRITES)
        assert not repeated, f"{domain.__name__} repeats {repeated}"
        writes.update(domain.WRITES)
    return writes


WRITES = _gather()


def test_the_table_lists_every_write_route_of_the_app(app):
    routes = {
        (method, path)
        for path, methods in app.route_handler_method_map.items()
        for method in methods
        if method in WRITE_METHODS
    }
    assert sorted(routes - set(WRITES)) == [], "add the new write route to tests/api/audit_writes/ (and audit it)"
    assert sorted(set(WRITES) - routes) == [], "the app no longer has these write routes"


@pytest.fixture(autouse=True)
def attachments_in_a_temporary_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(bids, "ATTACHMENT_DIR", tmp_path / "attachments")


async def _last_sequence() -> int:
    last = await AuditEvent.select(AuditEvent.sequence).order_by(AuditEvent.sequence, ascending=False).first()
    return int(last["sequence"]) if last else 0


@pytest.mark.parametrize("route", list(WRITES), ids=[f"{method} {path}" for method, path in WRITES])
async def test_a_successful_write_adds_an_audit_event_naming_who_did_it(client_as, as_user, route):  # noqa: F811
    write = await WRITES[route](Users(client_as=client_as, as_user=as_user))
    since = await _last_sequence()
    response = await write.send()
    assert 200 <= response.status_code < 400, response.text
    # A refusal sends the reader to sign in first (/sign-in?next=...); setting a password sends them to sign in after.
    assert not response.headers.get("location", "").startswith("/sign-in?next="), "the write was refused"
    if not route[1].startswith("/api/"):
        assert response.status_code in (302, 303), "a page redirects after a successful post"
    added = await AuditEvent.select(AuditEvent.action, AuditEvent.actor_username).where(AuditEvent.sequence > since)
    assert {"action": write.action, "actor_username": write.username} in added, added
