"""Load the Wales reference data (health boards, RPBs, local authorities, PCPGs, clusters); idempotent."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from accounts.actor import Actor
from audit.operation import Recorder, operation
from organisations.rules import PopulationFigure, population_to_load
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


POPULATION_COLUMNS = {  # a PopulationFigure's fields as Cluster's columns
    "population": Cluster.population,
    "is_estimate": Cluster.population_is_estimate,
    "source": Cluster.population_source,
    "as_of": Cluster.population_as_of,
    "source_url": Cluster.population_source_url,
}


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


def _figure(row: dict[str, str]) -> PopulationFigure:
    population = row["population"].strip()
    return PopulationFigure(
        population=int(population) if population else None,
        is_estimate=row["population_is_estimate"].strip() == "yes",
        source=row["population_source"].strip(),
        as_of=row["population_as_of"].strip() or None,
        source_url=row["population_source_url"].strip() or None,
    )


def _stored_figure(row: dict[str, Any]) -> PopulationFigure:
    return PopulationFigure(**{field: row[column._meta.name] for field, column in POPULATION_COLUMNS.items()})


async def _load_population(
    op: Recorder, cluster_id: int, stored: PopulationFigure, reference: PopulationFigure
) -> None:
    """Fill in a known cluster's population by organisations.rules.population_to_load. A new or newer figure is
    recorded as `cluster.population_set` with the whole figure before and after (its sentence gives the number, the
    source and its date); a date or address filled in beside the same figure as `reference.updated`."""
    figure = population_to_load(stored, reference)
    if figure is None:
        return
    await Cluster.update({POPULATION_COLUMNS[field]: value for field, value in figure._asdict().items()}).where(
        Cluster.id == cluster_id
    )
    named = {field: POPULATION_COLUMNS[field]._meta.name for field in PopulationFigure._fields}
    if figure.population != stored.population:
        op.record(
            "Cluster",
            cluster_id,
            before={named[field]: value for field, value in stored._asdict().items()},
            after={named[field]: value for field, value in figure._asdict().items()},
            action="cluster.population_set",
        )
        return
    changed = [field for field in PopulationFigure._fields if getattr(stored, field) != getattr(figure, field)]
    op.record(
        "Cluster",
        cluster_id,
        before={named[field]: getattr(stored, field) for field in changed},
        after={named[field]: getattr(figure, field) for field in changed},
        action="reference.updated",
    )


async def load_reference(*, actor: Actor, now: datetime) -> dict[str, int]:
    """Twice gives the same rows: natural keys (names, seed numbers) decide insert or update. A cluster already
    loaded gets its population only by organisations.rules.population_to_load: filled in where it had none, replaced
    only by a newer dated figure, never cleared; each change recorded in words (`cluster.population_set`)."""
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
        stored = {
            row["seed_number"]: row
            for row in await Cluster.select(Cluster.id, Cluster.seed_number, *POPULATION_COLUMNS.values())
        }
        clusters = 0
        for row in _rows("wales-clusters.csv"):
            seed_number = int(row["seed_number"])
            reference = _figure(row)
            values: dict[str, Any] = {
                "name": row["cluster"],
                "local_authority": authorities[row["local_authority"]],
                "pcpg": authority_pcpg[row["local_authority"]],
                "health_board": boards[row["health_board"]],
                "effective_from_on": ACD_CONFIGURATION_ON,
            }
            if seed_number not in stored:
                values |= {POPULATION_COLUMNS[field]._meta.name: value for field, value in reference._asdict().items()}
            cluster_id = await _upsert(op, Cluster, {"seed_number": seed_number}, values)
            if seed_number in stored:
                await _load_population(op, cluster_id, _stored_figure(stored[seed_number]), reference)
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
