"""Who may see and change bids while bids are open and sealed: the bidder's own bid, drafts, attachments and
withdrawal; the panel named and the evaluation not yet open to anyone."""

from __future__ import annotations

import pytest

from commissioning.services import bids
from tests import bidding_support as b
from tests.access.tender_journey import (
    CARDIFF,
    NOT_FOUND,
    OTHER,
    PANEL,
    PROVIDER,
    PROVIDERS,
    ROLES,
    SIGNED_IN,
    STATE,
    Check,
    answers,
    form,
    json,
    open_world,
    run,
    upload,
)

pytestmark = pytest.mark.usefixtures("menu")

BID_JSON = json(
    prices=[{"financial_year": 2027, "price_pence": 60_000_00}],
    answers=[{"criterion": n, "answer": "Our answer"} for n in range(b.CRITERIA)],
    staff="2 WTE",
    start_on="2027-04-01",
)
BID_FORM = form(
    **{"price-2027": "60000", "staff": "2 WTE", "day": "1", "month": "4", "year": "2027", "action": "submit"},
    **{f"answer-{n}": "Our answer" for n in range(b.CRITERIA)},
)
SEALED = answers(PROVIDER, others=NOT_FOUND)  # the bidder's own bid; nobody else knows it exists
OWN_BID_PAGE = answers(PROVIDER, other=NOT_FOUND)

OPEN = [
    Check("GET", "/api/v1/specifications/{spec}/bids", answers(*SIGNED_IN)),
    Check("GET", "/api/v1/bids/{alpha}", SEALED),
    Check("GET", "/api/v1/bids/mine", answers(*PROVIDERS)),
    Check("GET", "/bids/{alpha}/attachments/{attachment}", SEALED),
    Check("GET", "/bids", answers(*PROVIDERS)),
    Check("GET", "/specifications/{spec}/bid", answers(*PROVIDERS)),
    Check("GET", "/bids/{alpha}/withdraw", OWN_BID_PAGE),
    Check("GET", "/specifications/{spec}/evaluation", CARDIFF),
    Check(
        "GET",
        "/api/v1/specifications/{spec}/evaluation",
        # Sealed: even the PCPG's commissioner and the admin are answered as for an absent specification until the
        # deadline (hidden and absent answer alike); the panel has not declared yet, so to them there is none either.
        answers(commissioner=NOT_FOUND, admin=NOT_FOUND, elsewhere=NOT_FOUND, evaluator=NOT_FOUND, recused=NOT_FOUND),
    ),
    Check("GET", "/evaluations", answers(*PANEL)),
    Check("GET", "/evaluations/{spec}", answers(*PANEL)),
    Check("POST", "/api/v1/bids/{alpha}/attachments", OWN_BID_PAGE, upload(page=False)),
    Check("POST", "/bids/{alpha}/attachments", OWN_BID_PAGE, upload(page=True)),
    Check("PUT", "/api/v1/bids/{alpha}", OWN_BID_PAGE, BID_JSON),
    # Each bidder has its bid already: a second POST is refused (409) pointing to its own; the page form saves over it.
    Check("POST", "/api/v1/specifications/{spec}/bids", answers(provider=STATE, other=STATE), BID_JSON),
    Check("POST", "/specifications/{spec}/bid", answers(*PROVIDERS), BID_FORM),
    Check("POST", "/api/v1/specifications/{spec}/panel", CARDIFF, json(username=lambda w: w.spares[0])),
    Check("POST", "/specifications/{spec}/panel", CARDIFF, form(username=lambda w: w.spares[1])),
    Check("POST", "/api/v1/bids/{alpha}/withdraw", OWN_BID_PAGE),
    Check("POST", "/bids/{beta}/withdraw", answers(OTHER, provider=NOT_FOUND), form()),
]


def test_every_check_names_every_role():
    for check in OPEN:
        assert set(check.expected) == set(ROLES), f"{check.method} {check.path}"


async def test_each_role_gets_the_answer_it_should_while_bids_are_open_and_sealed(app, monkeypatch, tmp_path):
    monkeypatch.setattr(bids, "ATTACHMENT_DIR", tmp_path / "attachments")
    assert await run(await open_world(app), OPEN) == {}
