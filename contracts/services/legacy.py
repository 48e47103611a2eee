"""Contracts made before this service, brought in from a file (issue 14, item 5): what a file would change (the
preview), and applying it whole in one operation with its audit, or refusing it whole with the row and column of
every problem. The same pattern and kit as the budget lines' file (finance/budget_import.py).

Decisions (README, "Contracts made before this service"): a commissioner brings in their own PCPGs' contracts; the
delivery vehicle must already be registered and approved; the contract is live, or mobilising when it starts later;
what fell due before the day it was brought in was committed and paid outside this service, so it has no commitment
or payment here; from that day on each year commits on the PCPG's budget line for that year and funding stream
(refused, naming the cell, if there is none or it lacks headroom) exactly what its quarterly payments still to come
will pay (`rules.committed_values`), and it is reported on from the quarter holding that day. A contract already
brought in (same PCPG and former reference) is unchanged when the file says what it holds, and changed otherwise,
which is refused once it has a delivery return started or a payment decided (vary it on its page instead)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import msgspec

from accounts.actor import Actor, Role
from audit.operation import operation
from contracts import legacy_file, rules
from contracts.legacy_file import Names, folded
from contracts.queries import snapshot
from contracts.rules import ContractOrigin, ContractStatus, PaymentTiming
from contracts.schemas.legacy import LegacyContractIn, LegacyContractItemOut, LegacyImportOut
from contracts.services import parts
from contracts.tables import Contract, ContractCluster, ContractImport, ContractKpi, ContractYear
from core.db import for_update, serialise
from core.errors import Conflict, NotAllowed, NotFound
from core.i18n import N_, current_language, gettext, name_in_reading_language
from core.money import format_pounds
from core.periods import FinancialYear
from core.spreadsheet import CellProblems
from finance import queries as finance_queries
from finance import services as finance_services
from finance.budget_import import pcpg_names
from finance.rules import FUNDING_STREAMS, IMPORT_CHANGES, ImportChange
from finance.schemas import EarmarkRequest
from finance.tables import BudgetCommitment, BudgetLine
from menu.tables import MenuServiceVersion
from organisations.rules import DeliveryVehicleStatus
from organisations.tables import Cluster, DeliveryVehicle, Pcpg
from returns.rules import ReturnStatus
from returns.services.schedule import sync_returns
from returns.tables import DeliveryReturn, Payment

_REFERENCE_LOCK_KEY = 7_245_201  # contracts.services.making: references are numbered one writer at a time
CHECK_LASTS = timedelta(hours=24)
NOT_YOURS = N_("this PCPG is not one of yours, so you cannot bring in its contracts")
REPEATED = N_("this reference is on row %(first)s as well, for the same PCPG")
NOT_APPROVED = N_("this delivery vehicle is not approved: it must be approved before its contracts are brought in")
OTHER_PCPG_CLUSTER = N_("%(name)s is not a cluster of this PCPG")
ENDED = N_("this contract ended before today: only contracts still running are brought in")
NO_LINE = N_("the PCPG has no %(stream)s budget line for %(year)s: a finance director sets it up first")
NO_HEADROOM = N_("the %(year)s %(stream)s budget line has %(headroom)s left, less than the %(needed)s this file needs")
HAS_HISTORY = N_(
    "contract %(reference)s already has delivery returns or payments under way, so a file cannot change it: vary it "
    "on its page"
)
MOVED = N_(
    "The contracts or budget lines in this file have changed since you checked it. Look at what it would change now, "
    "then confirm"
)
CHECK_EXPIRED = N_("This check is more than a day old, or was already applied. Upload the file again")
COMMISSIONERS_ONLY = "Contracts made before this service are brought in by a commissioner of their PCPG"


async def names() -> Names:
    """Everything a file names, each kind in one read whatever the file's length."""
    services: dict[str, int] = {}
    for row in await MenuServiceVersion.select(
        MenuServiceVersion.id,
        MenuServiceVersion.name,
        MenuServiceVersion.name_cy,
        MenuServiceVersion.version,
        MenuServiceVersion.menu_service.current_version.as_alias("current"),
    ).where(MenuServiceVersion.menu_service.retired_at.is_null()):
        if row["version"] != row["current"]:
            continue  # a contract names the menu's service as it stands now
        for name in (row["name"], row["name_cy"]):
            if name:
                services.setdefault(folded(name), int(row["id"]))
    vehicles: dict[str, int] = {}
    for row in await DeliveryVehicle.select(
        DeliveryVehicle.id, DeliveryVehicle.name, DeliveryVehicle.companies_house_number
    ):
        if row["companies_house_number"]:
            vehicles.setdefault(folded(row["companies_house_number"]), int(row["id"]))
        vehicles.setdefault(folded(row["name"]), int(row["id"]))
    clusters: dict[str, int] = {}
    for row in await Cluster.select(Cluster.id, Cluster.name, Cluster.name_cy):
        for name in (row["name"], row["name_cy"]):
            if name:
                clusters.setdefault(folded(name), int(row["id"]))
    return Names(pcpgs=await pcpg_names(), services=services, vehicles=vehicles, clusters=clusters)


