"""Reads of quarterly payments for the API and the finance director's pages: the contract's payment schedule
(`ContractPayment`) with each quarter's delivery return and the decision on its payment beside it, filtered by status
(the clock's and the return's reading where no decision stands), counted, summed and paged in SQL. Scoped with
returns.queries.scope, so a payment out of scope answers as an absent one. The vehicle's reported spend is read from
its return and shown beside the payment, never added to it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.querystring import QueryString

from accounts.actor import Actor, Role
from accounts.queries import full_names
from contracts.rules import PaymentTiming
from contracts.tables import Contract, ContractPayment
from core.clock import london_day
from core.errors import NotFound, RuleBroken
from core.i18n import gettext, in_reading_language, name_in_reading_language
from core.pagination import check_window
from core.periods import FinancialYear
from returns import rules
from returns.queries.scope import read_scope, scoped
from returns.rules import PAYMENT_RELEASED, PAYMENT_STATUS_ORDER, PaymentAction, PaymentStatus, ReturnStatus
from returns.schemas.payments import PaymentActionOut, PaymentClusterOut, PaymentOut, PaymentsPage
from returns.tables import DeliveryReturn, Payment, PaymentCluster, ReturnActivity

STATUSES = tuple(status.value for status in PaymentStatus)

_T = ContractPayment._meta.tablename
_SAME_QUARTER = (
    f'"{{alias}}"."contract" = "{_T}"."contract" AND "{{alias}}"."financial_year" = "{_T}"."financial_year" '
    f'AND "{{alias}}"."quarter" = "{_T}"."quarter"'
)


_COVERING = (
    f'"r"."contract" = "{_T}"."contract" AND "r"."financial_year" = "{_T}"."financial_year" '
    f'AND "r"."quarter" >= "{_T}"."quarter" AND "r"."quarter" - "r"."quarters" < "{_T}"."quarter"'
)
"""The delivery return whose period covers the quarter: its own, or the half-yearly return ending with the next
quarter (issue 15, item 5). The schedule never lets two returns cover one quarter (returns.services.schedule)."""


def _of_return(column: str) -> str:
    """One column of the delivery return covering the quarter (at most one)."""
    return f'(SELECT "r"."{column}" FROM "{DeliveryReturn._meta.tablename}" AS "r" WHERE {_COVERING})'


def _of_payment(column: str) -> str:
    """One column of the decision on the quarter's payment, if one was taken (one a quarter: a unique index)."""
    where = _SAME_QUARTER.format(alias="p")
    return f'(SELECT "p"."{column}" FROM "{Payment._meta.tablename}" AS "p" WHERE {where})'


def _units() -> str:
    """The units of activity the return covering the quarter reports, over its clusters (a half-yearly return's are
    the half year's)."""
    return (
        f'(SELECT SUM("a"."units") FROM "{ReturnActivity._meta.tablename}" AS "a" '
        f'JOIN "{DeliveryReturn._meta.tablename}" AS "r" ON "r"."id" = "a"."delivery_return" WHERE {_COVERING})'
    )


_TIMING = f'(SELECT "c"."payment_timing" FROM "{Contract._meta.tablename}" AS "c" WHERE "c"."id" = "{_T}"."contract")'
_FIRST_DAY = f'"{_T}"."due_on"'
"""The quarter's first day, where it matters (a payment in advance, due on that day: contracts.rules
.payment_schedule); a covering half-yearly return starts a quarter earlier."""


def _state_sql() -> str:
    """returns.rules.payment_state written in SQL, with one placeholder for today (tests compare the two): the
    decision where one stands, else payable (in advance from the quarter's first day; in arrears once its return
    is accepted), else scheduled."""
    decided = _of_payment("status")
    return (
        f"(CASE WHEN {decided} IN ('{PaymentStatus.APPROVED}', '{PaymentStatus.WITHHELD}') THEN {decided} "
        f"WHEN ({_TIMING} = '{PaymentTiming.IN_ADVANCE}' AND {_FIRST_DAY} <= {{}}) "
        f"OR ({_TIMING} <> '{PaymentTiming.IN_ADVANCE}' AND {_of_return('status')} = '{ReturnStatus.ACCEPTED}') "
        f"THEN '{PaymentStatus.PAYABLE}' ELSE '{PaymentStatus.SCHEDULED}' END)"
    )


def _state(today: date) -> QueryString:
    return QueryString(_state_sql(), today)


