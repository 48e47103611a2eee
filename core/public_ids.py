"""Public identifiers: 128 random bits, so an id a user sees says nothing of how many came before it (issue 11,
item 3). Written in lower-case base32 without padding: 26 letters and digits, safe in a URL and easy to read out."""

from __future__ import annotations

import base64
import re
import secrets

PUBLIC_ID_PATTERN = "^[a-z2-7]{26}$"
_PUBLIC_ID = re.compile(PUBLIC_ID_PATTERN)


def new_public_id() -> str:
    return base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=").lower()


def is_public_id(value: object) -> bool:
    return isinstance(value, str) and _PUBLIC_ID.match(value) is not None
