"""The app and `client_as` of tests/api/conftest.py, and the `as_user` fixture of tests/bidding_support.py (a client
signed in as a given user)."""

from tests.api.conftest import app, client_as  # noqa: F401
from tests.bidding_support import as_user  # noqa: F401
