"""A delivery vehicle fills in a return and submits it (issue 13, item 2): save the figures as a draft (typed, sent
as JSON or uploaded as the return's template), then submit them, which makes a numbered version with a snapshot of
the figures. Each write is one audited operation on the locked return; a refusal writes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import msgspec

from accounts.actor import Actor
from audit.operation import Recorder, operation
from core.clock import london_day
from core.db import for_update
from core.errors import Conflict, NotFound, RuleBroken
from core.i18n import N_
from core.periods import FinancialYear
from returns import figures_file, rules
from returns.queries.scope import submit_scope
from returns.rules import ReturnStatus, VersionKind
from returns.schemas.returns import ActivityIn, KpiValueIn, ReturnFiguresIn, WorkforceIn
from returns.services.figures import (
    CHECK_THE_FIGURES,
    NOT_COMPLETE,
    checked_figures,
    contract_clusters,
    contract_kpis,
    replace_figures,
)
from returns.tables import DeliveryReturn, ReturnActivity, ReturnKpiValue, ReturnVersion, ReturnWorkforce

NO_LONGER_WITH_YOU = N_("This return is %(status)s, so it can no longer be changed or submitted")
_ONE_DAY = timedelta(days=1)
QUARTER_NOT_OVER = N_("You can submit this return once its quarter is over, from %(day)s")


async def _return(actor: Actor, return_id: int, *, lock: bool) -> dict[str, Any]:
    """The return, if the actor fills it in (a provider user of its contract's vehicle); else not found."""
    r: Any = DeliveryReturn
    query = DeliveryReturn.select(
        *DeliveryReturn.all_columns(),
        r.contract.reference.as_alias("reference"),
        r.contract.pcpg.as_alias("pcpg_id"),
        r.contract.health_board.as_alias("health_board_id"),
    ).where((DeliveryReturn.id == return_id) & submit_scope(actor))
    row = await (for_update(query, of=(DeliveryReturn,)).first() if lock else query.first())
    if row is None:
        raise NotFound("No such return")
    return row


def _still_with_the_vehicle(row: dict[str, Any]) -> ReturnStatus:
    status = ReturnStatus(row["status"])
    if status not in rules.WITH_THE_VEHICLE:
        raise Conflict(NO_LONGER_WITH_YOU, field="status", status=status)
    return status


async def _write_draft(
    op: Recorder, *, actor: Actor, return_id: int, figures: ReturnFiguresIn, now: datetime, source: str
) -> ReturnStatus:
    row = await _return(actor, return_id, lock=True)
    before = _still_with_the_vehicle(row)
    figures = checked_figures(
        figures,
        clusters=await contract_clusters(row["contract"]),
        kpis=await contract_kpis(row["contract"]),
        whole=False,
        refusal=CHECK_THE_FIGURES,
        light=bool(row["light"]),
    )
    after = ReturnStatus.QUERIED if before is ReturnStatus.QUERIED else ReturnStatus.DRAFT
    await replace_figures(return_id, figures)
    await DeliveryReturn.update(
        {
            DeliveryReturn.status: after.value,
            DeliveryReturn.spend_pence: figures.spend_pence,
            DeliveryReturn.narrative: figures.narrative,
            DeliveryReturn.risks: figures.risks,
            DeliveryReturn.saved_at: now,
            DeliveryReturn.saved_by_username: actor.username,
        }
    ).where(DeliveryReturn.id == return_id)
    op.record(
        "Contract",
        row["contract"],
        before={"status": before.value, **_which(row)},
        after={
            "status": after.value,
            **_which(row),
            "return_id": return_id,
            "source": source,
            "activity": len(figures.activity),
            "kpi_values": len(figures.kpi_values),
            "spend_pence": figures.spend_pence,
        },
        pcpg_id=row["pcpg_id"],
        health_board_id=row["health_board_id"],
    )
    return after


def _which(row: dict[str, Any]) -> dict[str, Any]:
    """Which return an audit event is about, in words its sentence can use."""
    return {
        "reference": row["reference"],
        "quarter": row["quarter"],
        "year": FinancialYear(row["financial_year"]).label,
    }


async def save_draft(*, actor: Actor, return_id: int, figures: ReturnFiguresIn, now: datetime) -> ReturnStatus:
    """Save the figures as they stand (they replace what was saved): a draft, or a queried return being corrected.
    Figures may be left out; those given must be in their form (`figures.figure_problems`)."""
    async with operation("delivery_return.saved", actor=actor, now=now) as op:
        return await _write_draft(op, actor=actor, return_id=return_id, figures=figures, now=now, source="form")


async def import_figures(*, actor: Actor, return_id: int, content: bytes, filename: str, now: datetime) -> ReturnStatus:
    """Read the return's template filled in (CSV or Excel) and save its figures as the draft, all or nothing: a file
    with any problem, or the template of another return, is refused whole and nothing is saved."""
    rows = figures_file.read_rows(content)
    row = await _return(actor, return_id, lock=False)
    _still_with_the_vehicle(row)
    expected = figures_file.Expected(
        contract_id=row["contract"],
        contract_reference=row["reference"],
        financial_year=row["financial_year"],
        year_label=FinancialYear(row["financial_year"]).label,
        quarter=row["quarter"],
        cluster_ids=frozenset(await contract_clusters(row["contract"])),
        kpi_ids=frozenset(await contract_kpis(row["contract"])),
    )
    figures = figures_file.figures_from_rows(rows, expected)
    async with operation("delivery_return.uploaded", actor=actor, now=now) as op:
        return await _write_draft(op, actor=actor, return_id=return_id, figures=figures, now=now, source="upload")


async def stored_figures(return_id: int) -> ReturnFiguresIn:
    """The figures as the tables hold them, in the one input shape (the snapshot of a version)."""
    row = (
        await DeliveryReturn.select(DeliveryReturn.spend_pence, DeliveryReturn.narrative, DeliveryReturn.risks)
        .where(DeliveryReturn.id == return_id)
        .first()
    )
    assert row is not None
    activity = (
        await ReturnActivity.select()
        .where(ReturnActivity.delivery_return == return_id)
        .order_by(ReturnActivity.cluster)
    )
    kpis = (
        await ReturnKpiValue.select()
        .where(ReturnKpiValue.delivery_return == return_id)
        .order_by(ReturnKpiValue.contract_kpi)
    )
    workforce = (
        await ReturnWorkforce.select()
        .where(ReturnWorkforce.delivery_return == return_id)
        .order_by(ReturnWorkforce.staff_group)
    )
    return ReturnFiguresIn(
        activity=[ActivityIn(cluster_id=a["cluster"], units=a["units"]) for a in activity],
        spend_pence=None if row["spend_pence"] is None else int(row["spend_pence"]),
        kpi_values=[KpiValueIn(contract_kpi_id=k["contract_kpi"], value=k["value"]) for k in kpis],
        narrative=row["narrative"],
        risks=row["risks"],
        workforce=[WorkforceIn(staff_group=w["staff_group"], wte=w["wte"]) for w in workforce],
    )


async def submit_return(*, actor: Actor, return_id: int, now: datetime) -> int:
    """Submit the saved figures to the commissioner: once the quarter is over and every figure it needs is there
    (`figures.figure_problems`). Makes the next version, with a snapshot of the figures; answers its number."""
    async with operation("delivery_return.submitted", actor=actor, now=now) as op:
        row = await _return(actor, return_id, lock=True)
        before = _still_with_the_vehicle(row)
        if not rules.quarter_has_ended(row["period_to"], london_day(now)):
            raise RuleBroken(QUARTER_NOT_OVER, field="period_to", day=row["period_to"] + _ONE_DAY)
        figures = checked_figures(
            await stored_figures(return_id),
            clusters=await contract_clusters(row["contract"]),
            kpis=await contract_kpis(row["contract"]),
            whole=True,
            refusal=NOT_COMPLETE,
            light=bool(row["light"]),
        )
        version = int(row["version"]) + 1
        await ReturnVersion(
            delivery_return=return_id,
            version=version,
            kind=VersionKind.SUBMITTED.value,
            made_at=now,
            made_by_username=actor.username,
            figures=msgspec.to_builtins(figures),
        ).save()
        await DeliveryReturn.update(
            {
                DeliveryReturn.status: ReturnStatus.SUBMITTED.value,
                DeliveryReturn.version: version,
                DeliveryReturn.submitted_at: now,
                DeliveryReturn.submitted_by_username: actor.username,
            }
        ).where(DeliveryReturn.id == return_id)
        op.record(
            "Contract",
            row["contract"],
            before={"status": before.value, "version": int(row["version"]), **_which(row)},
            after={"status": ReturnStatus.SUBMITTED.value, "version": version, "return_id": return_id, **_which(row)},
            pcpg_id=row["pcpg_id"],
            health_board_id=row["health_board_id"],
        )
    return version
