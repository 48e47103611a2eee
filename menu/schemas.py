"""Types in and out of the menu API and pages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL: refused here, naming the field
Text200 = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
LongText = Annotated[str, msgspec.Meta(min_length=1, max_length=4000)]
Direction = Literal["higher_is_better", "lower_is_better"]
Category = Literal[
    "prevention_population_health",
    "cancer_early_diagnosis",
    "planned_care_closer_to_home",
    "urgent_same_day_care",
    "frailty_long_term_conditions",
    "rehabilitation_recovery",
    "inclusion_health",
    "community_wellbeing",
    "medicines_optimisation",
    "existing_cluster_services",
]


class MenuKpiIn(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    name_cy: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    unit: Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
    direction: Direction
    typical_target: Annotated[str, msgspec.Meta(max_length=300)] = ""
    code: Annotated[str, msgspec.Meta(max_length=80)] = ""


# Up to £10bn, as a specification's maximum value: no price is larger, and the database's integers end not far past.
IndicativePence = Annotated[int, msgspec.Meta(ge=0, le=10_000_000_000_00)]


class MenuServiceIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Text200
    name_cy: Text200
    description: LongText
    description_cy: LongText
    category: Category
    unit_of_activity: Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
    unit_of_activity_cy: Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
    kpis: list[MenuKpiIn]
    translation_status: Literal["draft", "reviewed"] = "draft"
    price_min_pence: IndicativePence | None = None
    price_max_pence: IndicativePence | None = None
    price_note: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    change_note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class NewMenuServiceIn(MenuServiceIn, forbid_unknown_fields=True, kw_only=True):
    code: Annotated[str, msgspec.Meta(min_length=2, max_length=60, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]


class KpiSourcesIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Where a suggested KPI comes from, and where its typical target does (by the KPI's code)."""

    code: Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
    source: Annotated[str, msgspec.Meta(max_length=4000, pattern=NO_NUL)] = ""
    target_source: Annotated[str, msgspec.Meta(max_length=2000, pattern=NO_NUL)] = ""


class MenuSourcesIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A service's sources, one per line (or separated by " ; " as in the national menu), and its KPIs' sources;
    a KPI left out keeps its own. Saving makes a new version, like any other edit."""

    source: Annotated[str, msgspec.Meta(max_length=8000, pattern=NO_NUL)] = ""
    kpis: Annotated[list[KpiSourcesIn], msgspec.Meta(max_length=20)] = []
    change_note: Annotated[str, msgspec.Meta(max_length=2000, pattern=NO_NUL)] = ""


class RetireIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class MenuKpiOut(msgspec.Struct):
    code: str
    name: str
    name_cy: str
    unit: str
    direction: str
    typical_target: str
    target_source: str
    source: str
    name_shown: str = ""  # name and unit in the reader's language, decided by the query
    unit_shown: str = ""


class MenuServiceOut(msgspec.Struct):
    id: int
    code: str
    version: int
    version_id: int
    current_version: int
    name: str
    name_cy: str
    description: str
    description_cy: str
    translation_status: str
    category: str
    unit_of_activity: str
    unit_of_activity_cy: str
    price_min_pence: int | None
    price_max_pence: int | None
    price_basis: str
    price_note: str
    source: str
    kpis: list[MenuKpiOut]
    retired: bool
    retired_at: datetime | None
    created_at: datetime
    created_by: str
    change_note: str


class MenuVersionSummary(msgspec.Struct):
    version: int
    version_id: int
    created_at: datetime
    created_by: str  # username
    change_note: str
    created_by_name: str | None = None  # full name; None when the national menu was loaded, not edited by a person
