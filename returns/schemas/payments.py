"""Types in and out of quarterly payments: the finance director's reason for withholding or releasing one, and a
payment as its readers see it (decided values only), with the vehicle's reported spend beside it, never added to it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from returns.rules import PaymentStatus

REASON_MAX_LENGTH = 2000

Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=REASON_MAX_LENGTH)]


class PaymentReasonIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Why a payment is withheld (the performance notice), or why a withheld one is released."""

    reason: Reason


class PaymentActionOut(msgspec.Struct, frozen=True):
    action: str
    label: str
    href: str


class PaymentClusterOut(msgspec.Struct, frozen=True):
    cluster_id: int
    cluster: str
    amount_pence: int


class PaymentOut(msgspec.Struct, frozen=True, kw_only=True):
    """One quarter's payment of a contract. `amount_pence` is what the schedule pays (what was approved, once it is);
    `reported_spend_pence` is the vehicle's own figure from its return, kept apart for value for money:
    `cost_per_unit_pence` is that spend per unit of activity delivered."""

    contract_id: int
    contract_reference: str
    contract_title: str
    delivery_vehicle: str
    pcpg: str
    financial_year: int
    year_label: str
    quarter: int
    period_from: date | None
    period_to: date | None
    payment_timing: str
    timing_label: str
    due_on: date
    amount_pence: int
    status: PaymentStatus
    status_label: str
    status_tag: str
    return_id: int | None
    return_status_label: str
    decided_at: datetime | None
    decided_by: str
    reason: str
    released: bool  # a withheld payment released again: `reason` says why it was released
    reported_spend_pence: int | None
    activity_units: int | None
    unit_of_activity: str
    cost_per_unit_pence: int | None
    actions: list[PaymentActionOut]
    refused_approval: str  # why the reader may not approve a payment that is due (separation of duties), or ""
    clusters: list[PaymentClusterOut] = []


class PaymentsPage(msgspec.Struct, frozen=True, kw_only=True):
    """A page of payments (`{"items", "total", "limit", "offset"}` as every list) and the sum of the scheduled
    amounts of every payment the filters select, over all pages."""

    items: list[PaymentOut]
    total: int
    limit: int
    offset: int
    amount_pence: int
