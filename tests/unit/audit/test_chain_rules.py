import copy
import hashlib
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from audit import rules

START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _chain(length: int) -> list[dict[str, Any]]:
    """Events as the table gives them back, each hashed over the one before, as `operation()` writes them."""
    rows = []
    previous = rules.GENESIS_HASH
    for sequence in range(1, length + 1):
        row: dict[str, Any] = {
            "sequence": sequence,
            "occurred_at": START + timedelta(minutes=sequence),
            "actor_user_id": 7,
            "actor_username": "admin",
            "action": "delivery_vehicle.approved",
            "entity_type": "DeliveryVehicle",
            "entity_id": str(sequence),
            "pcpg_id": 3,
            "health_board_id": None,
            "before": {"status": "pending"},
            "after": {"status": "approved", "reason": ""},
        }
        row["previous_hash"] = previous
        row["event_hash"] = rules.event_hash(previous, rules.hashed_fields(row))
        previous = row["event_hash"]
        rows.append(row)
    return rows


def test_an_intact_chain_has_no_broken_link():
    assert rules.first_broken_link(_chain(5)) is None


def test_an_empty_trail_is_intact():
    assert rules.first_broken_link([]) is None


def test_an_altered_field_is_reported_at_its_event():
    rows = _chain(5)
    rows[2]["after"] = {"status": "rejected", "reason": ""}
    assert rules.first_broken_link(rows) == (3, "event 3 was altered after it was written")


def test_an_altered_actor_or_time_is_reported_at_its_event():
    for field, value in [("actor_username", "someone-else"), ("occurred_at", START), ("pcpg_id", 4)]:
        rows = _chain(4)
        rows[1][field] = value
        assert rules.first_broken_link(rows) == (2, "event 2 was altered after it was written"), field


def test_an_altered_event_rehashed_on_its_own_breaks_the_link_to_the_next_event():
    rows = _chain(5)
    rows[2]["after"] = {"status": "rejected", "reason": ""}
    rows[2]["event_hash"] = rules.event_hash(rows[2]["previous_hash"], rules.hashed_fields(rows[2]))
    assert rules.first_broken_link(rows) == (4, "event 4 does not follow the event before it")


def test_a_removed_event_is_reported_as_missing():
    rows = _chain(5)
    del rows[1]
    assert rules.first_broken_link(rows) == (2, "event 2 is missing (next found: 3)")


def test_a_removed_first_event_is_reported_as_missing():
    assert rules.first_broken_link(_chain(3)[1:]) == (1, "event 1 is missing (next found: 2)")


def test_events_read_out_of_order_are_reported():
    rows = _chain(5)
    rows[1], rows[2] = rows[2], rows[1]
    assert rules.first_broken_link(rows) == (2, "event 2 is missing (next found: 3)")


def test_events_whose_sequence_numbers_were_swapped_are_reported():
    rows = _chain(5)
    rows[1]["sequence"], rows[2]["sequence"] = 3, 2
    rows[1], rows[2] = rows[2], rows[1]
    assert rules.first_broken_link(rows) == (2, "event 2 does not follow the event before it")


def test_a_chain_that_does_not_start_from_the_genesis_hash_is_reported():
    rows = _chain(3)
    rows[0]["previous_hash"] = "f" * 64
    assert rules.first_broken_link(rows) == (1, "event 1 does not follow the event before it")


def test_the_hash_does_not_depend_on_key_order_or_on_how_json_gives_values_back():
    row = _chain(1)[0]
    reordered = {**row, "before": {"status": "pending"}, "after": {"reason": "", "status": "approved"}}
    assert rules.event_hash(rules.GENESIS_HASH, rules.hashed_fields(reordered)) == row["event_hash"]
    as_text = {**row, "entity_id": 1, "sequence": "1"}
    assert rules.event_hash(rules.GENESIS_HASH, rules.hashed_fields(as_text)) == row["event_hash"]