async def read_file(content: bytes) -> tuple[list[LegacyContractIn], CellProblems]:
    """The file's rows that could be read as values, and the problems of form of the others; both are passed on,
    so the whole file is refused at once with its problems of form and of substance together."""
    sheets = legacy_file.read_file_sheets(content)
    problems = CellProblems()
    return legacy_file.contracts_from_sheets(sheets, await names(), problems), problems


@dataclass
class _Work:
    """What applying a row writes, decided by the plan."""

    line: LegacyContractIn
    item: LegacyContractItemOut
    health_board_id: int
    reported_from_on: date
    lines: dict[int, int] = field(default_factory=dict)  # financial year -> budget line, for the years paid here
    existing: dict[str, Any] | None = None


def _signature(
    *,
    title: str,
    title_cy: str,
    service: int | None,
    vehicle: int,
    start_on: date,
    end_on: date,
    timing: str,
    clusters: Sequence[int],
    years: dict[int, int],
    streams: set[str],
    kpis: Sequence[tuple[str, ...]],
) -> Any:
    return (
        title,
        title_cy,
        service,
        vehicle,
        start_on.isoformat(),
        end_on.isoformat(),
        timing,
        sorted(clusters),
        sorted(years.items()),
        sorted(streams),
        list(kpis),
    )


def _file_kpis(line: LegacyContractIn) -> list[tuple[str, ...]]:
    return [(k.name, k.name_cy, k.unit, k.direction, k.target, k.green_from, k.red_from) for k in line.kpis]


async def _existing(pcpg_ids: list[int], references: list[str], *, lock: bool) -> dict[tuple[int, str], Any]:
    """The contracts brought in before under these references, with what they hold: five reads in all."""
    query = Contract.select().where(
        (Contract.origin == ContractOrigin.LEGACY.value)
        & Contract.pcpg.is_in(pcpg_ids or [-1])
        & Contract.former_reference.is_in(references or [""])
    )
    rows = await (for_update(query.order_by(Contract.id)) if lock else query)
    ids = [int(row["id"]) for row in rows] or [-1]
    years = await ContractYear.select(
        ContractYear.contract,
        ContractYear.financial_year,
        ContractYear.value_pence,
        ContractYear.budget_line.funding_stream.as_alias("stream"),
    ).where(ContractYear.contract.is_in(ids))
    clusters = await ContractCluster.select(ContractCluster.contract, ContractCluster.cluster).where(
        ContractCluster.contract.is_in(ids)
    )
    kpis = (
        await ContractKpi.select()
        .where(ContractKpi.contract.is_in(ids))
        .order_by(ContractKpi.contract)
        .order_by(ContractKpi.position)
    )
    started = {
        int(row["contract"])
        for row in await DeliveryReturn.select(DeliveryReturn.contract).where(
            DeliveryReturn.contract.is_in(ids) & (DeliveryReturn.status != ReturnStatus.NOT_STARTED.value)
        )
    }
    started |= {
        int(row["contract"]) for row in await Payment.select(Payment.contract).where(Payment.contract.is_in(ids))
    }
    found: dict[tuple[int, str], Any] = {}
    for row in rows:
        cid = int(row["id"])
        held = [y for y in years if y["contract"] == cid]
        row["signature"] = _signature(
            title=row["title"],
            title_cy=row["title_cy"],
            service=row["menu_service_version"],
            vehicle=int(row["delivery_vehicle"]),
            start_on=row["start_on"],
            end_on=row["end_on"],
            timing=row["payment_timing"],
            clusters=[int(c["cluster"]) for c in clusters if c["contract"] == cid],
            years={int(y["financial_year"]): int(y["value_pence"]) for y in held},
            streams={y["stream"] for y in held if y["stream"]},
            kpis=[
                (k["name"], k["name_cy"], k["unit"], k["direction"], k["target"], k["green_from"], k["red_from"])
                for k in kpis
                if k["contract"] == cid
            ],
        )
        row["started"] = cid in started
        found[(int(row["pcpg"]), folded(row["former_reference"]))] = row
    return found


