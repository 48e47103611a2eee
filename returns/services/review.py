"""The commissioner's review of a submitted return (issue 13, item 3): accept it, or query it with a comment per field
(back to the vehicle, who corrects and resubmits); and the correction of an accepted return, which is locked
otherwise: a correction needs a reason and makes a new version.

Who may correct an accepted return: the vehicle's users (their figures were wrong) and the commissioner of its PCPG
(who accepted it, and may find the error first), as `returns.rules.return_actions` offers it to both. Either way the
reason is kept on the version and in the audit trail, and the history shows who made it. A correction never changes a
payment already approved for the quarter: the payment was decided on the figures as accepted then."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from accounts.actor import Actor
from accounts.tables import User
from audit.operation import operation
from contracts.tables import ContractCluster, ContractKpi
from core.db import for_update
from core.errors import Conflict, NotFound, RuleBroken
from core.i18n import N_, gettext
from core.periods import FinancialYear
from notifications.services import notify
from returns import rules
from returns.queries import returns as return_queries
from returns.queries.review import payment_approved
from returns.queries.scope import review_scope, submit_scope
from returns.rules import ReturnStatus
from returns.schemas.returns import ReturnFiguresIn, ReturnOut
from returns.schemas.review import CorrectionOut, QueryCommentIn
from returns.services.figures import (
    CHECK_THE_FIGURES,
    checked_figures,
    contract_clusters,
    contract_kpis,
    replace_figures,
)
from returns.tables import (
    DeliveryReturn,
    ReturnQuery,
    ReturnVersion,
)

CORRECTED = "corrected"  # ReturnVersion.kind of a correction (a submission's is "submitted")
PAYMENT_UNCHANGED = N_(
    "The payment for this quarter was already approved. The correction does not change it: it was decided on the "
    "return as accepted then."
)
NOT_SUBMITTED = N_("Only a submitted return can be accepted or queried: this one is %(status)s")
NOT_ACCEPTED = N_("Only an accepted return can be corrected: this one is %(status)s")


async def _locked_return(condition: Any, return_id: int) -> dict[str, Any]:
    """The return within `condition` (a scope), with its contract's PCPG, health board, vehicle and names, locked
    for the operation; out of scope or absent alike is not found."""
    r: Any = DeliveryReturn
    query = DeliveryReturn.select(
        *DeliveryReturn.all_columns(),
        r.contract.pcpg.as_alias("pcpg_id"),
        r.contract.health_board.as_alias("health_board_id"),
        r.contract.delivery_vehicle.as_alias("delivery_vehicle_id"),
        r.contract.reference.as_alias("contract_reference"),
        r.contract.title.as_alias("contract_title"),
        r.contract.title_cy.as_alias("contract_title_cy"),
    ).where((DeliveryReturn.id == return_id) & condition)
    row = await for_update(query, of=(DeliveryReturn,)).first()
    if row is None:
        raise NotFound("No such return")
    return row


def _status_refusal(row: dict[str, Any], to: ReturnStatus) -> None:
    current = ReturnStatus(row["status"])
    if not rules.can_move_return(current, to):
        raise Conflict(NOT_SUBMITTED, field="status", status=gettext(current.label).lower())


def _period(row: dict[str, Any]) -> dict[str, Any]:
    """What the trail's sentence names the quarter by, and the return it is."""
    return {
        "return_id": int(row["id"]),
        "financial_year": int(row["financial_year"]),
        "quarter": int(row["quarter"]),
    }


async def accept_return(*, actor: Actor, return_id: int, now: datetime) -> ReturnOut:
    """The commissioner of the contract's PCPG accepts a submitted return: it is locked from then on (a correction
    with a reason is the only change), and in arrears its quarter's payment becomes payable."""
    async with operation("delivery_return.accepted", actor=actor, now=now) as op:
        row = await _locked_return(review_scope(actor), return_id)
        _status_refusal(row, ReturnStatus.ACCEPTED)
        await DeliveryReturn.update(
            {
                DeliveryReturn.status: ReturnStatus.ACCEPTED.value,
                DeliveryReturn.decided_at: now,
                DeliveryReturn.decided_by_username: actor.username,
            }
        ).where(DeliveryReturn.id == return_id)
        op.record(
            "Contract",
            row["contract"],
            before={"status": row["status"]},
            after={"status": ReturnStatus.ACCEPTED.value, "version": int(row["version"]), **_period(row)},
            pcpg_id=row["pcpg_id"],
            health_board_id=row["health_board_id"],
        )
    return await return_queries.get_return(actor=actor, return_id=return_id, now=now)


async def return_field_names(contract_id: int) -> list[str]:
    """The fields of the contract's returns (returns.rules.return_fields), from its clusters and KPIs."""
    clusters = await ContractCluster.select(ContractCluster.cluster).where(ContractCluster.contract == contract_id)
    kpis = (
        await ContractKpi.select(ContractKpi.id)
        .where(ContractKpi.contract == contract_id)
        .order_by(ContractKpi.position)
    )
    return rules.return_fields(
        cluster_ids=sorted(int(c["cluster"]) for c in clusters), kpi_ids=[int(k["id"]) for k in kpis]
    )