def _rank(today: date) -> QueryString:
    """PAYMENT_STATUS_ORDER as a number, for ORDER BY: what waits for the finance director first."""
    whens = " ".join(f"WHEN '{status}' THEN {rank}" for rank, status in enumerate(PAYMENT_STATUS_ORDER))
    return QueryString(f"(CASE {{}} {whens} ELSE 9 END)", _state(today))


def _select(today: date) -> Any:
    p: Any = ContractPayment
    return ContractPayment.select(
        *ContractPayment.all_columns(),
        p.contract.reference.as_alias("contract_reference"),
        p.contract.title.as_alias("contract_title"),
        p.contract.title_cy.as_alias("contract_title_cy"),
        p.contract.payment_timing.as_alias("payment_timing"),
        p.contract.health_board.as_alias("health_board_id"),
        p.contract.delivery_vehicle.name.as_alias("vehicle_name"),
        in_reading_language(p.contract.pcpg.name, p.contract.pcpg.name_cy, alias="pcpg_shown"),
        in_reading_language(
            p.contract.menu_service_version.unit_of_activity,
            p.contract.menu_service_version.unit_of_activity_cy,
            alias="unit",
        ),
        QueryString(_of_return("id")).as_alias("return_id"),
        QueryString(_of_return("status")).as_alias("return_status"),
        QueryString(_of_return("period_from")).as_alias("period_from"),
        QueryString(_of_return("period_to")).as_alias("period_to"),
        QueryString(_of_return("spend_pence")).as_alias("spend_pence"),
        QueryString(_of_return("decided_by_username")).as_alias("return_decided_by"),
        QueryString(_units()).as_alias("units"),
        QueryString(_of_payment("id")).as_alias("payment_id"),
        QueryString(_of_payment("status")).as_alias("decision"),
        QueryString(_of_payment("amount_pence")).as_alias("decided_amount_pence"),
        QueryString(_of_payment("decided_at")).as_alias("decided_at"),
        QueryString(_of_payment("decided_by_username")).as_alias("decided_by"),
        QueryString(_of_payment("reason")).as_alias("reason"),
    )


def _conditions(
    actor: Actor, today: date, status: str | None, contract_id: int | None, financial_year: int | None
) -> list[Any]:
    if status is not None and status not in STATUSES:
        raise RuleBroken("Choose a status: scheduled, payable, approved or withheld", field="status")
    return [
        read_scope(actor, ContractPayment),
        None if status is None else WhereRaw(f"{_state_sql()} = {{}}", today, status),
        None if contract_id is None else ContractPayment.contract == contract_id,
        None if financial_year is None else ContractPayment.financial_year == financial_year,
    ]


def _decides(actor: Actor) -> bool:
    """Whether the reader approves and withholds the payments they read: a finance director, whose read scope is
    exactly their payment scope (their health board's contracts, returns.queries.scope)."""
    return actor.role is Role.FINANCE_DIRECTOR


def _payment_path(row: dict[str, Any]) -> str:
    return f"/payments/{row['contract']}/{row['financial_year']}/{row['quarter']}"