async def _plan(
    actor: Actor,
    lines: list[LegacyContractIn],
    *,
    now: datetime,
    lock: bool,
    problems: CellProblems | None = None,
) -> tuple[LegacyImportOut, list[_Work]]:
    """What each row would do, found in a few reads whatever the file's length; every problem of substance named by
    row and column, and the file refused whole if there is any (with those of form found in reading it)."""
    if actor.role is not Role.COMMISSIONER:
        raise NotAllowed(COMMISSIONERS_ONLY)
    problems = problems if problems is not None else CellProblems()
    today = now.date()
    current_year = FinancialYear.containing(today).start_year
    pcpg_ids = sorted({line.pcpg_id for line in lines})
    places = {
        int(row["id"]): row
        for row in await Pcpg.select(Pcpg.id, Pcpg.name, Pcpg.name_cy, Pcpg.health_board).where(
            Pcpg.id.is_in(pcpg_ids or [-1])
        )
    }
    vehicles = {
        int(row["id"]): row
        for row in await DeliveryVehicle.select(DeliveryVehicle.id, DeliveryVehicle.name, DeliveryVehicle.status).where(
            DeliveryVehicle.id.is_in(sorted({line.delivery_vehicle_id for line in lines}) or [-1])
        )
    }
    cluster_rows = await Cluster.select(Cluster.id, Cluster.name, Cluster.pcpg).where(
        Cluster.id.is_in(sorted({c for line in lines for c in line.cluster_ids}) or [-1])
    )
    clusters = {int(row["id"]): row for row in cluster_rows}
    existing = await _existing(pcpg_ids, sorted({line.former_reference for line in lines}), lock=lock)
    years = sorted({y.financial_year for line in lines for y in line.years if y.financial_year >= current_year - 1})
    found_lines = BudgetLine.select(
        BudgetLine.id, BudgetLine.pcpg, BudgetLine.financial_year, BudgetLine.funding_stream
    ).where(BudgetLine.pcpg.is_in(pcpg_ids or [-1]) & BudgetLine.financial_year.is_in(years or [-1]))
    budget_lines = {
        (int(row["pcpg"]), int(row["financial_year"]), row["funding_stream"]): int(row["id"])
        for row in await (for_update(found_lines.order_by(BudgetLine.id)) if lock else found_lines)
    }
    ledgers = await finance_queries.ledgers(sorted(budget_lines.values()))
    held_rows = await BudgetCommitment.select(
        BudgetCommitment.budget_line, BudgetCommitment.contract, BudgetCommitment.amount_pence
    ).where(
        BudgetCommitment.contract.is_in([int(row["id"]) for row in existing.values()] or [-1])
        & BudgetCommitment.released_at.is_null()
    )
    welsh = current_language.get() == "cy"
    first_row: dict[tuple[int, str], int] = {}
    needed: dict[int, int] = {}  # budget line -> pence the file commits on it
    released: dict[int, int] = {}  # budget line -> pence a changed contract holds on it now
    users: dict[int, list[tuple[int, str, int]]] = {}  # budget line -> (row, column, year) that draw on it
    work: list[_Work] = []
    for line in lines:
        place = places.get(line.pcpg_id)
        if place is None or line.pcpg_id not in actor.pcpg_ids:
            problems.add(line.row, legacy_file.PCPG, NOT_YOURS)
            continue
        key = (line.pcpg_id, folded(line.former_reference))
        if key in first_row:
            problems.add(line.row, legacy_file.REFERENCE, REPEATED, first=first_row[key])
            continue
        first_row[key] = line.row
        vehicle = vehicles.get(line.delivery_vehicle_id)
        if vehicle is None or vehicle["status"] != DeliveryVehicleStatus.APPROVED.value:
            problems.add(line.row, legacy_file.VEHICLE, NOT_APPROVED)
        for cluster_id in line.cluster_ids:
            cluster = clusters.get(cluster_id)
            if cluster is None or int(cluster["pcpg"]) != line.pcpg_id:
                name = cluster["name"] if cluster else str(cluster_id)
                problems.add(line.row, legacy_file.CLUSTERS, OTHER_PCPG_CLUSTER, name=name)
        if line.end_on < today:
            problems.add(line.row, legacy_file.END, ENDED)
        row = existing.get(key)
        reported_from_on = row["reported_from_on"] if row is not None and row["reported_from_on"] else today
        values = {y.financial_year: y.value_pence for y in line.years}
        committed = rules.committed_values(
            values, PaymentTiming(line.payment_timing), reported_from_on=reported_from_on
        )
        change = ImportChange.NEW
        if row is not None:
            signature = _signature(
                title=line.title,
                title_cy=line.title_cy,
                service=line.menu_service_version_id,
                vehicle=line.delivery_vehicle_id,
                start_on=line.start_on,
                end_on=line.end_on,
                timing=line.payment_timing,
                clusters=line.cluster_ids,
                years=values,
                streams={line.funding_stream} if committed else set(),
                kpis=_file_kpis(line),
            )
            change = ImportChange.UNCHANGED if signature == row["signature"] else ImportChange.CHANGED
            if change is ImportChange.CHANGED and (
                row["started"] or ContractStatus(row["status"]) not in (ContractStatus.LIVE, ContractStatus.MOBILISING)
            ):
                problems.add(line.row, legacy_file.REFERENCE, HAS_HISTORY, reference=row["reference"])
                continue
        item_work = _Work(
            line=line,
            item=LegacyContractItemOut(
                row=line.row,
                former_reference=line.former_reference,
                contract_id=None if row is None else int(row["id"]),
                reference="" if row is None else row["reference"],
                title=line.title,
                pcpg=name_in_reading_language(place["name"], place["name_cy"]) if welsh else place["name"],
                delivery_vehicle=vehicle["name"] if vehicle else "",
                start_on=line.start_on,
                end_on=line.end_on,
                status_label=gettext(rules.legacy_status(start_on=line.start_on, today=today).label),
                total_value_pence=sum(values.values()),
                committed_pence=sum(committed.values()),
                before_total_pence=None if row is None else int(row["total_value_pence"]),
                change=change.value,
                change_label=gettext(IMPORT_CHANGES[change]),
            ),
            health_board_id=int(place["health_board"]),
            reported_from_on=reported_from_on,
            existing=row,
        )
        work.append(item_work)
        if change is ImportChange.UNCHANGED:
            continue
        if row is not None:
            for held in held_rows:
                if int(held["contract"]) == int(row["id"]):
                    line_id = int(held["budget_line"])
                    released[line_id] = released.get(line_id, 0) + int(held["amount_pence"])
        stream_label = gettext(FUNDING_STREAMS.get(line.funding_stream, line.funding_stream))
        for value in line.years:
            if value.financial_year not in committed:
                continue
            found_id = budget_lines.get((line.pcpg_id, value.financial_year, line.funding_stream))
            if found_id is None:
                problems.add(
                    line.row,
                    value.column,
                    NO_LINE,
                    stream=stream_label,
                    year=FinancialYear(value.financial_year).label,
                )
                continue
            item_work.lines[value.financial_year] = found_id
            needed[found_id] = needed.get(found_id, 0) + committed[value.financial_year]
            users.setdefault(found_id, []).append((line.row, value.column, value.financial_year))
    for line_id, pence in needed.items():
        headroom = ledgers[line_id].headroom_pence + released.get(line_id, 0)
        if pence > headroom:
            for number, column, year in users[line_id]:
                stream = next(w.line.funding_stream for w in work if w.line.row == number)
                problems.add(
                    number,
                    column,
                    NO_HEADROOM,
                    year=FinancialYear(year).label,
                    stream=gettext(FUNDING_STREAMS.get(stream, stream)),
                    headroom=format_pounds(max(headroom, 0)),
                    needed=format_pounds(pence),
                )
    problems.refuse(legacy_file.UPLOAD_REFUSED)
    items = [w.item for w in work]
    counts = {change: sum(1 for item in items if item.change == change) for change in ImportChange}
    out = LegacyImportOut(
        items=items,
        new=counts[ImportChange.NEW],
        changed=counts[ImportChange.CHANGED],
        unchanged=counts[ImportChange.UNCHANGED],
        applied=False,
        fingerprint=_fingerprint(work, ledgers),
    )
    return out, work


