"""Rule tests take plain values and never touch the database: the two autouse database fixtures of tests/conftest.py
(migrate once per session, empty the tables after each test) are replaced by no-ops for this folder, so
`pytest tests/unit` starts in about a second and creates no database (as tests/browser/conftest.py does)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import settings

# The suite shares two cores with the browser and the other database's run: a property's example can take longer
# than Hypothesis's default 200 ms deadline there without being slow code (a deadline error failed a run once).
# Built on the profile in force, so that scripts/mutate's (derandomised) is kept when it runs these tests.
settings.register_profile("shared-machine", parent=settings.default, deadline=None)
settings.load_profile("shared-machine")


@pytest.fixture(scope="session", autouse=True)
def database() -> Iterator[None]:
    yield


@pytest.fixture(autouse=True)
def clean_database() -> Iterator[None]:
    yield
