"""What a page's filter form sends, as a person meant it."""

from __future__ import annotations


def without_empty_values(query_string: bytes) -> bytes:
    """A filter left on "All" is sent as `pcpg=`: an empty value means the filter is not applied, so it is dropped
    before the route reads its parameters (an empty integer would otherwise be refused as unreadable)."""
    if b"=&" not in query_string + b"&":
        return query_string
    kept = [pair for pair in query_string.split(b"&") if pair and not pair.endswith(b"=")]
    return b"&".join(kept)
