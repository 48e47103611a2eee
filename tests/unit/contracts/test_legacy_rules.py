"""Contracts made before this service: which years are paid and reported here, their status, and reading the
template's dates, payment timing and KPI direction as people write them."""

from __future__ import annotations

from datetime import date

from contracts import legacy_file, rules
from contracts.rules import ContractStatus, PaymentTiming


def test_only_the_year_brought_in_and_later_are_paid_here():
    brought_in = date(2026, 12, 2)  # in 2026-27
    assert not rules.paid_here(2025, brought_in)
    assert rules.paid_here(2026, brought_in) and rules.paid_here(2027, brought_in)
    assert rules.paid_here(2019, None), "a contract awarded here is paid every year"
    schedule = rules.payment_schedule(
        {2025: 400, 2026: 400, 2027: 401}, PaymentTiming.IN_ARREARS, reported_from_on=brought_in
    )
    assert {p.financial_year for p in schedule} == {2026, 2027}
    assert sum(p.amount_pence for p in schedule) == 801


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
