"""Pure rules for contracts: the lifecycle of a contract's status and the reader's words for it."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from core.i18n import N_


class ContractStatus(StrEnum):
    """From the award until the service starts a contract is mobilising; it ends terminated or expired."""

    MOBILISING = "mobilising"
    LIVE = "live"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    ContractStatus.MOBILISING: N_("Mobilising"),
    ContractStatus.LIVE: N_("Live"),
    ContractStatus.SUSPENDED: N_("Suspended"),
    ContractStatus.TERMINATED: N_("Terminated"),
    ContractStatus.EXPIRED: N_("Expired"),
}

# The allowed moves; any move not listed is refused (tests/unit/commissioning/test_transitions.py).
CONTRACT_MOVES: Mapping[ContractStatus, frozenset[ContractStatus]] = {
    ContractStatus.MOBILISING: frozenset({ContractStatus.LIVE, ContractStatus.SUSPENDED, ContractStatus.TERMINATED}),
    ContractStatus.LIVE: frozenset({ContractStatus.SUSPENDED, ContractStatus.TERMINATED, ContractStatus.EXPIRED}),
    ContractStatus.SUSPENDED: frozenset({ContractStatus.LIVE, ContractStatus.TERMINATED}),
    ContractStatus.TERMINATED: frozenset(),
    ContractStatus.EXPIRED: frozenset(),
}


def can_move(current: ContractStatus, to: ContractStatus) -> bool:
    return to in CONTRACT_MOVES.get(current, frozenset())
