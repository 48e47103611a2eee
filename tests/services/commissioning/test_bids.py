"""Bids at the service layer: sealed until the deadline (not even their number shows), drafts for the bidder only,
replaced or withdrawn until the deadline and never after, prices within each year's maximum, approved vehicles only,
one bid per vehicle, and attachments whose type is read from their bytes."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from accounts.actor import Role
from audit.queries import list_audit_events
from audit.schemas import AuditFilterIn
from audit.tables import AuditEvent
from commissioning.queries import bids as bid_queries
from commissioning.queries import evaluation as evaluation_queries
from commissioning.schemas import DeclarationIn
from commissioning.services import bids, evaluation
from commissioning.tables import Bid, BidAttachment, BidPrice
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken, TooLarge
from core.public_ids import is_public_id
from notifications.tables import Notification
from tests import bidding_support as b
from tests import commissioning_support as support
from tests.conftest import make_actor

pytestmark = pytest.mark.usefixtures("menu")

REPO = Path(__file__).resolve().parents[3]


def zipped(*names: str) -> bytes:
    """A minimal Office Open XML package: the content-types part and the parts named."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX = zipped("word/document.xml")
XLSX = zipped("xl/workbook.xml")


@pytest.fixture
def attachment_dir(tmp_path, monkeypatch) -> Path:
    """Attachments go to a temporary var/attachments for the test, not the working copy's."""
    folder = tmp_path / "var" / "attachments"
    monkeypatch.setattr(bids, "ATTACHMENT_DIR", folder)
    return folder


# Sealed until the deadline


async def test_before_the_deadline_nobody_but_the_bidder_knows_a_bid_exists():
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    other = await b.provider("Other Provider CIC")
    admin = await make_actor(Role.NATIONAL_ADMIN)
    evaluator = await make_actor(Role.EVALUATOR)
    # The panel can be named and can even declare before the deadline; it still sees nothing.
    await evaluation.name_evaluator(
        actor=deal.commissioner, specification_id=deal.id, username=evaluator.username, now=b.BEFORE
    )
    await evaluation.declare_interests(actor=evaluator, specification_id=deal.id, data=DeclarationIn(), now=b.BEFORE)
    bid_id = await b.bid(alpha, deal, 70_000_00)
    just_before = b.DEADLINE - timedelta(seconds=1)

    assert [x.id for x in await bid_queries.list_bids(actor=alpha, specification_id=deal.id, now=just_before)] == [
        bid_id
    ]
    assert (await bid_queries.get_bid(actor=alpha, bid_id=bid_id, now=just_before)).total_price_pence == 70_000_00
    for who in (deal.commissioner, evaluator, other, admin, None):
        assert await bid_queries.list_bids(actor=who, specification_id=deal.id, now=just_before) == []
        with pytest.raises(NotFound):
            await bid_queries.get_bid(actor=who, bid_id=bid_id, now=just_before)
    for reader in (deal.commissioner, evaluator, admin):
        with pytest.raises((NotAllowed, NotFound)):
            await evaluation_queries.evaluation(actor=reader, specification_id=deal.id, now=just_before)
    # The audit trail neither lists the bid's event nor counts it, for an admin or the PCPG's commissioner.
    for reader in (admin, deal.commissioner):
        trail = await list_audit_events(actor=reader, now=just_before, limit=200)
        assert not any(e.entity_type == "Bid" for e in trail.items)
        assert trail.total == len(trail.items)
        assert (
            await list_audit_events(actor=reader, filters=AuditFilterIn(action="bid.submitted"), now=just_before)
        ).total == 0

    # From the deadline, the PCPG's commissioner, the admin and the cleared evaluator see it.
    for who in (deal.commissioner, admin, evaluator):
        assert [x.id for x in await bid_queries.list_bids(actor=who, specification_id=deal.id, now=b.DEADLINE)] == [
            bid_id
        ]
    for who in (other, None):
        assert await bid_queries.list_bids(actor=who, specification_id=deal.id, now=b.AFTER) == []
    assert (
        await list_audit_events(actor=admin, filters=AuditFilterIn(action="bid.submitted"), now=b.DEADLINE)
    ).total == 1


async def test_a_commissioner_of_another_pcpg_never_sees_the_bids():
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    bid_id = await b.bid(alpha, deal)
    swansea = await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",))
    assert await bid_queries.list_bids(actor=swansea, specification_id=deal.id, now=b.AFTER) == []
    with pytest.raises(NotFound):
        await bid_queries.get_bid(actor=swansea, bid_id=bid_id, now=b.AFTER)


