"""How big each scale is, and the synthetic organisations of the profiles that do not use Wales's own.

Wales uses the 7 health boards, 21 PCPGs and 60 clusters of the reference data (`cdv load-reference`). England has
none in the reference data, so its organisations are made up and say so in their names ("Synthetic ..."): 42
integrated care boards stand in for health boards, about 1,250 primary care networks for clusters, grouped into
planning groups standing in for PCPGs. Most synthetic clusters have a population (made up, and its source says so);
about one in ten has none, as some Welsh clusters have none."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    contracts: int
    financial_years: int
    synthetic_boards: int = 0
    """0: the Welsh reference data; else how many synthetic health boards to make."""
    synthetic_groups_per_board: int = 0
    synthetic_clusters: int = 0
    years_ahead: int = 2
    """How many of the financial years come after the current one (budgets and contracts planned ahead)."""

    @property
    def is_synthetic(self) -> bool:
        return self.synthetic_boards > 0

    @property
    def reference_prefix(self) -> str:
        """What every generated specification's and contract's reference starts with: how a second run knows."""
        return f"SCALE-{self.name.upper()}-"


PROFILES = {
    "tiny": Profile(
        "tiny", contracts=30, financial_years=4, synthetic_boards=2, synthetic_groups_per_board=1, synthetic_clusters=5
    ),
    "wales": Profile("wales", contracts=3_000, financial_years=10),
    "england": Profile(
        "england",
        contracts=60_000,
        financial_years=10,
        synthetic_boards=42,
        synthetic_groups_per_board=5,
        synthetic_clusters=1_250,
    ),
}

SYNTHETIC_SOURCE = "Synthetic: made up by cdv demo --scale, not a real population"