def _fingerprint(work: list[_Work], ledgers: dict[int, Any]) -> str:
    """The rows as read, the contracts they change as they stood and the lines' headroom: equal fingerprints, equal
    previews (and the same refusals)."""
    seen = sorted(
        (
            w.line.row,
            msgspec.json.encode(w.line).decode(),
            w.item.change,
            None if w.existing is None else (int(w.existing["id"]), int(w.existing["version"])),
        )
        for w in work
    )
    lines = sorted((line_id, ledger.headroom_pence) for line_id, ledger in ledgers.items())
    return hashlib.sha256(msgspec.json.encode([seen, lines])).hexdigest()[:32]


async def preview_contracts(
    *, actor: Actor, lines: list[LegacyContractIn], now: datetime, problems: CellProblems | None = None
) -> LegacyImportOut:
    """What the file would change (the dry run): nothing is written."""
    plan, _ = await _plan(actor, lines, now=now, lock=False, problems=problems)
    return plan


async def import_contracts(
    *,
    actor: Actor,
    lines: list[LegacyContractIn],
    now: datetime,
    seen: str | None = None,
    problems: CellProblems | None = None,
) -> LegacyImportOut:
    """Bring in and change every contract of the file in one operation, or nothing: refused whole on any problem
    (422, each with its row and column) and, where `seen` (the preview's fingerprint) is given, when the contracts or
    lines have moved since it was shown (409)."""
    async with operation("contract.imported", actor=actor, now=now) as op:
        await serialise(_REFERENCE_LOCK_KEY)
        plan, work = await _plan(actor, lines, now=now, lock=True, problems=problems)
        if seen is not None and seen != plan.fingerprint:
            raise Conflict(MOVED, field="file")
        count = await Contract.count()
        for w in work:
            if w.item.change == ImportChange.UNCHANGED.value:
                continue
            if w.existing is None:
                count += 1
                contract_id, reference = await _bring_in(actor, w, now=now, number=count)
                before: dict[str, Any] = {}
            else:
                contract_id, reference = await _change(actor, w, now=now)
                before = {"total_value_pence": int(w.existing["total_value_pence"])}
            w.item.contract_id, w.item.reference = contract_id, reference
            op.record(
                "Contract",
                contract_id,
                before=before,
                after={
                    "reference": reference,
                    "former_reference": w.line.former_reference,
                    "delivery_vehicle_id": w.line.delivery_vehicle_id,
                    "total_value_pence": w.item.total_value_pence,
                    "start_on": w.line.start_on,
                    "end_on": w.line.end_on,
                    "row": w.line.row,
                },
                pcpg_id=w.line.pcpg_id,
                health_board_id=w.health_board_id,
            )
    plan.applied = True
    return plan