def test_only_a_national_administrator_is_shown_the_whole_chain_s_check():
    from accounts.actor import Role
    from audit.rules import can_verify_chain

    assert can_verify_chain(Role.NATIONAL_ADMIN)
    for role in (Role.COMMISSIONER, Role.FINANCE_DIRECTOR, Role.PROVIDER, Role.EVALUATOR, None):
        assert not can_verify_chain(role)


def test_the_first_event_is_hashed_over_64_zeros_and_its_fields_as_compact_sorted_utf8_json():
    """Hashes written by earlier releases must still verify: the exact text hashed is pinned here."""
    row = {
        "sequence": 1,
        "occurred_at": datetime(2026, 11, 23, 13, 0, tzinfo=timezone(timedelta(hours=1))),
        "actor_user_id": 7,
        "actor_username": "admin",
        "action": "budget_line.created",
        "entity_type": "BudgetLine",
        "entity_id": 12,
        "pcpg_id": 3,
        "health_board_id": 2,
        "before": None,
        "after": {"name": "Caerdydd — ŵyr", "amount_pence": 100},
    }
    text = (
        '{"action":"budget_line.created","actor_user_id":7,"actor_username":"admin",'
        '"after":{"amount_pence":100,"name":"Caerdydd — ŵyr"},"before":{},"entity_id":"12",'
        '"entity_type":"BudgetLine","health_board_id":2,"occurred_at":"2026-11-23T12:00:00.000000+00:00",'
        '"pcpg_id":3,"sequence":1}'
    )
    assert rules.canonical(rules.hashed_fields(row)) == text
    expected = hashlib.sha256(("0" * 64 + text).encode("utf-8")).hexdigest()
    assert rules.event_hash(rules.GENESIS_HASH, rules.hashed_fields(row)) == expected


def test_the_time_an_event_becomes_visible_is_hashed_when_it_has_one():
    row = _chain(1)[0]
    sealed = {**row, "visible_from_at": START + timedelta(days=3)}
    fields = rules.hashed_fields(sealed)
    assert fields["visible_from_at"] == "2026-11-26T12:00:00.000000+00:00"
    assert rules.event_hash(rules.GENESIS_HASH, fields) != row["event_hash"]
    assert "visible_from_at" not in rules.hashed_fields({**row, "visible_from_at": None})


def test_a_chain_read_back_from_the_database_holds_however_long_it_is():
    # Values read back are new objects (equal, not identical), and sequence numbers pass 256.
    rows = [
        {**row, **{key: row[key].encode().decode() for key in ("previous_hash", "event_hash")}} for row in _chain(300)
    ]
    assert rows[1]["previous_hash"] is not rows[0]["event_hash"]
    assert rules.first_broken_link(rows) is None


def test_an_event_whose_stored_hash_was_overwritten_is_reported_as_altered():
    for forged in ("0" * 64, "f" * 64):
        rows = _chain(3)
        rows[2]["event_hash"] = forged
        assert rules.first_broken_link(rows) == (3, "event 3 was altered after it was written"), forged


def test_an_event_written_twice_is_reported():
    rows = _chain(3)
    rows.insert(2, copy.deepcopy(rows[1]))
    assert rules.first_broken_link(rows) == (3, "event 3 is missing (next found: 2)")


def test_each_broken_event_after_a_good_start_is_reported_at_its_own_sequence_number():
    for broken in range(3):
        rows = _chain(3)
        rows[broken]["action"] = "budget_line.deleted"
        assert rules.first_broken_link(rows) == (broken + 1, f"event {broken + 1} was altered after it was written")


# Each stored field the hash covers (issue 11, item 2): a chain that verified with one value of the field must not
# verify with another, even when the event is re-hashed on its own.

ALTERED = {
    "sequence": 9,
    "occurred_at": START + timedelta(minutes=2, microseconds=1),
    "actor_user_id": 8,
    "actor_username": "rhys",
    "action": "delivery_vehicle.rejected",
    "entity_type": "Bid",
    "entity_id": "99",
    "pcpg_id": 4,
    "health_board_id": 5,
    "before": {"status": "approved"},
    "after": {"status": "approved", "reason": "x"},
    "visible_from_at": START + timedelta(days=1),
}