async def test_draft_and_withdrawn_bids_stay_hidden_after_the_deadline_from_everyone_but_the_bidder():
    deal = await b.tender()
    drafter = await b.provider("Drafting CIC")
    withdrawer = await b.provider("Withdrawing CIC")
    draft_id = await b.bid(drafter, deal, 60_000_00, submit=False)
    withdrawn_id = await b.bid(withdrawer, deal, 65_000_00)
    await bids.withdraw_bid(actor=withdrawer, bid_id=withdrawn_id, now=b.BEFORE + timedelta(hours=1))
    admin = await make_actor(Role.NATIONAL_ADMIN)

    for who in (deal.commissioner, admin):
        assert await bid_queries.list_bids(actor=who, specification_id=deal.id, now=b.AFTER) == []
        for hidden in (draft_id, withdrawn_id):
            with pytest.raises(NotFound):
                await bid_queries.get_bid(actor=who, bid_id=hidden, now=b.AFTER)
    own = await bid_queries.get_bid(actor=drafter, bid_id=draft_id, now=b.AFTER)
    assert (own.status, own.can_change) == ("draft", False)
    assert (await bid_queries.get_bid(actor=withdrawer, bid_id=withdrawn_id, now=b.AFTER)).status == "withdrawn"


# Replace and withdraw until the deadline


async def test_a_bidder_replaces_its_bid_before_the_deadline_and_the_new_price_stands():
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    bid_id = await b.bid(alpha, deal, 70_000_00)
    replaced = await bids.replace_bid(actor=alpha, bid_id=bid_id, data=b.bid_in(65_000_00), now=b.BEFORE + timedelta(1))
    assert replaced == bid_id
    shown = await bid_queries.get_bid(actor=alpha, bid_id=bid_id, now=b.BEFORE + timedelta(1))
    assert (shown.status, shown.total_price_pence) == ("submitted", 65_000_00)
    assert shown.submitted_at == b.BEFORE + timedelta(1)
    assert await Bid.count() == 1 and await BidPrice.count() == 1


async def test_a_bidder_withdraws_before_the_deadline_and_may_bid_again_until_then():
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    bid_id = await b.bid(alpha, deal, 70_000_00)
    await bids.withdraw_bid(actor=alpha, bid_id=bid_id, now=b.BEFORE + timedelta(hours=1))
    assert (await bid_queries.get_bid(actor=alpha, bid_id=bid_id, now=b.BEFORE)).status == "withdrawn"
    with pytest.raises(Conflict):
        await bids.withdraw_bid(actor=alpha, bid_id=bid_id, now=b.BEFORE + timedelta(hours=2))
    again = await b.bid(alpha, deal, 68_000_00, at=b.BEFORE + timedelta(days=1))
    assert again == bid_id
    assert [
        x.total_price_pence
        for x in await bid_queries.list_bids(actor=deal.commissioner, specification_id=deal.id, now=b.AFTER)
    ] == [68_000_00]
    kinds = [row["kind"] for row in await Notification.select(Notification.kind).order_by(Notification.id)]
    assert kinds.count("bid_received") == 2 and kinds.count("bid_withdrawn") == 1


async def test_after_the_deadline_no_bid_can_be_made_changed_withdrawn_or_added_to(attachment_dir):
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    late = await b.provider("Late Provider CIC")
    bid_id = await b.bid(alpha, deal, 70_000_00)
    events = await AuditEvent.count()
    attempts = [
        bids.save_bid(actor=late, specification_id=deal.id, data=b.bid_in(50_000_00), now=b.DEADLINE),
        bids.save_bid(actor=alpha, specification_id=deal.id, data=b.bid_in(50_000_00), now=b.DEADLINE),
        bids.replace_bid(actor=alpha, bid_id=bid_id, data=b.bid_in(50_000_00), now=b.AFTER),
        bids.withdraw_bid(actor=alpha, bid_id=bid_id, now=b.AFTER),
        bids.add_attachment(actor=alpha, bid_id=bid_id, filename="late.pdf", content=PDF, now=b.AFTER),
    ]
    for attempt in attempts:
        with pytest.raises(Conflict) as refused:
            await attempt
        assert "deadline has passed" in refused.value.message
    shown = await bid_queries.get_bid(actor=deal.commissioner, bid_id=bid_id, now=b.AFTER)
    assert (shown.status, shown.total_price_pence, shown.attachments) == ("submitted", 70_000_00, [])
    assert await Bid.count() == 1
    assert await AuditEvent.count() == events