async def _bring_in(actor: Actor, w: _Work, *, now: datetime, number: int) -> tuple[int, str]:
    line = w.line
    status = rules.legacy_status(start_on=line.start_on, today=now.date())
    first_year = min(y.financial_year for y in line.years)
    contract = Contract(
        reference=f"CON-{first_year}-{number:04d}",
        specification=None,
        award=None,
        health_board=w.health_board_id,
        pcpg=line.pcpg_id,
        delivery_vehicle=line.delivery_vehicle_id,
        title=line.title,
        title_cy=line.title_cy,
        start_on=line.start_on,
        end_on=line.end_on,
        status=status,
        total_value_pence=w.item.total_value_pence,
        made_at=now,
        made_by_username=actor.username,
        menu_service_version=line.menu_service_version_id,
        payment_timing=line.payment_timing,
        status_changed_at=now,
        live_from_on=line.start_on if status is ContractStatus.LIVE else None,
        origin=ContractOrigin.LEGACY,
        former_reference=line.former_reference,
        reported_from_on=w.reported_from_on,
    )
    await contract.save()
    contract_id = int(contract.id)
    await _write_parts(actor, w, contract_id, now=now, recommit=False)
    await parts.save_version(contract_id, version=1, made_at=now, made_by=actor.username, variation_id=None)
    await sync_returns(actor=actor, contract_id=contract_id, now=now)
    return contract_id, str(contract.reference)