def _sealed_chain(length: int) -> list[dict[str, Any]]:
    """As `_chain`, every event with a health board and sealed for a day, so no hashed field is left empty."""
    rows = []
    previous = rules.GENESIS_HASH
    for row in _chain(length):
        row |= {"health_board_id": 2, "visible_from_at": START + timedelta(days=2), "previous_hash": previous}
        row["event_hash"] = rules.event_hash(previous, rules.hashed_fields(row))
        previous = row["event_hash"]
        rows.append(row)
    return rows


def test_every_stored_field_changes_the_hash():
    row = _sealed_chain(2)[1]
    for field, value in ALTERED.items():
        assert row[field] != value, field
        changed = {**row, field: value}
        assert rules.event_hash(row["previous_hash"], rules.hashed_fields(changed)) != row["event_hash"], field
    for field in ("actor_user_id", "pcpg_id", "health_board_id", "visible_from_at"):
        emptied = {**row, field: None}
        assert rules.event_hash(row["previous_hash"], rules.hashed_fields(emptied)) != row["event_hash"], field


def test_an_event_altered_in_any_field_and_re_hashed_breaks_the_link_to_the_next_event():
    for field, value in ALTERED.items():
        if field == "sequence":
            continue  # a changed number is reported as a gap before any hash is compared
        rows = _sealed_chain(4)
        rows[1][field] = value
        rows[1]["event_hash"] = rules.event_hash(rows[1]["previous_hash"], rules.hashed_fields(rows[1]))
        assert rules.first_broken_link(rows) == (3, "event 3 does not follow the event before it"), field


def test_the_hash_covers_the_previous_event_s_hash():
    rows = _chain(3)
    fields = rules.hashed_fields(rows[1])
    assert rules.event_hash("f" * 64, fields) != rules.event_hash(rows[1]["previous_hash"], fields)
    # An event altered and re-hashed, the next one pointed at its new hash: the next one's own hash no longer matches.
    rows[0]["after"] = {"status": "rejected", "reason": ""}
    rows[0]["event_hash"] = rules.event_hash(rules.GENESIS_HASH, rules.hashed_fields(rows[0]))
    rows[1]["previous_hash"] = rows[0]["event_hash"]
    assert rules.first_broken_link(rows) == (2, "event 2 was altered after it was written")


def test_a_chain_whose_times_are_read_back_in_other_offsets_still_holds():
    india, london = timezone(timedelta(hours=5, minutes=30)), ZoneInfo("Europe/London")
    rows = _sealed_chain(3)
    for row in rows:
        row["occurred_at"] = row["occurred_at"].astimezone(india)
        row["visible_from_at"] = row["visible_from_at"].astimezone(london)
    assert rules.first_broken_link(rows) is None
    assert rules.hashed_fields(rows[0])["occurred_at"] == "2026-11-23T12:01:00.000000+00:00"


def test_an_event_is_shown_from_the_time_it_is_sealed_until():
    assert rules.is_shown(None, START)
    assert rules.is_shown(START, START)
    assert not rules.is_shown(START + timedelta(microseconds=1), START)


def test_a_broken_chain_s_report_gives_the_time_of_the_first_bad_event_only_once_it_is_shown():
    rows = _chain(4)
    rows[2]["visible_from_at"] = START + timedelta(days=1)
    assert rules.break_shown_at(rows, 2, START) == START + timedelta(minutes=2)
    assert rules.break_shown_at(rows, 3, START) is None  # sealed: not even its time
    assert rules.break_shown_at(rows, 3, START + timedelta(days=1)) == START + timedelta(minutes=3)
    del rows[1]
    assert rules.break_shown_at(rows, 2, START + timedelta(days=1)) == START + timedelta(minutes=3)  # in its place
    assert rules.break_shown_at(rows, 5, START) is None
