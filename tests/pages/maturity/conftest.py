"""The `as_user` fixture of tests/bidding_support.py: a client signed in as a given user."""

from tests.bidding_support import as_user  # noqa: F401