async def _change(actor: Actor, w: _Work, *, now: datetime) -> tuple[int, str]:
    assert w.existing is not None
    line = w.line
    contract_id = int(w.existing["id"])
    version = int(w.existing["version"]) + 1
    status = rules.legacy_status(start_on=line.start_on, today=now.date())
    await Contract.update(
        {
            Contract.title: line.title,
            Contract.title_cy: line.title_cy,
            Contract.delivery_vehicle: line.delivery_vehicle_id,
            Contract.menu_service_version: line.menu_service_version_id,
            Contract.start_on: line.start_on,
            Contract.end_on: line.end_on,
            Contract.payment_timing: line.payment_timing,
            Contract.total_value_pence: w.item.total_value_pence,
            Contract.status: status,
            Contract.live_from_on: line.start_on if status is ContractStatus.LIVE else None,
            Contract.version: version,
        }
    ).where(Contract.id == contract_id)
    for table in (ContractYear, ContractCluster, ContractKpi):
        await table.delete().where(table.contract == contract_id)  # type: ignore[attr-defined]
    await _write_parts(actor, w, contract_id, now=now, recommit=True)
    await parts.save_version(contract_id, version=version, made_at=now, made_by=actor.username, variation_id=None)
    await sync_returns(actor=actor, contract_id=contract_id, now=now)
    return contract_id, str(w.existing["reference"])


async def _write_parts(actor: Actor, w: _Work, contract_id: int, *, now: datetime, recommit: bool) -> None:
    """Years, clusters, KPIs, the payment schedule, the split by cluster and the commitments of the years paid here,
    as contracts.services.making writes them for a contract awarded here."""
    line = w.line
    values = {y.financial_year: y.value_pence for y in line.years}
    await ContractYear.insert(
        *[
            ContractYear(
                contract=contract_id,
                financial_year=year,
                value_pence=value,
                budget_line=w.lines.get(year),
            )
            for year, value in sorted(values.items())
        ]
    )
    await ContractCluster.insert(*[ContractCluster(contract=contract_id, cluster=c) for c in sorted(line.cluster_ids)])
    if line.kpis:
        await ContractKpi.insert(
            *[
                ContractKpi(
                    contract=contract_id,
                    position=position,
                    name=kpi.name,
                    name_cy=kpi.name_cy,
                    unit=kpi.unit,
                    direction=kpi.direction,
                    target=kpi.target,
                    green_from=kpi.green_from,
                    red_from=kpi.red_from,
                )
                for position, kpi in enumerate(line.kpis)
            ]
        )
    timing = PaymentTiming(line.payment_timing)
    await parts.save_payments(contract_id, rules.payment_schedule(values, timing, reported_from_on=w.reported_from_on))
    committed = rules.committed_values(values, timing, reported_from_on=w.reported_from_on)
    populations = await snapshot.cluster_populations(sorted(line.cluster_ids))
    allocations = (
        rules.allocate_by_population(values, populations)
        if populations and not rules.clusters_without_population(populations)
        else []
    )
    await parts.save_allocations(contract_id, allocations)
    requests = [
        EarmarkRequest(budget_line_id=line_id, financial_year=year, amount_pence=committed[year])
        for year, line_id in sorted(w.lines.items())
    ]
    splits = parts.splits_of(rules.committed_split(allocations, committed))
    if recommit:
        await finance_services.recommit_contract(
            actor=actor, contract_id=contract_id, requests=requests, now=now, splits=splits
        )
    elif requests:
        await finance_services.commit_budget(
            actor=actor, contract_id=contract_id, requests=requests, now=now, splits=splits
        )


