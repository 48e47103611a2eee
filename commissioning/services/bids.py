"""Bids: made, replaced or withdrawn by the bidding vehicle up to the deadline, sealed until then.

Every bid event is written to the audit trail sealed until the deadline (visible_from_at), so not even
the trail or its counts reveal a bid before then.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from accounts.actor import Actor, Role
from accounts.tables import User
from audit.operation import operation
from commissioning import rules
from commissioning.queries import bids as bid_queries
from commissioning.queries import specifications as specification_queries
from commissioning.schemas import BidAnswerIn, BidIn, BidPriceIn
from commissioning.tables import (
    Bid,
    BidAnswer,
    BidAttachment,
    BidPrice,
    EvaluationCriterion,
    Specification,
    SpecificationCluster,
    SpecificationYear,
)
from core.db import for_update
from core.errors import Conflict, NotAllowed, NotFound, RuleBroken, TooLarge
from core.money import format_pounds
from core.periods import FinancialYear
from notifications.services import notify
from organisations.rules import DeliveryVehicleStatus, bidding_refusal
from organisations.tables import DeliveryVehicle

ATTACHMENT_DIR = Path(
    os.environ.get("CDV_ATTACHMENT_DIR") or Path(__file__).resolve().parents[2] / "var" / "attachments"
)
"""Where bid documents are kept, by digest: var/attachments, or CDV_ATTACHMENT_DIR (a disk of its own)."""
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_BODY_BYTES = MAX_ATTACHMENT_BYTES + 1024 * 1024
"""An upload's whole body is read up to a mebibyte past the file's limit (room for the multipart framing), so a file
just too large is refused naming `file` by sniff_attachment; a larger body is refused unread (413, also naming it)."""
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {content_type: extension for extension, content_type in ATTACHMENT_TYPES.items()}


async def approved_vehicle(actor: Actor) -> int:
    """Only an approved delivery vehicle's manager bids (DOMAIN.md: a vehicle is approved before it can bid); the
    bid form asks this first, so who may bid is answered before what was typed."""
    if actor.role is not Role.PROVIDER or actor.delivery_vehicle_id is None:
        raise NotAllowed("Only a delivery vehicle's manager can bid")
    row = (
        await DeliveryVehicle.select(DeliveryVehicle.status)
        .where(DeliveryVehicle.id == actor.delivery_vehicle_id)
        .first()
    )
    refusal = bidding_refusal(DeliveryVehicleStatus(row["status"] if row else "pending"))  # suspended: says so
    if refusal:
        raise NotAllowed(refusal)
    return actor.delivery_vehicle_id


async def _check_serves(vehicle_id: int, specification_id: int) -> None:
    wanted = await SpecificationCluster.select(SpecificationCluster.cluster).where(
        SpecificationCluster.specification == specification_id
    )
    served = await specification_queries.vehicle_cluster_ids(vehicle_id)
    if not rules.serves_specification(served, {r["cluster"] for r in wanted}):
        raise NotAllowed("Your delivery vehicle does not serve any of this specification's clusters, so it cannot bid")


async def vehicle_user_ids(vehicle_id: int) -> list[int]:
    return [row["id"] for row in await User.select(User.id).where(User.delivery_vehicle == vehicle_id)]


async def _open_spec(specification_id: int, now: datetime) -> dict[str, Any]:
    spec = await Specification.select().where(Specification.id == specification_id).first()
    if spec is None or spec["status"] == rules.SpecificationStatus.DRAFT:
        raise NotFound("No such specification")
    refusal = rules.bid_refusal(
        route=spec["procurement_route"], status=spec["status"], bid_deadline_at=spec["bid_deadline_at"], now=now
    )
    if refusal is not None:
        raise refusal
    return spec


async def _check_and_store(bid_id: int, spec: dict[str, Any], data: BidIn, *, complete: bool) -> None:
    """`complete`: the bid is (or stays) submitted, so every year and criterion must be there; a draft may have gaps."""
    maxima = {
        row["financial_year"]: int(row["max_value_pence"])
        for row in await SpecificationYear.select().where(SpecificationYear.specification == spec["id"])
    }
    prices = {p.financial_year: p.price_pence for p in data.prices}
    if len(prices) != len(data.prices):
        raise RuleBroken("Give each financial year's price once", field="prices")
    # A draft may leave years out; a price it gives must still fit the year's maximum.
    checked = maxima if complete else {year: maxima[year] for year in prices if year in maxima}
    problem = rules.price_problem(prices, checked)
    if problem is not None:
        message, year = problem
        raise RuleBroken(
            message,
            field="prices",
            year=FinancialYear(year).label,
            maximum=format_pounds(maxima.get(year, 0)),
            financial_year=year,
        )
    if data.start_on is not None:
        late = rules.start_on_problem(data.start_on, spec["start_financial_year"], spec["term_years"])
        if late is not None:
            first, last = rules.term_span(spec["start_financial_year"], spec["term_years"])
            raise RuleBroken(late, field="start_on", first=first, last=last)
    criteria = await EvaluationCriterion.select(EvaluationCriterion.position).where(
        EvaluationCriterion.specification == spec["id"]
    )
    positions = {c["position"] for c in criteria}
    answers = {a.criterion: a.answer.strip() for a in data.answers}
    if any(position not in positions for position in answers):
        raise RuleBroken("Answer the specification's criteria only", field="answers")
    if complete:
        missing = sorted(positions - {p for p, text in answers.items() if text})
        if missing:
            raise RuleBroken(
                "Answer every quality criterion before you submit (criterion %(number)s is empty)",
                field="answers",
                number=missing[0] + 1,
                criterion=missing[0],
            )
        if not data.staff.strip():
            raise RuleBroken("Describe the team that will deliver the service", field="staff")
        if data.start_on is None:
            raise RuleBroken("Give the date the service can start", field="start_on")
    await BidPrice.delete().where(BidPrice.bid == bid_id)
    await BidAnswer.delete().where(BidAnswer.bid == bid_id)
    if prices:
        await BidPrice.insert(
            *[BidPrice(bid=bid_id, financial_year=y, price_pence=p) for y, p in sorted(prices.items())]
        )
    if answers:
        await BidAnswer.insert(
            *[BidAnswer(bid=bid_id, criterion_position=c, answer=a) for c, a in sorted(answers.items())]
        )


async def make_bid(*, actor: Actor, specification_id: int, data: BidIn, now: datetime) -> str:
    """The API's new bid (POST): a vehicle has one bid per specification, so a second is refused (409) with the
    address of the first, to change there with PUT. Only the asking vehicle's own bid is ever named: whether another
    vehicle has bid stays sealed."""
    return await save_bid(actor=actor, specification_id=specification_id, data=data, now=now, replace=False)


async def save_bid(*, actor: Actor, specification_id: int, data: BidIn, now: datetime, replace: bool = True) -> str:
    """Make or replace this vehicle's bid (one per vehicle per specification); submit it or keep a draft. The bid form
    saves over its own bid; `replace=False` refuses to (make_bid). Answers the bid's public id (core.public_ids): the
    only id of a bid that a user, a client or the audit trail sees."""
    vehicle_id = await approved_vehicle(actor)
    action = "bid.submitted" if data.submit else "bid.saved"
    async with operation(action, actor=actor, now=now) as op:
        spec = await _open_spec(specification_id, now)
        await _check_serves(vehicle_id, specification_id)
        existing = await for_update(
            Bid.select().where((Bid.specification == specification_id) & (Bid.delivery_vehicle == vehicle_id))
        ).first()
        if existing is not None and not replace:
            raise Conflict(
                "Your delivery vehicle has already bid for this specification: change that bid with PUT %(bid_url)s",
                bid_id=existing["public_id"],
                bid_url=f"/api/v1/bids/{existing['public_id']}",
            )
        status = rules.bid_status_after_save(
            rules.BidStatus(existing["status"]) if existing else None, submit=data.submit
        )
        values: dict[Any, Any] = {
            Bid.status: status,
            Bid.staff: data.staff.strip(),
            Bid.start_on: data.start_on,
            Bid.updated_at: now,
            Bid.updated_by_username: actor.username,
            Bid.withdrawn_at: None,
        }
        if data.submit:
            values[Bid.submitted_at] = now
        if existing is None:
            bid = Bid(
                specification=specification_id,
                delivery_vehicle=vehicle_id,
                created_at=now,
                **{column._meta.name: value for column, value in values.items()},
            )
            await bid.save()
            bid_id, public_id = int(bid.id), str(bid.public_id)
        else:
            bid_id, public_id = int(existing["id"]), str(existing["public_id"])
            await Bid.update(values).where(Bid.id == bid_id)
        # Saved as a draft over a submitted bid, it stays submitted, so it must still be complete.
        await _check_and_store(bid_id, spec, data, complete=status is rules.BidStatus.SUBMITTED)
        op.record(
            "Bid",
            public_id,
            before={"status": existing["status"]} if existing else {},
            after={"status": status.value, "prices": [[p.financial_year, p.price_pence] for p in data.prices]},
            pcpg_id=spec["pcpg"],
            visible_from_at=spec["bid_deadline_at"],
        )
        if data.submit:
            await notify(
                user_ids=await vehicle_user_ids(vehicle_id),
                kind="bid_received",
                key=f"{public_id}:{now.isoformat()}",
                params={"title": spec["title"], "reference": spec["reference"], "when": now},
                localise={"cy": {"title": spec["title_cy"]}},
                link=f"/specifications/{specification_id}/bid",
                now=now,
            )
    return public_id


async def _own_bid(actor: Actor, bid_id: str, now: datetime, *, lock: bool = True) -> dict[str, Any]:
    """The actor's own vehicle's bid, found through the bids' one scope (bid_queries.visible_bid), so that a bid the
    actor may not know of answers, by the same path, as an absent one; one they may see but do not own (after the
    deadline) answers the same."""
    row = await bid_queries.visible_bid(actor=actor, bid_id=bid_id, now=now, lock=lock)
    if actor.delivery_vehicle_id is None or row["delivery_vehicle"] != actor.delivery_vehicle_id:
        raise NotFound("No such bid")
    return row


async def replace_bid(*, actor: Actor, bid_id: str, data: BidIn, now: datetime) -> str:
    row = await _own_bid(actor, bid_id, now, lock=False)
    return await save_bid(actor=actor, specification_id=row["specification"], data=data, now=now)


async def withdraw_bid(*, actor: Actor, bid_id: str, now: datetime) -> None:
    await approved_vehicle(actor)
    async with operation("bid.withdrawn", actor=actor, now=now) as op:
        bid = await _own_bid(actor, bid_id, now)
        spec = await _open_spec(bid["specification"], now)
        if not rules.can_move(rules.BID_MOVES, rules.BidStatus(bid["status"]), rules.BidStatus.WITHDRAWN):
            raise Conflict("This bid is already withdrawn")
        await Bid.update({Bid.status: rules.BidStatus.WITHDRAWN, Bid.withdrawn_at: now, Bid.updated_at: now}).where(
            Bid.id == bid["id"]
        )
        op.record(
            "Bid",
            bid_id,
            before={"status": bid["status"]},
            after={"status": rules.BidStatus.WITHDRAWN.value},
            pcpg_id=spec["pcpg"],
            visible_from_at=spec["bid_deadline_at"],
        )
        await notify(
            user_ids=await vehicle_user_ids(bid["delivery_vehicle"]),
            kind="bid_withdrawn",
            key=f"{bid_id}:{now.isoformat()}",
            params={"title": spec["title"], "reference": spec["reference"], "when": now},
            localise={"cy": {"title": spec["title_cy"]}},
            link=f"/specifications/{spec['id']}",
            now=now,
        )


def sniff_attachment(filename: str, content: bytes) -> str:
    """The real type from the bytes, not the name or the browser's word: PDF, DOCX or XLSX only, and none that a
    browser would also take for a web page. 10 MiB (10 x 1024 x 1024 bytes) is the largest accepted."""
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise TooLarge("The file must be 10 MB or smaller", field="file")
    content_type = _document_type(content)
    if content_type is None:
        raise RuleBroken("The file must be a PDF, a Word document (DOCX) or an Excel workbook (XLSX)", field="file")
    if rules.holds_html(content):
        raise RuleBroken("The file holds a web page as well as a document, so it cannot be attached", field="file")
    return content_type


def _document_type(content: bytes) -> str | None:
    if content.startswith(b"%PDF-"):
        return ATTACHMENT_TYPES["pdf"]
    if content.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except zipfile.BadZipFile:
            names = set()
        if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
            return ATTACHMENT_TYPES["docx"]
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return ATTACHMENT_TYPES["xlsx"]
    return None


async def add_attachment(*, actor: Actor, bid_id: str, filename: str, content: bytes, now: datetime) -> int:
    content_type = sniff_attachment(filename, content)
    digest = hashlib.sha256(content).hexdigest()
    safe_name = rules.attachment_name(filename, extension=EXTENSIONS[content_type])
    async with operation("bid.attachment_added", actor=actor, now=now) as op:
        bid = await _own_bid(actor, bid_id, now)
        spec = await _open_spec(bid["specification"], now)
        _store(ATTACHMENT_DIR / digest, content)
        row = BidAttachment(
            bid=bid["id"],
            filename=safe_name,
            content_type=content_type,
            size_bytes=len(content),
            sha256=digest,
            uploaded_at=now,
        )
        await row.save()
        op.record(
            "BidAttachment",
            row.id,
            after={"bid_id": bid_id, "filename": safe_name, "sha256": digest},
            pcpg_id=spec["pcpg"],
            visible_from_at=spec["bid_deadline_at"],
        )
    return int(row.id)


def _store(path: Path, content: bytes) -> None:
    """Written whole under a temporary name, flushed to disk, then renamed into place: a process killed while
    writing leaves no file cut short under the digest's name, which a later upload of the same document would
    otherwise take for the whole of it. The file is written before its row commits, so a row always has its file;
    a kill between the two leaves only a file no row names."""
    if path.is_file() and path.stat().st_size == len(content):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    with partial.open("wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def attachment_bytes(sha256: str) -> bytes:
    return (ATTACHMENT_DIR / sha256).read_bytes()


async def submit_saved_bid(*, actor: Actor, bid_id: str, now: datetime) -> str:
    """Submit the bid as saved, once the provider has checked their answers: the same rules as a bid sent whole
    (every year priced within its maximum, every criterion answered), so nothing is submitted that save_bid would
    refuse. Another vehicle's bid, or none, answers as absent."""
    await _own_bid(actor, bid_id, now, lock=False)
    bid = await bid_queries.get_bid(actor=actor, bid_id=bid_id, now=now)
    data = BidIn(
        prices=[BidPriceIn(financial_year=p.financial_year, price_pence=p.price_pence) for p in bid.prices],
        answers=[BidAnswerIn(criterion=a.criterion, answer=a.answer) for a in bid.answers if a.answer.strip()],
        staff=bid.staff,
        start_on=bid.start_on,
        submit=True,
    )
    return await save_bid(actor=actor, specification_id=bid.specification_id, data=data, now=now)
