"""Contracts made before this service: which quarters are paid, committed and reported here, their status, and
reading the template's dates, payment timing and KPI direction as people write them."""

from __future__ import annotations

from datetime import date, timedelta

from contracts import legacy_file, rules
from contracts.rules import ContractStatus, PaymentTiming


def test_only_what_falls_due_from_the_day_it_was_brought_in_is_paid_and_committed_here():
    brought_in = date(2026, 12, 2)  # in the third quarter of 2026-27
    years = {2025: 400, 2026: 400, 2027: 401}
    arrears = rules.payment_schedule(years, PaymentTiming.IN_ARREARS, reported_from_on=brought_in)
    assert [(p.financial_year, p.quarter) for p in arrears][:3] == [(2026, 3), (2026, 4), (2027, 1)]
    assert rules.committed_values(years, PaymentTiming.IN_ARREARS, reported_from_on=brought_in) == {
        2026: 200,
        2027: 401,
    }
    advance = rules.payment_schedule(years, PaymentTiming.IN_ADVANCE, reported_from_on=brought_in)
    assert [(p.financial_year, p.quarter) for p in advance][:2] == [(2026, 4), (2027, 1)], "Q3 was paid on 1 October"
    assert rules.committed_values(years, PaymentTiming.IN_ADVANCE, reported_from_on=brought_in) == {
        2026: 100,
        2027: 401,
    }
    on_first_day = rules.payment_schedule(years, PaymentTiming.IN_ADVANCE, reported_from_on=date(2026, 10, 1))
    assert (on_first_day[0].financial_year, on_first_day[0].quarter) == (2026, 3)
    awarded = rules.committed_values(years, PaymentTiming.IN_ARREARS)
    assert awarded == years, "a contract awarded here commits every year whole"


def test_every_quarter_paid_here_is_a_quarter_reported_here_and_none_is_paid_before_it_came_in():
    """In arrears a payment waits for its quarter's accepted return: one paid for a quarter not reported here would
    never be payable, its money committed for ever."""
    years = {2025: 1000, 2026: 1000, 2027: 1000}
    day = date(2025, 3, 1)
    while day <= date(2028, 4, 30):
        reported = {
            (r.financial_year, r.quarter)
            for r in rules.return_schedule(
                start_on=date(2025, 4, 1),
                end_on=date(2028, 3, 31),
                terminated_on=None,
                due_days=30,
                reported_from_on=day,
            )
        }
        for timing in PaymentTiming:
            schedule = rules.payment_schedule(years, timing, reported_from_on=day)
            assert {(p.financial_year, p.quarter) for p in schedule} <= reported, (day, timing)
            assert all(p.due_on >= day for p in schedule), (day, timing)
            committed = rules.committed_values(years, timing, reported_from_on=day)
            assert sum(committed.values()) == sum(p.amount_pence for p in schedule)
        day += timedelta(days=9)


def test_the_split_by_cluster_of_a_part_year_sums_to_what_is_committed():
    allocations = [
        rules.Allocation(2026, 1, 600, "population", 3000, "ONS"),
        rules.Allocation(2026, 2, 400, "population", 2000, "ONS"),
        rules.Allocation(2027, 1, 600, "population", 3000, "ONS"),
        rules.Allocation(2027, 2, 400, "population", 2000, "ONS"),
    ]
    split = rules.committed_split(allocations, {2026: 501, 2027: 1000})
    assert {(a.financial_year, a.cluster_id): a.amount_pence for a in split} == {
        (2026, 1): 301,
        (2026, 2): 200,
        (2027, 1): 600,
        (2027, 2): 400,
    }
    assert rules.committed_split(allocations, {2027: 1000}) == allocations[2:], "a year settled outside splits nothing"


def test_returns_start_at_the_quarter_holding_the_day_it_was_brought_in():
    due = rules.return_schedule(
        start_on=date(2025, 4, 1),
        end_on=date(2028, 3, 31),
        terminated_on=None,
        due_days=30,
        reported_from_on=date(2026, 12, 2),
    )
    assert (due[0].financial_year, due[0].quarter) == (2026, 3)
    assert len(due) == 2 + 4
    awarded = rules.return_schedule(
        start_on=date(2025, 4, 1), end_on=date(2028, 3, 31), terminated_on=None, due_days=30
    )
    assert (awarded[0].financial_year, awarded[0].quarter, len(awarded)) == (2025, 1, 12)


def test_a_legacy_contract_is_live_once_started_and_mobilising_before():
    assert rules.legacy_status(start_on=date(2026, 12, 2), today=date(2026, 12, 2)) is ContractStatus.LIVE
    assert rules.legacy_status(start_on=date(2026, 12, 3), today=date(2026, 12, 2)) is ContractStatus.MOBILISING


def test_a_term_spans_every_financial_year_it_touches():
    assert rules.term_years(date(2025, 3, 31), date(2025, 4, 1)) == [2024, 2025]
    assert rules.term_years(date(2025, 4, 1), date(2026, 3, 31)) == [2025]


def test_dates_timings_and_directions_read_as_people_write_them():
    assert legacy_file.read_date("2025-04-01") == date(2025, 4, 1)
    assert legacy_file.read_date("2025-04-01T00:00:00") == date(2025, 4, 1)
    assert legacy_file.read_date("1/4/2025") == date(2025, 4, 1)
    assert legacy_file.read_date("31/02/2025") is None and legacy_file.read_date("April") is None
    assert legacy_file.read_timing("") is PaymentTiming.IN_ARREARS
    assert legacy_file.read_timing("Quarterly in advance") is PaymentTiming.IN_ADVANCE
    assert legacy_file.read_timing("in arrears") is PaymentTiming.IN_ARREARS
    assert legacy_file.read_timing("monthly") is None
    assert legacy_file.read_direction("lower is better") == "lower_is_better"
    assert legacy_file.read_direction("up") is None


def test_only_a_commissioner_brings_in_contracts():
    from accounts.actor import Role

    assert rules.can_import_contracts(Role.COMMISSIONER)
    assert not any(rules.can_import_contracts(role) for role in Role if role is not Role.COMMISSIONER)
    assert not rules.can_import_contracts(None)
