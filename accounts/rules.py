"""Rules about users: sign-in throttling, session, token and password-link lifetimes, who may see what role's pages,
and the national administrator's management of users (scope by role, who may be deactivated)."""

from __future__ import annotations

import hashlib
import math
import os
import re
from datetime import datetime, timedelta
from enum import StrEnum

import msgspec
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from accounts.actor import Actor, Role
from core.i18n import N_

ROLE_LABELS = {
    Role.NATIONAL_ADMIN: N_("National administrator"),
    Role.COMMISSIONER: N_("PCPG commissioner"),
    Role.EVALUATOR: N_("Evaluator"),
    Role.PROVIDER: N_("Delivery vehicle manager"),
    Role.FINANCE_DIRECTOR: N_("Health board finance director"),
}

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
    """A user with no password yet (added by an administrator, waiting for their link) matches nothing; the dummy
    hash is still checked, so the answer takes as long either way."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


# --- Sign-in throttling (issue 11, item 4) ---
#
# Sources: NIST SP 800-63B §5.2.2 "Rate Limiting (Throttling)" (limit consecutive failed attempts; prefer waits
# that grow over a lock, so an attacker cannot deny the owner); OWASP Authentication Cheat Sheet, "Login Throttling"
# and "Account Lockout" (exponential back-off that ends by itself, counted per account and per address; the same
# answer whether or not the account exists).


class Throttle(msgspec.Struct, frozen=True, kw_only=True):
    """How failed sign-ins counted against one key (a username, or a client address) delay the next attempt: the
    first `free_failures` cost nothing, then each one doubles the wait, up to `longest_wait`."""

    free_failures: int
    first_wait: timedelta
    longest_wait: timedelta


# A username: five goes (like the old lock), then 1, 2, 4, 8 and at most 15 minutes between goes. This is what holds
# back guessing from many addresses at once (at most about 100 guesses a day at one username, NIST's limit), and
# why the wait is short: while a wait runs, the owner waits too.
USERNAME_THROTTLE = Throttle(free_failures=5, first_wait=timedelta(minutes=1), longest_wait=timedelta(minutes=15))
# A client address: enough for an office behind one address to mistype all day, then waits up to an hour. This is
# what stops one attacker: keeping a username's wait going takes a failure every 15 minutes (96 a day), and one
# address gets about 30 a day plus one an hour, so the username's wait lapses and the owner gets in.
ADDRESS_THROTTLE = Throttle(free_failures=30, first_wait=timedelta(minutes=1), longest_wait=timedelta(hours=1))
# Failures older than this are forgotten (and swept); a success forgets its username's failures at once.
FAILURES_REMEMBERED = timedelta(hours=24)


def throttle_wait(throttle: Throttle, failures: int) -> timedelta:
    """The wait after the latest of `failures` remembered failures: none while they are free, then doubling."""
    beyond = failures - throttle.free_failures
    if beyond < 0:
        return timedelta(0)
    if beyond >= 32:  # 2**32 minutes is past any cap: no need to compute it
        return throttle.longest_wait
    return min(throttle.first_wait * 2**beyond, throttle.longest_wait)


def wait_left(throttle: Throttle, *, failures: int, last_failed_at: datetime | None, now: datetime) -> timedelta:
    """How long until the next attempt is checked. Never more than the throttle's longest wait, even if the clock
    was moved back after the failure (a training clock can be): so nobody waits longer than the cap."""
    if last_failed_at is None or failures <= 0:
        return timedelta(0)
    elapsed = max(now - last_failed_at, timedelta(0))
    return max(throttle_wait(throttle, failures) - elapsed, timedelta(0))


class SignInWait(msgspec.Struct, frozen=True, kw_only=True):
    """Remembered failures for the username typed and the client address: count and latest time."""

    username_failures: int = 0
    username_last_failed_at: datetime | None = None
    address_failures: int = 0
    address_last_failed_at: datetime | None = None


def sign_in_wait(state: SignInWait, now: datetime) -> timedelta:
    """The longer of the two waits. While it runs, an attempt is answered "try again later" without the password
    being checked (so waiting guesses learn nothing), and it neither counts nor makes the wait longer: once it ends,
    the right password signs in. Unknown usernames are counted exactly like known ones, so the waits say nothing
    about which usernames exist."""
    return max(
        wait_left(
            USERNAME_THROTTLE,
            failures=state.username_failures,
            last_failed_at=state.username_last_failed_at,
            now=now,
        ),
        wait_left(
            ADDRESS_THROTTLE, failures=state.address_failures, last_failed_at=state.address_last_failed_at, now=now
        ),
    )


def retry_after_seconds(wait: timedelta) -> int:
    """Whole seconds for a Retry-After header (RFC 9110 §10.2.3), rounded up, at least 1."""
    return max(1, math.ceil(wait.total_seconds()))


def retry_after_minutes(wait: timedelta) -> int:
    """Whole minutes for the words "try again in ... minutes", rounded up, at least 1."""
    return max(1, math.ceil(wait.total_seconds() / 60))


def throttle_message(wait: timedelta) -> str:
    """The words for an attempt that has to wait (its %(minutes)s is retry_after_minutes)."""
    if retry_after_minutes(wait) == 1:
        return N_("Too many failed attempts to sign in. Try again in 1 minute")
    return N_("Too many failed attempts to sign in. Try again in %(minutes)s minutes")


def failure_key(kind: str, value: str) -> str:
    """The digest a failure is counted under: `kind` is "username" (as typed, trimmed, as the lookup uses it) or
    "address"; nothing readable is kept."""
    return hashlib.sha256(f"{kind}:{value}".encode("utf-8", "surrogatepass")).hexdigest()


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return "Password must be at least %(length)s characters"
    return None


# What each role's dashboard shows, in order (templates/accounts/_<section>.html each).
DASHBOARD_SECTIONS: dict[Role, tuple[str, ...]] = {
    Role.NATIONAL_ADMIN: ("pending_vehicles", "budget_years", "administration"),
    Role.COMMISSIONER: (
        "specification_counts",
        "returns_due",
        "budget_years",
        "own_pcpgs",
        "pending_vehicles",
        "audit_link",
    ),
    Role.EVALUATOR: ("evaluations",),
    Role.PROVIDER: ("own_vehicle", "returns_due", "open_opportunities", "own_bids"),
    Role.FINANCE_DIRECTOR: ("health_board", "budget_years", "pending_vehicles"),
}


def dashboard_sections(actor: Actor) -> tuple[str, ...]:
    """The parts of the dashboard an actor is shown (none without a role)."""
    return DASHBOARD_SECTIONS.get(actor.role, ()) if actor.role is not None else ()


# --- Managing users (a national administrator's; DOMAIN.md "Users") ---

PASSWORD_LINK_LIFETIME = timedelta(hours=24)
FULL_NAME_MAX_LENGTH = 120
# Letters, digits and . _ @ - (so an email address can be a username), starting with a letter or digit.
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,79}$")


def can_manage_users(actor: Actor) -> bool:
    return actor.role is Role.NATIONAL_ADMIN


def is_username(text: str) -> bool:
    return bool(_USERNAME.fullmatch(text))


def full_name_problem(full_name: str) -> str | None:
    """A person is shown by their full name everywhere (panel, moderation, audit trail), so it is required."""
    if not full_name.strip():
        return N_("Enter the person's full name")
    if len(full_name.strip()) > FULL_NAME_MAX_LENGTH:
        return N_("Full name must be 120 characters or fewer")
    return None


def passwords_problem(password: str, confirmation: str) -> tuple[str, str] | None:
    """The field and words of the first problem with a new password typed twice; None when it can be set."""
    if not password:
        return "password", N_("Enter a new password")
    problem = password_problem(password)
    if problem:
        return "password", problem  # its %(length)s is MIN_PASSWORD_LENGTH
    if password != confirmation:
        return "confirmation", N_("The passwords do not match")
    return None


class UserScope(msgspec.Struct, frozen=True, kw_only=True):
    """Where a user acts: a commissioner's PCPGs, a finance director's health board, a provider's vehicle."""

    pcpg_ids: tuple[int, ...] = ()
    health_board_id: int | None = None
    delivery_vehicle_id: int | None = None


