"""Who may set or change a budget line, and when a line warns: decided once, in finance/rules.py."""

from __future__ import annotations

import pytest

from accounts.actor import Actor, Role
from finance.rules import WARNING_SHARE_PERCENT, Ledger, can_change_budget, can_set_budget_lines, is_warning


def _actor(role: Role, **scope) -> Actor:
    return Actor(user_id=1, username="someone", role=role, **scope)


def test_finance_directors_and_national_admins_set_lines_and_commissioners_only_read():
    assert can_set_budget_lines(_actor(Role.NATIONAL_ADMIN))
    assert can_set_budget_lines(_actor(Role.FINANCE_DIRECTOR, health_board_id=2))
    for role in (Role.COMMISSIONER, Role.PROVIDER, Role.EVALUATOR):
        assert not can_set_budget_lines(_actor(role))


def test_a_finance_director_changes_only_their_own_health_board_s_lines():
    assert can_change_budget(_actor(Role.FINANCE_DIRECTOR, health_board_id=2), 2)
    assert not can_change_budget(_actor(Role.FINANCE_DIRECTOR, health_board_id=2), 3)
    assert can_change_budget(_actor(Role.NATIONAL_ADMIN), 3)
    assert not can_change_budget(_actor(Role.COMMISSIONER, pcpg_ids=(1,)), 2)
    assert not can_change_budget(None, 2), "a read without a reader offers no change"


@pytest.mark.parametrize(
    ("budget", "earmarked", "committed", "actual"),
    [
        (1000, 899, 0, 0),
        (1000, 900, 0, 0),
        (1000, 0, 950, 0),
        (1000, 0, 0, 1200),
        (0, 0, 0, 0),
        (0, 1, 0, 0),
        (3, 2, 0, 0),
        (7, 0, 6, 0),
    ],
)
def test_the_warning_in_whole_numbers_agrees_with_the_ledger_s_used_percent(budget, earmarked, committed, actual):
    ledger = Ledger(budget_pence=budget, earmarked_pence=earmarked, committed_pence=committed, actual_pence=actual)
    used = budget - ledger.headroom_pence
    assert is_warning(budget, used) is (ledger.used_percent >= WARNING_SHARE_PERCENT)
