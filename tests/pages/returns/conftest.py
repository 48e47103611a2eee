"""The app and `client_as` of tests/api/conftest.py."""

from tests.api.conftest import app, client_as  # noqa: F401
