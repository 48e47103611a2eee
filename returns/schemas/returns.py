"""Types in and out of delivery returns: the figures a delivery vehicle reports (shared by the form, the upload and the
API) and the return as its readers see it, with decided values only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from core.bounds import Id
from returns.rules import RAG, ReturnStatus

Units = Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]
Pence = Annotated[int, msgspec.Meta(ge=0, le=100_000_000_000)]
Decimal = Annotated[str, msgspec.Meta(max_length=40)]
Text = Annotated[str, msgspec.Meta(max_length=10_000)]


class ActivityIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    cluster_id: Id
    units: Units


class KpiValueIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    contract_kpi_id: Id
    value: Decimal


class WorkforceIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    staff_group: Annotated[str, msgspec.Meta(max_length=40)]
    wte: Decimal


class ReturnFiguresIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What a return reports: activity by cluster (in the menu service's unit), the quarter's spend, a value for each
    KPI, narrative, risks and issues, and the workforce in post. A draft may leave figures out; submitting needs
    them all (returns.rules)."""

    activity: list[ActivityIn] = []
    spend_pence: Pence | None = None
    kpi_values: list[KpiValueIn] = []
    narrative: Text = ""
    risks: Text = ""
    workforce: list[WorkforceIn] = []


class ReturnActionOut(msgspec.Struct, frozen=True):
    action: str
    label: str
    href: str


class ReturnSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    contract_id: int
    contract_reference: str
    contract_title: str
    delivery_vehicle: str
    pcpg: str
    financial_year: int
    year_label: str
    quarter: int
    period_from: date
    period_to: date
    due_on: date
    status: ReturnStatus
    status_label: str
    status_tag: str
    overdue: bool
    version: int
    submitted_at: datetime | None
    quarters: int = 1  # how many quarters it covers, ending with `quarter` (2: half-yearly, issue 15)
    first_quarter: int = 0  # the first quarter it covers (`quarter` for a quarterly return)
    light: bool = False  # spend, activity and KPIs only: no narrative, risks or workforce


class ReturnClusterOut(msgspec.Struct, frozen=True):
    cluster_id: int
    name: str
    units: int | None
    name_is_english: bool = False  # on a Welsh page, a cluster with no Welsh name (marked lang="en")


class ReturnKpiOut(msgspec.Struct, frozen=True, kw_only=True):
    contract_kpi_id: int
    name: str
    unit: str
    direction_label: str
    target: str
    green_from: str
    red_from: str
    value: str | None
    rag: RAG
    rag_label: str
    rag_tag: str


class ReturnWorkforceOut(msgspec.Struct, frozen=True):
    staff_group: str
    label: str
    wte: str | None


class ReturnQueryOut(msgspec.Struct, frozen=True, kw_only=True):
    version: int
    field: str
    comment: str
    raised_at: datetime
    raised_by: str


class ReturnVersionOut(msgspec.Struct, frozen=True, kw_only=True):
    version: int
    kind: str
    made_at: datetime
    made_by: str
    reason: str


class ReturnOut(msgspec.Struct, frozen=True, kw_only=True):
    """One return whole: its quarter and contract, the figures as they stand, the commissioner's open queries, its
    versions, and what the reader may do next."""

    summary: ReturnSummary
    unit_of_activity: str
    quarter_share_pence: int
    spend_pence: int | None
    narrative: str
    risks: str
    activity: list[ReturnClusterOut]
    kpis: list[ReturnKpiOut]
    workforce: list[ReturnWorkforceOut]
    queries: list[ReturnQueryOut]
    versions: list[ReturnVersionOut]
    actions: list[ReturnActionOut]
