"""Types in and out of sign-in and the current user."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

from accounts.actor import Role
from accounts.rules import SignInKind


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
    full_name: str
    role: str
    language: str
    pcpg_ids: list[int]
    delivery_vehicle_id: int | None
    health_board_id: int | None


class SignInForm(msgspec.Struct):
    username: str = ""
    password: str = ""
    next: str = ""


# --- Managing users (national administrators) ---

NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL: refused here, naming the field
Id = Annotated[int, msgspec.Meta(ge=1, le=2_147_483_647)]
FullName = Annotated[str, msgspec.Meta(min_length=1, max_length=120, pattern=NO_NUL)]
Username = Annotated[str, msgspec.Meta(min_length=2, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")]


class UserIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A new user: who, their role, and where the role acts (only the part of the scope the role uses is kept:
    a commissioner's `pcpg_ids`, a finance director's `health_board_id`, a provider's `delivery_vehicle_id`).
    Fields in the order the form asks for them."""

    full_name: FullName
    username: Username
    email: Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)] = ""
    role: Role
    language: Literal["en", "cy"] = "en"
    pcpg_ids: Annotated[list[Id], msgspec.Meta(max_length=50)] = []
    health_board_id: Id | None = None
    delivery_vehicle_id: Id | None = None


class UserScopeIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The new scope of a commissioner, finance director or provider (the other fields are ignored)."""

    pcpg_ids: Annotated[list[Id], msgspec.Meta(max_length=50)] = []
    health_board_id: Id | None = None
    delivery_vehicle_id: Id | None = None


class PasswordIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new password, typed twice, with the one-time link's token."""

    token: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=NO_NUL)]
    password: Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)]
    confirmation: Annotated[str, msgspec.Meta(max_length=200, pattern=NO_NUL)]


class ScopeItem(msgspec.Struct):
    """An organisation a user acts for, with its Welsh name where it has one."""

    id: int
    name: str
    name_cy: str | None = None
    name_shown: str = ""
    """The name in the reader's language, decided by the query (a vehicle has one name: `name`)."""


class UserSummary(msgspec.Struct, kw_only=True):
    id: int
    full_name: str
    username: str
    role: Role
    role_label: str
    active: bool
    status_label: str
    status_colour: str
    scope: list[ScopeItem]


class UserOut(msgspec.Struct, kw_only=True):
    id: int
    full_name: str
    username: str
    email: str
    role: Role
    role_label: str
    language: str
    active: bool
    status_label: str
    status_colour: str
    pcpgs: list[ScopeItem]
    health_board: ScopeItem | None
    delivery_vehicle: ScopeItem | None
    created_at: datetime
    scope_field: str | None  # which part of a scope the role uses: pcpg_ids, health_board_id, delivery_vehicle_id
    scope_label: str | None  # the reader's words for it
    scope: list[ScopeItem]  # what the user acts for, whichever part that is
    can_change_scope: bool
    can_deactivate: bool
    can_issue_password_link: bool
    cannot_deactivate_because: str | None = None  # the reader's words


class PasswordLinkOut(msgspec.Struct):
    """The one-time link to give to the user (shown once: only its digest is kept)."""

    url: str
    expires_at: datetime


class UserCreatedOut(msgspec.Struct):
    user: UserOut
    password_link: PasswordLinkOut


# --- Sign-ins: page sessions and API tokens ---


class SignInSummary(msgspec.Struct, kw_only=True):
    """A live page session or API token of one user: when it began, was last used (to the minute) and ends if not
    used again (its lifetime, or sooner once idle: accounts.rules.IDLE_LIMIT). Never the secret itself."""

    kind: SignInKind
    id: int
    kind_label: str  # the reader's words: "Browser" or "API token"
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime  # the end of its lifetime, however busy
    ends_at: datetime  # when it stops working unless used again before then
    current: bool  # the one this request was signed in with


class SignedOutEverywhereOut(msgspec.Struct):
    """How many sessions and API tokens stopped working."""

    sessions: int
    tokens: int
