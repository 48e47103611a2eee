"""`cdv load-reference` on a database made with the earlier reference data (issue 12, item 2): it fills in the
populations the database did not have, records each in words, and leaves a figure already there alone.

Reference data is loaded once per session and never emptied: each test puts the clusters back as it found them."""

import csv
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from accounts.actor import SYSTEM
from audit.tables import AuditEvent
from organisations.reference import DATA_DIR, load_reference
from organisations.tables import Cluster

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
NEW_FIGURES = {3: 50654, 5: 47500, 7: 38122, 35: 67000}  # the four added to ../shared/data in issue 12
FIGURE = [
    Cluster.population,
    Cluster.population_is_estimate,
    Cluster.population_source,
    Cluster.population_as_of,
    Cluster.population_source_url,
]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _csv() -> dict[int, dict[str, str]]:
    with (DATA_DIR / "wales-clusters.csv").open(encoding="utf-8", newline="") as handle:
        return {int(row["seed_number"]): row for row in csv.DictReader(handle)}


async def _figures() -> dict[int, dict[str, Any]]:
    return {row.pop("seed_number"): row for row in await Cluster.select(Cluster.seed_number, *FIGURE)}


async def _as_made_with_the_old_reference_data() -> None:
    """The clusters as the load before issue 12 left them: no figure for the four new ones, and (the columns being
    new) no date or address for any."""
    await Cluster.update({Cluster.population_as_of: None, Cluster.population_source_url: None}, force=True)
    await Cluster.update(
        {Cluster.population: None, Cluster.population_is_estimate: False, Cluster.population_source: ""}
    ).where(Cluster.seed_number.is_in(list(NEW_FIGURES)))


async def _last_event() -> int:
    row = await AuditEvent.select(AuditEvent.sequence).order_by(AuditEvent.sequence, ascending=False).first()
    return int(row["sequence"]) if row else 0


async def _events_since(last: int) -> list[dict[str, Any]]:
    return (
        await AuditEvent.select(AuditEvent.action, AuditEvent.entity_id, AuditEvent.before, AuditEvent.after)
        .where(AuditEvent.sequence > last)
        .order_by(AuditEvent.sequence)
    )


@pytest.fixture
async def clusters_as_loaded() -> Any:
    before = await _figures()
    yield before
    for seed_number, figure in before.items():
        await Cluster.update({getattr(Cluster, name): value for name, value in figure.items()}).where(
            Cluster.seed_number == seed_number
        )


async def test_loading_the_new_reference_data_fills_in_exactly_the_four_new_populations_and_audits_each(
    clusters_as_loaded,
):
    await _as_made_with_the_old_reference_data()
    ids = {row["seed_number"]: str(row["id"]) for row in await Cluster.select(Cluster.id, Cluster.seed_number)}
    last = await _last_event()
    await load_reference(actor=SYSTEM, now=NOW)

    figures = await _figures()
    assert {seed: figures[seed]["population"] for seed in NEW_FIGURES} == NEW_FIGURES
    assert figures == clusters_as_loaded, "every figure, date and address is the reference data's again"
    events = await _events_since(last)
    set_events = [event for event in events if event["action"] == "cluster.population_set"]
    assert sorted(event["entity_id"] for event in set_events) == sorted(ids[seed] for seed in NEW_FIGURES)
    penderi = next(event for event in set_events if event["entity_id"] == ids[7])
    assert _json(penderi["before"])["population"] is None
    assert _json(penderi["after"]) | {"population_source": ""} == {
        "population": 38122,
        "population_is_estimate": False,
        "population_source": "",
        "population_as_of": "2018-07",
        "population_source_url": _csv()[7]["population_source_url"],
    }
    others = [event for event in events if event["action"] != "cluster.population_set"]
    assert {event["action"] for event in others} <= {"reference.updated", "reference.loaded"}
    for event in others:
        if event["action"] == "reference.updated":
            assert set(_json(event["after"])) <= {"population_as_of", "population_source_url"}


async def test_a_second_load_changes_nothing_and_records_nothing(clusters_as_loaded):
    await _as_made_with_the_old_reference_data()
    await load_reference(actor=SYSTEM, now=NOW)
    after_first, last = await _figures(), await _last_event()

    counts = await load_reference(actor=SYSTEM, now=NOW)

    assert counts["changes"] == 0
    assert await _figures() == after_first
    assert await _events_since(last) == []


async def test_a_cluster_no_source_gave_a_population_stays_unknown_not_0(clusters_as_loaded):
    unknown = [seed for seed, row in _csv().items() if not row["population"].strip()]
    assert len(unknown) == 27
    await _as_made_with_the_old_reference_data()
    await load_reference(actor=SYSTEM, now=NOW)
    rows = await Cluster.select(Cluster.population).where(Cluster.seed_number.is_in(unknown))
    assert [row["population"] for row in rows] == [None] * 27


async def test_a_population_a_person_set_is_kept_and_the_load_records_nothing_for_it(clusters_as_loaded):
    await Cluster.update(
        {Cluster.population: 39000, Cluster.population_source: "Practice lists, counted by the PCPG"}
    ).where(Cluster.seed_number == 7)
    last = await _last_event()

    counts = await load_reference(actor=SYSTEM, now=NOW)

    assert counts["changes"] == 0
    assert (await _figures())[7]["population"] == 39000
    assert await _events_since(last) == []


async def test_a_newer_dated_figure_in_the_reference_replaces_an_older_one(clusters_as_loaded):
    await Cluster.update(
        {Cluster.population: 36000, Cluster.population_source: "Older plan", Cluster.population_as_of: "2016"}
    ).where(Cluster.seed_number == 7)
    last = await _last_event()

    await load_reference(actor=SYSTEM, now=NOW)

    assert (await _figures())[7] == clusters_as_loaded[7]
    events = await _events_since(last)
    assert [event["action"] for event in events] == ["cluster.population_set"]
    assert _json(events[0]["before"])["population"] == 36000
