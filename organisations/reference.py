"""Load the Wales reference data (health boards, RPBs, local authorities, PCPGs, clusters); idempotent."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from accounts.actor import Actor
from audit.operation import Recorder, operation
from organisations.tables import Cluster, HealthBoard, LocalAuthority, Pcpg, RegionalPartnershipBoard

DATA_DIR = Path(__file__).parent / "data"
ACD_CONFIGURATION_ON = date(2023, 4, 1)

RPB_WELSH = {
    "Gwent": "Gwent",
    "North Wales": "Gogledd Cymru",
    "Cardiff and Vale": "Caerdydd a'r Fro",
    "Cwm Taf Morgannwg": "Cwm Taf Morgannwg",
    "West Wales": "Gorllewin Cymru",
    "Powys": "Powys",
    "West Glamorgan": "Gorllewin Morgannwg",
}
PCPG_WELSH_OVERRIDES = {"Swansea Bay": "Bae Abertawe"}


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


async def _upsert(op: Recorder, table: type, key: dict[str, Any], values: dict[str, Any]) -> int:
    """Insert or update one row by its natural key; record only what changed."""
    column = getattr(table, next(iter(key)))
    existing = await table.select().where(column == next(iter(key.values()))).first()
    if existing is None:
        row = table(**key, **values)
        await row.save()
        op.record(table.__name__, row.id, after={**key, **values}, action="reference.created")
        return int(row.id)
    changed = {name: value for name, value in values.items() if existing[name] != value}
    if changed:
        await table.update({getattr(table, name): value for name, value in changed.items()}).where(
            table.id == existing["id"]
        )
        op.record(
            table.__name__,
            existing["id"],
            before={name: existing[name] for name in changed},
            after=changed,
            action="reference.updated",
        )
    return int(existing["id"])


async def load_reference(*, actor: Actor, now: datetime) -> dict[str, int]:
    """Twice gives the same rows: natural keys (names, seed numbers) decide insert or update."""
    counts: dict[str, int] = {}
    async with operation("reference.loaded", actor=actor, now=now) as op:
        boards: dict[str, int] = {}
        rpbs: dict[str, int] = {}
        for row in _rows("wales-health-boards.csv"):
            boards[row["health_board"]] = await _upsert(
                op,
                HealthBoard,
                {"name": row["health_board"]},
                {"name_cy": row["health_board_cy"], "short_name": row["short_name"]},
            )
            rpb = row["regional_partnership_board"]
            rpbs[rpb] = await _upsert(
                op,
                RegionalPartnershipBoard,
                {"name": rpb},
                {"name_cy": RPB_WELSH.get(rpb, rpb), "health_board": boards[row["health_board"]]},
            )
        pcpgs: dict[str, int] = {}
        authorities: dict[str, int] = {}
        for row in _rows("wales-local-authorities.csv"):
            pcpg_name = row["default_pcpg"]
            if pcpg_name not in pcpgs:
                welsh = PCPG_WELSH_OVERRIDES.get(pcpg_name, row["local_authority_cy"])
                pcpgs[pcpg_name] = await _upsert(
                    op,
                    Pcpg,
                    {"name": pcpg_name},
                    {
                        "name_cy": welsh,
                        "health_board": boards[row["health_board"]],
                        "effective_from_on": ACD_CONFIGURATION_ON,
                    },
                )
            authorities[row["local_authority"]] = await _upsert(
                op,
                LocalAuthority,
                {"name": row["local_authority"]},
                {
                    "name_cy": row["local_authority_cy"],
                    "health_board": boards[row["health_board"]],
                    "regional_partnership_board": rpbs[row["regional_partnership_board"]],
                    "pcpg": pcpgs[pcpg_name],
                },
            )
        authority_pcpg = {
            row["local_authority"]: pcpgs[row["default_pcpg"]] for row in _rows("wales-local-authorities.csv")
        }
        clusters = 0
        for row in _rows("wales-clusters.csv"):
            population = int(row["population"]) if row["population"].strip() else None
            await _upsert(
                op,
                Cluster,
                {"seed_number": int(row["seed_number"])},
                {
                    "name": row["cluster"],
                    "local_authority": authorities[row["local_authority"]],
                    "pcpg": authority_pcpg[row["local_authority"]],
                    "health_board": boards[row["health_board"]],
                    "population": population,
                    "population_is_estimate": row["population_is_estimate"].strip() == "yes",
                    "population_source": row["population_source"].strip(),
                    "effective_from_on": ACD_CONFIGURATION_ON,
                },
            )
            clusters += 1
        counts = {
            "health_boards": len(boards),
            "regional_partnership_boards": len(rpbs),
            "local_authorities": len(authorities),
            "pcpgs": len(pcpgs),
            "clusters": clusters,
            "changes": len(op.changes),
        }
    return counts
