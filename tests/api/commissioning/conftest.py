"""The `as_user` fixture of tests/bidding_support.py: a client signed in as a given user (for the tests of bids,
evaluation and award)."""

from tests.bidding_support import as_user  # noqa: F401
