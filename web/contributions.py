"""What each domain adds to every page: navigation entries, success messages after a redirect, labels for codes.

A domain lists its own in its `site.py`; `api/app.py` gathers them once at start-up, so adding a domain edits no
central list here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import msgspec

from accounts.actor import Actor, Role

SIGNED_OUT = "signed_out"
"""An audience member for entries shown to visitors who have not signed in."""

EVERY_ROLE: frozenset[str] = frozenset(role.value for role in Role)


class NavigationEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One link in the header; `order` places it among other domains' entries, `audience` says who sees it."""

    href: str
    text: str
    order: int
    audience: frozenset[str]

    def shown_to(self, actor: Actor | None) -> bool:
        if actor is None or actor.role is None:
            return SIGNED_OUT in self.audience
        return actor.role.value in self.audience


class DomainSite(msgspec.Struct, frozen=True, kw_only=True):
    """A domain's routes (API controllers and pages) and what it contributes to every page."""

    name: str
    route_handlers: Sequence[Any] = ()
    navigation: Sequence[NavigationEntry] = ()
    flash_messages: dict[str, str] = {}
    labels: dict[str, str] = {}


class Site(msgspec.Struct, frozen=True, kw_only=True):
    """Every domain's contributions, gathered; kept on `app.state.site`."""

    navigation: tuple[NavigationEntry, ...]
    flash_messages: dict[str, str]
    labels: dict[str, str]


def gather(domains: Iterable[DomainSite]) -> Site:
    """Merge the domains' contributions; two domains claiming one key is a mistake found at start-up, not later."""
    navigation: list[NavigationEntry] = []
    flash: dict[str, str] = {}
    labels: dict[str, str] = {}
    for domain in domains:
        navigation += domain.navigation
        for target, incoming, kind in (
            (flash, domain.flash_messages, "flash message"),
            (labels, domain.labels, "label"),
        ):
            clash = sorted(set(target) & set(incoming))
            if clash:
                raise ValueError(f"{domain.name} contributes {kind} keys another domain has: {', '.join(clash)}")
            target.update(incoming)
    return Site(
        navigation=tuple(sorted(navigation, key=lambda entry: entry.order)), flash_messages=flash, labels=labels
    )


def audience(*roles: Role | str) -> frozenset[str]:
    return frozenset(role.value if isinstance(role, Role) else role for role in roles)
