"""Rule tests take plain values and never touch the database: the two autouse database fixtures of tests/conftest.py
(migrate once per session, empty the tables after each test) are replaced by no-ops for this folder, so
`pytest tests/unit` starts in about a second and creates no database (as tests/browser/conftest.py does)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def database() -> Iterator[None]:
    yield


@pytest.fixture(autouse=True)
def clean_database() -> Iterator[None]:
    yield
