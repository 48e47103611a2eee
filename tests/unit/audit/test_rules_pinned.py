"""The audit rules where the other tests left room (tests/README.md, mutation testing): a sealed event is shown once
its time has passed, not only at that very moment; and a sentence the catalogue gets wrong (a fact its data lacks, a
fact of the wrong kind, a stray `%`, as a translation can) still reads as the general sentence, never an error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from audit import messages, rules
from audit.messages import Event, Kind, Said

START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_a_sealed_event_stays_shown_after_the_time_it_was_sealed_until():
    assert rules.is_shown(START, START + timedelta(microseconds=1))
    assert rules.is_shown(START, START + timedelta(days=30))


def test_the_report_of_a_broken_chain_gives_the_time_of_an_event_whose_seal_has_long_passed():
    row = {"sequence": 2, "occurred_at": START, "visible_from_at": START + timedelta(hours=1)}
    assert rules.break_shown_at([row], 2, START + timedelta(days=2)) == START


@pytest.mark.parametrize(
    ("sentence", "facts"),
    [
        ("%(who)s weighed %(record)s at %(weight)s", {}),  # a fact the data does not give
        ("%(who)s made %(count)d changes to %(record)s", {"count": "many"}),  # a fact of the wrong kind
        ("%(who)s finished %(record)s to 100%", {}),  # a stray `%`
    ],
    ids=["missing", "wrong_kind", "stray_percent"],
)
def test_a_sentence_its_facts_cannot_fill_reads_as_the_general_sentence(monkeypatch, sentence, facts):
    monkeypatch.setitem(messages.KINDS, "specification.weighed", Kind("Weighed", sentence, lambda event: Said(facts)))
    event = Event("specification.weighed", "Specification", "1", {}, {})
    records = {("Specification", "1"): {"reference": "CDV-2027-0002"}}
    described = rules.describe(event, actor="Anna Price", records=records, names={}, language="en")
    assert described.sentence == "Anna Price made a change to specification CDV-2027-0002"
