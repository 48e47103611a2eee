"""What each role's dashboard shows, decided in accounts/rules.py."""

from __future__ import annotations

from pathlib import Path

from accounts.actor import Actor, Role
from accounts.rules import dashboard_sections

TEMPLATES = Path(__file__).resolve().parents[3] / "templates" / "accounts"


def test_each_role_has_its_own_sections_and_every_section_has_a_template():
    for role in Role:
        sections = dashboard_sections(Actor(user_id=1, username="x", role=role))
        assert sections, role
        for section in sections:
            assert (TEMPLATES / f"_{section}.html").exists(), section


def test_budgets_are_shown_to_those_who_hold_or_spend_them_and_to_nobody_else():
    shown = {role for role in Role if "budget_years" in dashboard_sections(Actor(user_id=1, username="x", role=role))}
    assert shown == {Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR}


def test_someone_without_a_role_is_shown_nothing():
    assert dashboard_sections(Actor(user_id=1, username="x", role=None)) == ()
