"""Types of contracts made before this service, brought in from a file (issue 14, item 5): each row as read into
values (kept between the check and its confirmation) and the preview of what the file changes."""

from __future__ import annotations

from datetime import date

import msgspec
from litestar.datastructures import UploadFile


class LegacyYearIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One financial year's value, with the column it was read from (a later problem names that cell)."""

    financial_year: int
    value_pence: int
    column: str


class LegacyKpiIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One KPI of a contract, with where it was read: its row and, in a workbook, its sheet."""

    row: int
    sheet: str = ""
    name: str
    name_cy: str = ""
    unit: str
    direction: str
    target: str = ""
    green_from: str
    red_from: str


class LegacyContractIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One row of the contracts file read into values: names resolved to ids, with the row number it came from so
    a problem found later (out of scope, no headroom) still names its row and column."""

    row: int
    former_reference: str
    title: str
    title_cy: str = ""
    pcpg_id: int
    menu_service_version_id: int
    delivery_vehicle_id: int
    funding_stream: str
    start_on: date
    end_on: date
    payment_timing: str
    cluster_ids: list[int]
    years: list[LegacyYearIn]
    kpis: list[LegacyKpiIn] = []


class LegacyContractItemOut(msgspec.Struct, kw_only=True):
    """What one row of the file does: a new contract, a change to one brought in before, or nothing."""

    row: int
    former_reference: str
    contract_id: int | None  # None for a contract the file would bring in
    reference: str  # this service's reference once brought in; empty until then
    title: str
    pcpg: str  # in the reader's language
    delivery_vehicle: str
    start_on: date
    end_on: date
    status_label: str  # what it will be: live, or mobilising when it starts later
    total_value_pence: int
    committed_pence: int  # of that, what is committed on budget lines (from the current financial year on)
    before_total_pence: int | None
    change: str  # new, changed or unchanged
    change_label: str


class LegacyImportOut(msgspec.Struct, kw_only=True):
    """The preview of a file of contracts (or what it did, once applied): every row's change and their counts.
    `fingerprint` names the contracts and lines as they stood when checked, so a confirmation can tell whether they
    have moved."""

    items: list[LegacyContractItemOut]
    new: int
    changed: int
    unchanged: int
    applied: bool
    fingerprint: str


class LegacyFileIn(msgspec.Struct):
    """The contracts template filled in, CSV or Excel (XLSX), as `multipart/form-data` with one part named `file`."""

    file: UploadFile