def _out(
    row: dict[str, Any], *, actor: Actor, today: date, names: dict[str, str], clusters: list[PaymentClusterOut]
) -> PaymentOut:
    first_day = row["period_from"] or row["due_on"]
    if isinstance(first_day, str):  # a subquery's date comes back as text on SQLite
        first_day = date.fromisoformat(first_day)
    period_to = row["period_to"]
    if isinstance(period_to, str):
        period_to = date.fromisoformat(period_to)
    decided_at = row["decided_at"]
    if isinstance(decided_at, str):
        decided_at = datetime.fromisoformat(decided_at)
    return_status = ReturnStatus(row["return_status"]) if row["return_status"] else None
    # in advance the payment is due on the quarter's first day; in arrears the day does not decide (the return does)
    state = rules.payment_state(row["payment_timing"], row["due_on"], today, return_status, row["decision"])
    decides = _decides(actor)
    refused = ""
    actions: list[PaymentActionOut] = []
    if decides:
        refusal = rules.approval_refusal(actor.username, row["return_decided_by"], return_status)
        for action in PaymentAction:
            if rules.payment_move_refusal(action, state) is not None:
                continue
            if action is PaymentAction.APPROVE and refusal is not None:
                refused = gettext(refusal)
                continue
            actions.append(PaymentActionOut(action.value, gettext(action.label), f"{_payment_path(row)}/{action}"))
    spend = rules.reported_spend(return_status, None if row["spend_pence"] is None else int(row["spend_pence"]))
    units = None if row["units"] is None else int(row["units"])
    amount = row["decided_amount_pence"] if state is PaymentStatus.APPROVED else row["amount_pence"]
    timing = PaymentTiming(row["payment_timing"])
    return PaymentOut(
        contract_id=row["contract"],
        contract_reference=row["contract_reference"],
        contract_title=name_in_reading_language(row["contract_title"], row["contract_title_cy"]),
        delivery_vehicle=row["vehicle_name"],
        pcpg=row["pcpg_shown"],
        financial_year=row["financial_year"],
        year_label=FinancialYear(row["financial_year"]).label,
        quarter=row["quarter"],
        period_from=first_day,
        period_to=period_to,
        payment_timing=timing.value,
        timing_label=gettext(timing.label),
        due_on=row["due_on"],
        amount_pence=int(amount),
        status=state,
        status_label=gettext(state.label),
        status_tag=state.tag,
        return_id=row["return_id"],
        return_status_label=gettext(return_status.label) if return_status else "",
        decided_at=decided_at,
        decided_by=names.get(row["decided_by"] or "", row["decided_by"] or ""),
        reason=row["reason"] or "",
        released=row["decision"] == PAYMENT_RELEASED,
        reported_spend_pence=spend,
        activity_units=units if return_status not in (None, *rules.NOT_YET_SUBMITTED) else None,
        unit_of_activity=row["unit"] or "",
        cost_per_unit_pence=rules.cost_per_unit(spend, units),
        actions=actions,
        refused_approval=refused,
        clusters=clusters,
    )


async def list_payments(
    *,
    actor: Actor,
    now: datetime,
    status: str | None = None,
    contract_id: int | None = None,
    financial_year: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> PaymentsPage:
    """The payments the actor may read, what waits for a decision first (payable, withheld, scheduled, approved),
    then by due day: three statements (the page, the count with the sum, the names of who decided)."""
    check_window(limit, offset)
    today = london_day(now)
    conditions = _conditions(actor, today, status, contract_id, financial_year)
    query = _select(today)
    totals = ContractPayment.select(
        QueryString("COUNT(*)").as_alias("count"),
        QueryString(f'COALESCE(SUM("{_T}"."amount_pence"), 0)').as_alias("sum"),
    )
    for condition in conditions:
        query, totals = scoped(query, condition), scoped(totals, condition)
    query = (
        query.order_by(_rank(today))
        .order_by(ContractPayment.due_on)
        .order_by(ContractPayment.contract)
        .order_by(ContractPayment.id)
    )
    rows = await query.limit(limit).offset(offset)
    found = await totals.first()
    names = await full_names([row["decided_by"] or "" for row in rows])
    return PaymentsPage(
        items=[_out(row, actor=actor, today=today, names=names, clusters=[]) for row in rows],
        total=int(found["count"]) if found else 0,
        limit=limit,
        offset=offset,
        amount_pence=int(found["sum"] or 0) if found else 0,
    )


async def get_payment(
    *, actor: Actor, contract_id: int, financial_year: int, quarter: int, now: datetime
) -> PaymentOut:
    """One quarter's payment with its split by cluster once approved; out of scope or not in the schedule alike is
    not found."""
    today = london_day(now)
    query = _select(today).where(
        (ContractPayment.contract == contract_id)
        & (ContractPayment.financial_year == financial_year)
        & (ContractPayment.quarter == quarter)
    )
    row = await scoped(query, read_scope(actor, ContractPayment)).first()
    if row is None:
        raise NotFound("No such payment")
    clusters: list[PaymentClusterOut] = []
    if row["payment_id"] is not None and row["decision"] == PaymentStatus.APPROVED:
        c: Any = PaymentCluster
        parts = (
            await PaymentCluster.select(
                PaymentCluster.cluster,
                PaymentCluster.amount_pence,
                in_reading_language(c.cluster.name, c.cluster.name_cy, alias="name"),
            )
            .where(PaymentCluster.payment == row["payment_id"])
            .order_by(PaymentCluster.cluster)
        )
        clusters = [PaymentClusterOut(p["cluster"], p["name"], int(p["amount_pence"])) for p in parts]
    names = await full_names([row["decided_by"] or ""])
    return _out(row, actor=actor, today=today, names=names, clusters=clusters)