# What may be bid


async def test_a_price_above_a_years_maximum_is_refused_naming_that_year_and_nothing_is_stored():
    deal = await b.tender(years=2, max_pence=80_000_00)
    alpha = await b.provider("Alpha Care CIC")
    with pytest.raises(RuleBroken) as refused:
        await b.bid(alpha, deal, 80_000_00, 80_000_01)
    assert refused.value.field == "prices"
    assert refused.value.params["year"] == "2028-29"
    assert refused.value.params["maximum"] == "£80,000.00"
    assert "%(year)s" in refused.value.message and "maximum" in refused.value.message
    assert await Bid.count() == 0 and await BidPrice.count() == 0


async def test_a_draft_may_leave_a_year_out_but_a_submitted_bid_must_price_every_year():
    deal = await b.tender(years=2)
    alpha = await b.provider("Alpha Care CIC")
    draft_id = await b.bid(alpha, deal, 70_000_00, submit=False)
    assert (await bid_queries.get_bid(actor=alpha, bid_id=draft_id, now=b.BEFORE)).status == "draft"
    with pytest.raises(RuleBroken) as refused:
        await b.bid(alpha, deal, 70_000_00)
    assert (refused.value.message, refused.value.params["year"]) == ("Give a price for %(year)s", "2028-29")
    with pytest.raises(RuleBroken) as too_dear:
        await b.bid(alpha, deal, 90_000_00, submit=False)
    assert too_dear.value.params["year"] == "2027-28"
    assert (await bid_queries.get_bid(actor=alpha, bid_id=draft_id, now=b.BEFORE)).status == "draft"


async def test_a_submitted_bid_must_answer_every_criterion_and_describe_its_team():
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    with pytest.raises(RuleBroken) as unanswered:
        await bids.save_bid(actor=alpha, specification_id=deal.id, data=b.bid_in(70_000_00, answers=2), now=b.BEFORE)
    assert (unanswered.value.field, unanswered.value.params["number"]) == ("answers", 3)
    with pytest.raises(RuleBroken) as no_team:
        await bids.save_bid(actor=alpha, specification_id=deal.id, data=b.bid_in(70_000_00, staff=" "), now=b.BEFORE)
    assert no_team.value.field == "staff"
    assert await Bid.count() == 0


async def test_saving_a_draft_over_a_submitted_bid_cannot_leave_a_submitted_bid_incomplete():
    deal = await b.tender(years=2)
    alpha = await b.provider("Alpha Care CIC")
    bid_id = await b.bid(alpha, deal, 70_000_00, 70_000_00)
    with pytest.raises(RuleBroken):
        await bids.save_bid(
            actor=alpha, specification_id=deal.id, data=b.bid_in(60_000_00, submit=False, answers=0), now=b.BEFORE
        )
    shown = await bid_queries.get_bid(actor=alpha, bid_id=bid_id, now=b.AFTER)
    assert shown.status == "submitted"
    assert shown.total_price_pence == 140_000_00
    assert all(answer.answer for answer in shown.answers)


@pytest.mark.parametrize("status", ["pending", "rejected"])
async def test_a_vehicle_not_yet_approved_cannot_bid(status):
    deal = await b.tender()
    pending = await b.provider("Pending CIC", status=status)
    with pytest.raises(NotAllowed) as refused:
        await b.bid(pending, deal)
    assert "approved" in refused.value.message
    assert await Bid.count() == 0


async def test_only_a_delivery_vehicles_user_can_bid():
    deal = await b.tender()
    for who in (deal.commissioner, await make_actor(Role.PROVIDER), await make_actor(Role.NATIONAL_ADMIN)):
        with pytest.raises(NotAllowed):
            await b.bid(who, deal)
    assert await Bid.count() == 0


async def test_a_vehicle_has_one_bid_per_specification_whichever_of_its_users_saves_it():
    deal = await b.tender()
    first = await b.provider("Alpha Care CIC")
    colleague = await make_actor(Role.PROVIDER, delivery_vehicle_id=first.delivery_vehicle_id)
    one = await b.bid(first, deal, 70_000_00)
    two = await b.bid(colleague, deal, 69_000_00, at=b.BEFORE + timedelta(hours=1))
    assert one == two
    assert await Bid.count() == 1
    assert (await bid_queries.get_bid(actor=first, bid_id=one, now=b.BEFORE)).total_price_pence == 69_000_00