# Which part of a scope each role uses; national administrators and evaluators have none.
SCOPE_FIELD: dict[Role, str] = {
    Role.COMMISSIONER: "pcpg_ids",
    Role.FINANCE_DIRECTOR: "health_board_id",
    Role.PROVIDER: "delivery_vehicle_id",
}


# What a page calls each part of a scope.
SCOPE_LABELS = {
    "pcpg_ids": N_("PCPGs"),
    "health_board_id": N_("Health board"),
    "delivery_vehicle_id": N_("Delivery vehicle"),
}


def has_scope(role: Role) -> bool:
    return role in SCOPE_FIELD


def scope_for(
    role: Role,
    *,
    pcpg_ids: tuple[int, ...] = (),
    health_board_id: int | None = None,
    delivery_vehicle_id: int | None = None,
) -> UserScope:
    """Only the part of a scope the role uses (a form sends every role's questions; the others are dropped)."""
    if role is Role.COMMISSIONER:
        return UserScope(pcpg_ids=tuple(sorted(set(pcpg_ids))))
    if role is Role.FINANCE_DIRECTOR:
        return UserScope(health_board_id=health_board_id)
    if role is Role.PROVIDER:
        return UserScope(delivery_vehicle_id=delivery_vehicle_id)
    return UserScope()


