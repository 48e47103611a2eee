"""The two-process harness (tests/races/processes.py) for every race file."""

from tests.races.processes import two_apps  # noqa: F401 - a fixture, found by name