async def test_a_direct_award_specification_takes_no_bids():
    deal = await b.tender(route="direct_award_2")
    alpha = await b.provider("Alpha Care CIC")
    with pytest.raises(Conflict):
        await b.bid(alpha, deal)


async def test_another_provider_cannot_change_or_withdraw_a_bid_it_does_not_own():
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    other = await b.provider("Other Provider CIC")
    bid_id = await b.bid(alpha, deal, 70_000_00)
    with pytest.raises(NotFound):
        await bids.replace_bid(actor=other, bid_id=bid_id, data=b.bid_in(1), now=b.BEFORE)
    with pytest.raises(NotFound):
        await bids.withdraw_bid(actor=other, bid_id=bid_id, now=b.BEFORE)
    with pytest.raises(NotFound):
        await bids.add_attachment(actor=other, bid_id=bid_id, filename="x.pdf", content=PDF, now=b.BEFORE)
    shown = await bid_queries.get_bid(actor=alpha, bid_id=bid_id, now=b.BEFORE)
    assert (shown.status, shown.total_price_pence, shown.attachments) == ("submitted", 70_000_00, [])


async def test_every_bid_event_in_the_audit_trail_is_sealed_until_the_deadline(attachment_dir):
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    bid_id = await b.bid(alpha, deal, 70_000_00, submit=False)
    await b.bid(alpha, deal, 70_000_00)
    await bids.add_attachment(actor=alpha, bid_id=bid_id, filename="plan.pdf", content=PDF, now=b.BEFORE)
    await bids.withdraw_bid(actor=alpha, bid_id=bid_id, now=b.BEFORE)
    rows = await AuditEvent.select(AuditEvent.action, AuditEvent.visible_from_at).where(AuditEvent.action.like("bid.%"))
    assert sorted(row["action"] for row in rows) == [
        "bid.attachment_added",
        "bid.saved",
        "bid.submitted",
        "bid.withdrawn",
    ]
    assert all(row["visible_from_at"] == b.DEADLINE for row in rows)


# Attachments


@pytest.mark.parametrize(
    ("filename", "content", "content_type"),
    [
        ("method statement.pdf", PDF, "application/pdf"),
        ("method statement.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("prices.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("named wrongly.txt", PDF, "application/pdf"),
    ],
    ids=["pdf", "docx", "xlsx", "a PDF whatever its name"],
)
async def test_an_attachment_is_typed_by_its_content_and_stored_outside_the_web_root(
    attachment_dir, filename, content, content_type
):
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    bid_id = await b.bid(alpha, deal)
    await bids.add_attachment(actor=alpha, bid_id=bid_id, filename=filename, content=content, now=b.BEFORE)
    shown = (await bid_queries.get_bid(actor=alpha, bid_id=bid_id, now=b.BEFORE)).attachments
    assert [(a.filename, a.content_type, a.size_bytes) for a in shown] == [(filename, content_type, len(content))]
    stored = list(attachment_dir.iterdir())
    assert len(stored) == 1 and stored[0].read_bytes() == content


def test_attachments_live_under_var_attachments_outside_the_static_files():
    assert bids.ATTACHMENT_DIR == REPO / "var" / "attachments"
    assert not bids.ATTACHMENT_DIR.is_relative_to(REPO / "static")


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("looks like.pdf", b"Just some text pretending to be a PDF"),
        ("not word.docx", zipped("other/part.xml")),
        ("no content types.xlsx", b"PK\x03\x04 but not really a zip"),
        ("script.pdf", b"<script>alert(1)</script>"),
    ],
    ids=["text named .pdf", "a zip that is neither", "a broken zip", "html named .pdf"],
)
async def test_a_file_that_is_not_really_a_pdf_docx_or_xlsx_is_refused(attachment_dir, filename, content):
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    bid_id = await b.bid(alpha, deal)
    with pytest.raises(RuleBroken) as refused:
        await bids.add_attachment(actor=alpha, bid_id=bid_id, filename=filename, content=content, now=b.BEFORE)
    assert refused.value.field == "file"
    assert await BidAttachment.count() == 0
    assert not attachment_dir.exists() or not any(attachment_dir.iterdir())