# The page's check-your-answers: the rows as read are kept for their user between the preview and the confirmation.


async def check_contracts_file(
    *, actor: Actor, content: bytes, filename: str, now: datetime
) -> tuple[int, LegacyImportOut]:
    """Check the file (refused whole on any problem, nothing kept) and keep its rows for the preview page."""
    if actor.role is not Role.COMMISSIONER:
        raise NotAllowed(COMMISSIONERS_ONLY)
    lines, problems = await read_file(content)
    async with operation("contracts.checked", actor=actor, now=now) as op:
        plan, _ = await _plan(actor, lines, now=now, lock=False, problems=problems)
        kept = ContractImport(
            uploaded_by=actor.user_id,
            filename=filename[:200],
            lines=msgspec.json.encode(lines).decode(),
            created_at=now,
        )
        await kept.save()
        op.record(
            "ContractImport",
            kept.id,
            after={"lines": len(plan.items), "new": plan.new, "changed": plan.changed, "unchanged": plan.unchanged},
            pcpg_id=lines[0].pcpg_id if lines else None,
        )
    return int(kept.id), plan


async def kept_lines(
    *, actor: Actor, import_id: int, now: datetime, lock: bool = False
) -> tuple[str, list[LegacyContractIn]]:
    """A check's file name and rows, for the user who made it only (anyone else's, like an absent one, is not found);
    refused once applied or a day old. Locked when it is about to be applied, so it is applied once."""
    query = ContractImport.select().where(
        (ContractImport.id == import_id) & (ContractImport.uploaded_by == (actor.user_id or -1))
    )
    row = await (for_update(query) if lock else query).first()  # type: ignore[union-attr]
    if row is None:
        raise NotFound("No such file")
    if row["applied_at"] is not None or row["created_at"] + CHECK_LASTS < now:
        raise Conflict(CHECK_EXPIRED, field="file")
    stored = row["lines"]
    if not isinstance(stored, str | bytes):
        stored = msgspec.json.encode(stored)
    return row["filename"], msgspec.json.decode(stored, type=list[LegacyContractIn])


async def preview_kept(*, actor: Actor, import_id: int, now: datetime) -> tuple[str, LegacyImportOut]:
    """The preview of a kept check, worked out again from the contracts and lines as they stand now."""
    filename, lines = await kept_lines(actor=actor, import_id=import_id, now=now)
    plan, _ = await _plan(actor, lines, now=now, lock=False)
    return filename, plan


async def confirm_contracts_file(*, actor: Actor, import_id: int, seen: str, now: datetime) -> LegacyImportOut:
    """Apply a kept check, as the user saw it: every row checked again; refused if anything moved since."""
    async with operation("contract.imported", actor=actor, now=now):
        _, lines = await kept_lines(actor=actor, import_id=import_id, now=now, lock=True)
        done = await import_contracts(actor=actor, lines=lines, now=now, seen=seen)
        await ContractImport.update({ContractImport.applied_at: now}).where(ContractImport.id == import_id)
    return done
