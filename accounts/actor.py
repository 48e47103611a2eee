"""Who is acting: a signed-in user with one role and that role's scope, or the system (CLI, loaders)."""

from __future__ import annotations

from enum import StrEnum

import msgspec


class Role(StrEnum):
    NATIONAL_ADMIN = "national_admin"
    COMMISSIONER = "commissioner"
    EVALUATOR = "evaluator"
    PROVIDER = "provider"
    FINANCE_DIRECTOR = "finance_director"


class Actor(msgspec.Struct, frozen=True, kw_only=True):
    user_id: int | None
    username: str
    role: Role | None
    full_name: str = ""  # how the person is shown (the username only signs them in)
    language: str = "en"
    pcpg_ids: tuple[int, ...] = ()
    delivery_vehicle_id: int | None = None
    health_board_id: int | None = None

    @property
    def is_system(self) -> bool:
        return self.user_id is None

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    @property
    def name(self) -> str:
        """The person's full name, for the header and anywhere else they are shown."""
        return self.full_name or self.username


SYSTEM = Actor(user_id=None, username="system", role=None)
