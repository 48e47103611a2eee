"""The `as_user` fixture of tests/bidding_support.py: a client signed in as a given user, without a sign-in event."""

from tests.bidding_support import as_user  # noqa: F401
