"""Each domain contributes its own links, messages and labels; the app gathers them once."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from accounts.actor import Actor, Role
from web.contributions import SIGNED_OUT, DomainSite, NavigationEntry, audience, gather

ROOT = Path(__file__).resolve().parents[3]


def _actor(role: Role | None) -> Actor | None:
    return None if role is None else Actor(user_id=1, username="someone", role=role)


def test_two_domains_claiming_one_flash_message_are_refused_at_start_up():
    first = DomainSite(name="first", flash_messages={"saved": "Saved"})
    second = DomainSite(name="second", flash_messages={"saved": "Also saved"})
    with pytest.raises(ValueError, match="second contributes flash message keys another domain has: saved"):
        gather([first, second])


def test_two_domains_claiming_one_label_are_refused_at_start_up():
    with pytest.raises(ValueError, match="label"):
        gather([DomainSite(name="a", labels={"live": "Live"}), DomainSite(name="b", labels={"live": "Byw"})])


def test_navigation_is_ordered_across_domains_and_shown_only_to_its_audience():
    site = gather(
        [
            DomainSite(
                name="late",
                navigation=(NavigationEntry(href="/z", text="Z", order=90, audience=audience(Role.PROVIDER)),),
            ),
            DomainSite(
                name="early",
                navigation=(
                    NavigationEntry(href="/a", text="A", order=10, audience=audience(Role.PROVIDER, SIGNED_OUT)),
                    NavigationEntry(href="/b", text="B", order=20, audience=audience(Role.COMMISSIONER)),
                ),
            ),
        ]
    )
    shown = {
        role: [entry.href for entry in site.navigation if entry.shown_to(_actor(role))]
        for role in (None, Role.PROVIDER, Role.COMMISSIONER, Role.EVALUATOR)
    }
    assert shown == {None: ["/a"], Role.PROVIDER: ["/a", "/z"], Role.COMMISSIONER: ["/b"], Role.EVALUATOR: []}


def test_every_domain_site_module_is_assembled_by_the_app():
    """A domain's site.py is its one line in api/app.py: forgetting the line leaves its pages unreachable."""
    from api.app import DOMAINS

    assembled = {domain.name for domain in DOMAINS} | {"administration"}  # the clock exists only in demo and test
    found = {
        importlib.import_module(f"{path.parent.name}.site").DOMAIN.name
        for path in ROOT.glob("*/site.py")
        if (path.parent / "__init__.py").exists()
    }
    assert found <= assembled, f"site modules not in api.app.DOMAINS: {sorted(found - assembled)}"
    assert {"accounts", "commissioning", "finance"} <= found


def test_the_header_shows_each_role_the_links_it_had_before_the_domains_contributed_them():
    from api.app import DOMAINS

    site = gather(DOMAINS)

    def links(role: Role | None) -> list[str]:
        return [entry.text for entry in site.navigation if entry.shown_to(_actor(role))]

    assert links(None) == ["Opportunities", "Menu of services", "Reference data"]
    assert links(Role.COMMISSIONER) == [
        "Dashboard",
        "Specifications",
        "Plans",
        "Line of sight",
        "Finance",
        "Contracts",
        "Returns to review",
        "Outcomes",
        "Delivery vehicles",
        "Maturity",
        "Inbox",
        "Menu of services",
        "Audit trail",
    ]
    assert links(Role.PROVIDER) == [
        "Dashboard",
        "Opportunities",
        "My bids",
        "My contracts",
        "Returns",
        "My delivery vehicle",
        "Maturity",
        "Inbox",
        "Menu of services",
    ]
    assert links(Role.NATIONAL_ADMIN) == [
        "Dashboard",
        "Opportunities",
        "Line of sight",
        "Finance",
        "Contracts",
        "Delivery returns",
        "Outcomes",
        "Delivery vehicles",
        "Viability",
        "Maturity",
        "Inbox",
        "Menu of services",
        "Users",
        "Audit trail",
    ]
    assert links(Role.EVALUATOR) == ["Dashboard", "Opportunities", "Evaluations", "Inbox", "Menu of services"]
    assert links(Role.FINANCE_DIRECTOR) == [
        "Dashboard",
        "Opportunities",
        "Line of sight",
        "Finance",  # budgets, the ledger and the spend report are reached from the finance dashboard
        "Contracts",
        "Delivery returns",
        "Payments",
        "Delivery vehicles",
        "Inbox",
        "Menu of services",
    ]
