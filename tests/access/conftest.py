"""The app and `client_as` of tests/api/conftest.py (deprecation warnings silenced; no argon2 per client)."""

from tests.api.conftest import app, client_as  # noqa: F401