async def test_a_file_over_10_mb_is_refused_and_one_of_exactly_10_mb_is_accepted(attachment_dir):
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    bid_id = await b.bid(alpha, deal)
    limit = 10 * 1024 * 1024
    exactly = PDF + b"0" * (limit - len(PDF))
    with pytest.raises(TooLarge) as refused:
        await bids.add_attachment(actor=alpha, bid_id=bid_id, filename="big.pdf", content=exactly + b"0", now=b.BEFORE)
    assert "10 MB" in refused.value.message
    await bids.add_attachment(actor=alpha, bid_id=bid_id, filename="ok.pdf", content=exactly, now=b.BEFORE)
    assert [row["size_bytes"] for row in await BidAttachment.select(BidAttachment.size_bytes)] == [limit]


async def test_an_attachment_is_shown_to_nobody_but_the_bidder_before_the_deadline(attachment_dir):
    deal = await b.tender()
    alpha = await b.provider("Alpha Care CIC")
    other = await b.provider("Other Provider CIC")
    bid_id = await b.bid(alpha, deal)
    await bids.add_attachment(actor=alpha, bid_id=bid_id, filename="plan.pdf", content=PDF, now=b.BEFORE)
    for who in (deal.commissioner, other, None):
        with pytest.raises(NotFound):
            await bid_queries.get_bid(actor=who, bid_id=bid_id, now=b.BEFORE)
    after = await bid_queries.get_bid(actor=deal.commissioner, bid_id=bid_id, now=b.AFTER)
    assert [a.filename for a in after.attachments] == ["plan.pdf"]
    assert bids.attachment_bytes((await BidAttachment.select(BidAttachment.sha256).first())["sha256"]) == PDF


async def test_an_evaluator_reads_the_bids_of_the_panels_they_are_cleared_on_and_no_others() -> None:
    """The bid scope is one SQL condition per reader: a cleared seat on one panel opens that tender's bids only."""
    first = await b.tender()
    second = b.Tender(
        commissioner=first.commissioner,
        spec=await support.published(
            first.commissioner, first.lines, at=b.PUBLISHED, value_pence=80_000_00, bid_deadline_at=b.DEADLINE
        ),
        lines=first.lines,
        deadline=b.DEADLINE,
    )
    first_bid = await b.bid(await b.provider("Alpha CIC"), first)
    second_bid = await b.bid(await b.provider("Beta CIC"), second)
    cleared, conflicted = await b.panel(first, cleared=1, conflicted=1)
    await b.panel(second, cleared=1)

    def ids(found: list) -> set[int]:
        return {bid.id for bid in found}

    assert ids(await bid_queries.list_bids(actor=cleared, specification_id=first.id, now=b.AFTER)) == {first_bid}
    assert (await bid_queries.get_bid(actor=cleared, bid_id=first_bid, now=b.AFTER)).id == first_bid
    for reader in (cleared, conflicted):
        assert await bid_queries.list_bids(actor=reader, specification_id=second.id, now=b.AFTER) == []
        with pytest.raises(NotFound):
            await bid_queries.get_bid(actor=reader, bid_id=second_bid, now=b.AFTER)
    assert await bid_queries.list_bids(actor=conflicted, specification_id=first.id, now=b.AFTER) == []
    elsewhere = await make_actor(Role.COMMISSIONER, pcpg_names=("Newport",))
    assert await bid_queries.list_bids(actor=elsewhere, specification_id=first.id, now=b.AFTER) == []
    admin = await make_actor(Role.NATIONAL_ADMIN)
    assert ids(await bid_queries.list_bids(actor=admin, specification_id=second.id, now=b.AFTER)) == {second_bid}


async def test_a_vehicle_bids_only_for_a_specification_in_a_cluster_it_serves():
    """Issue 10 bug 4: approval is for the clusters a vehicle serves; a bid elsewhere is refused and nothing kept."""
    deal = await b.tender()  # Cardiff North and Cardiff West
    elsewhere = await b.provider("East Side CIC", cluster="Cardiff East")
    with pytest.raises(NotAllowed) as refused:
        await b.bid(elsewhere, deal)
    assert "does not serve any of this specification's clusters" in refused.value.message
    assert await Bid.count() == 0 and await BidPrice.count() == 0
    west = await b.provider("West Side CIC", cluster="Cardiff West")
    assert is_public_id(await b.bid(west, deal)), "one of the specification's clusters is enough"
