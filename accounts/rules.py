"""Sign-in rules: lockout after repeated failures, session and token lifetimes, who may see what role's pages."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from accounts.actor import Actor, Role

MAX_FAILED_SIGN_INS = 5
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)
TOKEN_LIFETIME = timedelta(hours=8)
MIN_PASSWORD_LENGTH = 12

# The test suite signs in hundreds of times: there, cheap hashing parameters (a hash records its own
# parameters, so production hashes are unaffected). Everywhere else, argon2-cffi's recommended defaults.
_hasher = (
    PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    if os.environ.get("CDV_ENV") == "test"
    else PasswordHasher()
)
# A real hash to verify against when the username is unknown, so both paths take the same time.
_DUMMY_HASH = _hasher.hash("no-such-user-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def is_locked(locked_until_at: datetime | None, now: datetime) -> bool:
    return locked_until_at is not None and locked_until_at > now


def after_failed_sign_in(failed_sign_ins: int, now: datetime) -> tuple[int, datetime | None]:
    """The new failure count and, on reaching the limit, when the lock ends (counting restarts then)."""
    count = failed_sign_ins + 1
    if count >= MAX_FAILED_SIGN_INS:
        return 0, now + LOCKOUT
    return count, None


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return "Password must be at least %(length)s characters"
    return None


# What each role's dashboard shows, in order (templates/accounts/_<section>.html each).
DASHBOARD_SECTIONS: dict[Role, tuple[str, ...]] = {
    Role.NATIONAL_ADMIN: ("pending_vehicles", "budget_years", "administration"),
    Role.COMMISSIONER: ("specification_counts", "budget_years", "own_pcpgs", "pending_vehicles", "audit_link"),
    Role.EVALUATOR: ("evaluations",),
    Role.PROVIDER: ("own_vehicle", "open_opportunities", "own_bids"),
    Role.FINANCE_DIRECTOR: ("health_board", "budget_years", "pending_vehicles"),
}


def dashboard_sections(actor: Actor) -> tuple[str, ...]:
    """The parts of the dashboard an actor is shown (none without a role)."""
    return DASHBOARD_SECTIONS.get(actor.role, ()) if actor.role is not None else ()
