"""Public identifiers: 128 random bits, so an id a user sees says nothing of how many came before it (issue 11,
item 3). Written in lower-case base32 without padding: 26 letters and digits, safe in a URL and easy to read out."""

from __future__ import annotations

import base64
import re
import secrets
from typing import Annotated

import msgspec
from litestar.params import Parameter

PUBLIC_ID_PATTERN = "^[a-z2-7]{26}$"
_PUBLIC_ID = re.compile(PUBLIC_ID_PATTERN)

NamedPublicId = Annotated[str, msgspec.Meta(max_length=100, description="A public id: 26 of a-z and 2-7")]
"""A public id in a body, bounded but not refused for its form: one that is not a public id names nothing, and is
answered exactly as a well-formed one that names nothing (a sealed bid's answer)."""

BidPath = Annotated[str, Parameter(schema_extra={"pattern": PUBLIC_ID_PATTERN})]
"""A bid's public id in a path: the pattern is documented (OpenAPI) but not enforced by the framework, so a malformed
id reaches bid_queries.visible_bid and answers exactly as an absent one (404 "No such bid")."""


def new_public_id() -> str:
    return base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=").lower()


def is_public_id(value: object) -> bool:
    return isinstance(value, str) and _PUBLIC_ID.match(value) is not None