def scope_problem(role: Role, scope: UserScope) -> tuple[str, str] | None:
    """A commissioner acts for at least one PCPG and a finance director for one health board. A provider may start
    without a vehicle: they register their own."""
    if role is Role.COMMISSIONER and not scope.pcpg_ids:
        return "pcpg_ids", N_("Choose at least one PCPG the commissioner acts for")
    if role is Role.FINANCE_DIRECTOR and scope.health_board_id is None:
        return "health_board_id", N_("Choose the finance director's health board")
    return None


class UserStatus(StrEnum):
    """An account is active until a national administrator deactivates it (there is no way back: add a new one)."""

    ACTIVE = "active"
    DEACTIVATED = "deactivated"

    @property
    def label(self) -> str:
        return N_("Active") if self is UserStatus.ACTIVE else N_("Deactivated")

    @property
    def colour(self) -> str:
        return "green" if self is UserStatus.ACTIVE else "grey"


def user_status(active: bool) -> UserStatus:
    return UserStatus.ACTIVE if active else UserStatus.DEACTIVATED


def deactivation_refusal(
    actor: Actor, *, user_id: int, role: Role, active: bool, active_national_admins: int
) -> str | None:
    """Why this account cannot be deactivated, or None. The service must always keep one active national
    administrator, or nobody could manage users again: the last one cannot deactivate themselves."""
    if not active:
        return N_("This account is already deactivated")
    if role is Role.NATIONAL_ADMIN and active_national_admins <= 1:
        if actor.user_id == user_id:
            return N_("You are the last active national administrator, so you cannot deactivate your own account")
        return N_("This is the last active national administrator, so the account cannot be deactivated")
    return None


def is_password_link_usable(*, expires_at: datetime, used_at: datetime | None, active: bool, now: datetime) -> bool:
    """A link sets a password once, before it expires, for an account still active."""
    return used_at is None and now < expires_at and active


class UserActions(msgspec.Struct, frozen=True, kw_only=True):
    """What a national administrator is offered on a user's page, and why deactivation is not (their words)."""

    can_change_scope: bool
    can_deactivate: bool
    can_issue_password_link: bool
    cannot_deactivate_because: str | None = None


def user_actions(actor: Actor, *, user_id: int, role: Role, active: bool, active_national_admins: int) -> UserActions:
    manages = can_manage_users(actor)
    refusal = deactivation_refusal(
        actor, user_id=user_id, role=role, active=active, active_national_admins=active_national_admins
    )
    return UserActions(
        can_change_scope=manages and active and has_scope(role),
        can_deactivate=manages and refusal is None,
        can_issue_password_link=manages and active,
        cannot_deactivate_because=refusal if manages and active else None,
    )


# Ids are PostgreSQL integers: a larger number names no user (and the drivers refuse it).
MAX_USER_ID = 2_147_483_647


# --- Sessions and API tokens: how long a sign-in lasts, who may end one ---

IDLE_LIMIT = timedelta(minutes=30)
"""A page session or API token unused this long no longer signs anyone in, whatever its lifetime left. Source:
OWASP ASVS 4.0.3 V3.3.2 (level 2): re-authentication after 12 hours, or after 30 minutes of inactivity."""
LAST_USED_PRECISION = timedelta(minutes=1)
"""How stale the recorded last use may be: it is written at most once a minute per sign-in, not on every request."""


class SignInKind(StrEnum):
    """A page session (a browser's cookie) or an API token (a bearer token)."""

    SESSION = "session"
    TOKEN = "token"  # noqa: S105 - the kind of sign-in, not a secret

    @property
    def label(self) -> str:
        return N_("Browser") if self is SignInKind.SESSION else N_("API token")


def last_active_at(created_at: datetime, last_used_at: datetime | None) -> datetime:
    """A sign-in not used since it was made counts as used when made."""
    return last_used_at if last_used_at is not None and last_used_at > created_at else created_at


def sign_in_ends_at(*, created_at: datetime, expires_at: datetime, last_used_at: datetime | None) -> datetime:
    """When the sign-in stops working if not used again: its lifetime's end, or sooner once idle too long."""
    return min(expires_at, last_active_at(created_at, last_used_at) + IDLE_LIMIT)


def is_sign_in_live(
    *, created_at: datetime, expires_at: datetime, last_used_at: datetime | None, now: datetime
) -> bool:
    return now < sign_in_ends_at(created_at=created_at, expires_at=expires_at, last_used_at=last_used_at)


def needs_recording_use(*, created_at: datetime, last_used_at: datetime | None, now: datetime) -> bool:
    """Whether this request's use of a sign-in is written down (at most once per LAST_USED_PRECISION), so a busy
    client does not write on every request while an idle one still expires on time, give or take a minute."""
    return now - last_active_at(created_at, last_used_at) >= LAST_USED_PRECISION


def can_end_sign_ins(actor: Actor, user_id: int) -> bool:
    """Users end their own sign-ins (a lost laptop, a leaked token); a national administrator ends anyone's."""
    return actor.user_id == user_id or actor.role is Role.NATIONAL_ADMIN