def _checked_comments(comments: list[QueryCommentIn], fields: list[str]) -> list[tuple[str, str]]:
    """At least one comment; each on a field of the return, once, and saying something (422 naming the comment)."""
    if not comments:
        raise RuleBroken("Comment on at least one field of the return", field="comments")
    seen: set[str] = set()
    checked = []
    for index, comment in enumerate(comments):
        field, text = comment.field.strip(), comment.comment.strip()
        if field not in fields:
            raise RuleBroken(
                "%(name)s is not a field of this return", field=f"comments[{index}].field", name=field[:80]
            )
        if field in seen:
            raise RuleBroken("Comment on each field once", field=f"comments[{index}].field")
        if not text:
            raise RuleBroken("Write the comment", field=f"comments[{index}].comment")
        seen.add(field)
        checked.append((field, text))
    return checked


async def query_return(*, actor: Actor, return_id: int, comments: list[QueryCommentIn], now: datetime) -> ReturnOut:
    """The commissioner queries a submitted return with a comment per field: it goes back to the vehicle, whose users
    are told in their own language, to correct and submit again. The comments stay on the version they were made
    on, for the history."""
    async with operation("delivery_return.queried", actor=actor, now=now) as op:
        row = await _locked_return(review_scope(actor), return_id)
        _status_refusal(row, ReturnStatus.QUERIED)
        checked = _checked_comments(comments, await return_field_names(int(row["contract"])))
        await ReturnQuery.insert(
            *[
                ReturnQuery(
                    delivery_return=return_id,
                    version=int(row["version"]),
                    field=field,
                    comment=text,
                    raised_at=now,
                    raised_by_username=actor.username,
                )
                for field, text in checked
            ]
        )
        await DeliveryReturn.update(
            {
                DeliveryReturn.status: ReturnStatus.QUERIED.value,
                DeliveryReturn.decided_at: now,
                DeliveryReturn.decided_by_username: actor.username,
            }
        ).where(DeliveryReturn.id == return_id)
        op.record(
            "Contract",
            row["contract"],
            before={"status": row["status"]},
            after={
                "status": ReturnStatus.QUERIED.value,
                "version": int(row["version"]),
                "comments": [{"field": field, "comment": text} for field, text in checked],
                **_period(row),
            },
            pcpg_id=row["pcpg_id"],
            health_board_id=row["health_board_id"],
        )
        vehicle_users = await User.select(User.id).where(User.delivery_vehicle == row["delivery_vehicle_id"])
        await notify(
            user_ids=[int(u["id"]) for u in vehicle_users],
            kind="return_queried",
            key=f"{return_id}:{int(row['version'])}",
            params={
                "reference": row["contract_reference"],
                "title": row["contract_title"],
                "quarter": int(row["quarter"]),
                "year": FinancialYear(int(row["financial_year"])).label,
                "count": len(checked),
            },
            localise={"cy": {"title": row["contract_title_cy"] or row["contract_title"]}},
            link=f"/returns/{return_id}",
            now=now,
        )
    return await return_queries.get_return(actor=actor, return_id=return_id, now=now)


def snapshot(figures: ReturnFiguresIn) -> dict[str, Any]:
    """The figures as `ReturnVersion.figures` keeps them: `ReturnFiguresIn` as plain values."""
    return msgspec.to_builtins(figures)  # type: ignore[no-any-return]


async def correct_return(
    *, actor: Actor, return_id: int, figures: ReturnFiguresIn, reason: str, now: datetime
) -> CorrectionOut:
    """An accepted return corrected by the vehicle's users or the commissioner of its PCPG, with a reason: the
    figures are replaced whole, the version goes up by one with a snapshot of kind "corrected" and the reason, and
    it stays accepted. The quarter's payment, if already approved, is not changed."""
    reason = reason.strip()
    if not reason:
        raise RuleBroken("Give the reason for the correction", field="reason")
    async with operation("delivery_return.corrected", actor=actor, now=now) as op:
        row = await _locked_return(submit_scope(actor) | review_scope(actor), return_id)
        status = ReturnStatus(row["status"])
        if not rules.can_correct(status):
            raise Conflict(NOT_ACCEPTED, field="status", status=gettext(status.label).lower())
        figures = checked_figures(
            figures,
            clusters=await contract_clusters(int(row["contract"])),
            kpis=await contract_kpis(int(row["contract"])),
            whole=True,
            refusal=CHECK_THE_FIGURES,
            light=bool(row["light"]),
        )
        version = int(row["version"]) + 1
        await replace_figures(return_id, figures)
        await DeliveryReturn.update(
            {
                DeliveryReturn.version: version,
                DeliveryReturn.spend_pence: figures.spend_pence,
                DeliveryReturn.narrative: figures.narrative,
                DeliveryReturn.risks: figures.risks,
            }
        ).where(DeliveryReturn.id == return_id)
        await ReturnVersion(
            delivery_return=return_id,
            version=version,
            kind=CORRECTED,
            made_at=now,
            made_by_username=actor.username,
            reason=reason,
            figures=snapshot(figures),
        ).save()
        unchanged = await payment_approved(
            contract_id=int(row["contract"]),
            financial_year=int(row["financial_year"]),
            quarter=int(row["quarter"]),
            quarters=int(row["quarters"] or 1),
        )
        op.record(
            "Contract",
            row["contract"],
            before={"version": int(row["version"]), "spend_pence": row["spend_pence"]},
            after={
                "version": version,
                "spend_pence": figures.spend_pence,
                "reason": reason,
                "payment_unchanged": unchanged,
                **_period(row),
            },
            pcpg_id=row["pcpg_id"],
            health_board_id=row["health_board_id"],
        )
    return CorrectionOut(
        delivery_return=await return_queries.get_return(actor=actor, return_id=return_id, now=now),
        payment_unchanged=unchanged,
        payment_note=gettext(PAYMENT_UNCHANGED) if unchanged else None,
    )
