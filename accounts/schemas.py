"""Types in and out of sign-in and the current user."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec


class TokenIn(msgspec.Struct, forbid_unknown_fields=True):
    username: Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class TokenOut(msgspec.Struct):
    access_token: str
    token_type: str
    expires_at: datetime


class MeOut(msgspec.Struct):
    id: int
    username: str
    role: str
    language: str
    pcpg_ids: list[int]
    delivery_vehicle_id: int | None
    health_board_id: int | None


class SignInForm(msgspec.Struct):
    username: str = ""
    password: str = ""
    next: str = ""
