"""What each kind of notice says, as catalogue messages, so every user reads it in their own language; and the email
outbox's rules: its statuses and the back-off between attempts."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from core.i18n import N_

MESSAGES: dict[str, tuple[str, str]] = {
    "specification_published": (
        N_("New opportunity: %(title)s"),
        N_("%(pcpg)s has published %(reference)s, %(title)s, for clusters you serve. Bids close %(deadline)s."),
    ),
    "deadline_soon": (
        N_("Bids close in 3 days: %(title)s"),
        N_("Bids for %(reference)s, %(title)s, close %(deadline)s."),
    ),
    "bid_received": (
        N_("Bid received: %(title)s"),
        N_("Your bid for %(reference)s was received %(when)s. It stays sealed until the deadline."),
    ),
    "bid_withdrawn": (
        N_("Bid withdrawn: %(title)s"),
        N_("Your bid for %(reference)s was withdrawn %(when)s."),
    ),
    "clarification_asked": (
        N_("A question on %(title)s"),
        N_("A provider has asked a question about %(reference)s, %(title)s. Answer it so that every bidder sees it."),
    ),
    "named_evaluator": (
        N_("You are on the evaluation panel: %(title)s"),
        N_("You have been named to evaluate %(reference)s. Declare your interests before you see any bid."),
    ),
    "award_intention": (
        N_("Intention to award: %(title)s"),
        N_(
            "%(pcpg)s intends to award %(reference)s to %(winner)s. Standstill ends %(standstill)s; you may make a "
            "representation until then."
        ),
    ),
    "award_intention_direct": (
        N_("Intention to award: %(title)s"),
        N_("%(pcpg)s intends to award %(reference)s to %(winner)s. This route has no standstill period."),
    ),
    "representation_lodged": (
        N_("Representation on %(title)s"),
        N_("A bidder has made a representation on the award of %(reference)s. Standstill stays open until you answer."),
    ),
    "representation_answered": (
        N_("Your representation was answered: %(title)s"),
        N_("The PCPG has answered your representation on %(reference)s."),
    ),
    "vehicle_suspended": (
        N_("Your delivery vehicle is suspended: %(name)s"),
        N_(
            "A national administrator has suspended %(name)s. It cannot bid until it is reinstated. "
            "The reason given: %(reason)s"
        ),
    ),
    "vehicle_reinstated": (
        N_("Your delivery vehicle is reinstated: %(name)s"),
        N_("A national administrator has reinstated %(name)s. It can bid again."),
    ),
    "return_due_soon": (
        N_("Delivery return due in 7 days: %(reference)s"),
        N_(
            "The delivery return for contract %(reference)s, %(title)s, for quarter %(quarter)s of %(year)s is due "
            "%(due)s. Submit it by then."
        ),
    ),
    "return_overdue": (
        N_("Delivery return overdue: %(reference)s"),
        N_(
            "The delivery return for contract %(reference)s, %(title)s, for quarter %(quarter)s of %(year)s was due "
            "%(due)s and has not been submitted. Submit it as soon as you can."
        ),
    ),
    "contract_made": (
        N_("Contract made: %(title)s"),
        N_("Contract %(contract)s has been made with %(winner)s for %(reference)s. The award notice is published."),
    ),
    "return_queried": (
        N_("Delivery return queried: %(title)s"),
        N_(
            "The commissioner has queried your delivery return for Q%(quarter)s %(year)s of %(reference)s, %(title)s, "
            "with %(count)s comments. Correct it and submit it again."
        ),
    ),
    "autonomy_tier_changed": (
        N_("Autonomy tier from Q%(quarter)s %(year)s: %(name)s"),
        N_(
            "%(name)s has the autonomy tier %(tier)s from Q%(quarter)s %(year)s. Its returns from then on are "
            "%(frequency)s; returns already under way keep their shape."
        ),
    ),
    "named_peer_reviewer": (
        N_("You are named to peer review the maturity of %(vehicle)s"),
        N_(
            "You have been named to peer review the %(year)s maturity self-assessment of %(vehicle)s. Declare any "
            "conflict of interest before you see it."
        ),
    ),
}


class OutboxStatus(StrEnum):
    """Where a notice's email stands, as an operator reads it (`cdv notify`)."""

    WAITING = "waiting"  # due or soon due, not yet tried
    FAILING = "failing"  # tried and not yet sent; retried with back-off
    HELD = "held"  # failed MAX_ATTEMPTS times: kept for an operator (`cdv notify --retry`), never dropped
    SENT = "sent"
    INBOX_ONLY = "inbox_only"  # its user has no email address


MAX_ATTEMPTS = 10
"""With FIRST_RETRY doubling up to RETRY_CAP, ten attempts span about eight hours: a mail server down overnight is
waited for; one down for longer needs a person."""
FIRST_RETRY = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=2)
LEASE_PER_MESSAGE = timedelta(minutes=2)
"""A claim lasts this long per message in the batch: longer than the SMTP timeout (60 s), so a live worker's claim is
never taken over; a worker killed mid-send gives its notices back once it has passed."""
SMTP_TIMEOUT_SECONDS = 60


def outbox_status(*, emailed: bool, scheduled: bool, failed: bool) -> OutboxStatus:
    """`scheduled`: it has a next attempt; `failed`: an attempt has failed (it has a last error). A first attempt
    under way is still waiting."""
    if emailed:
        return OutboxStatus.SENT
    if not scheduled:
        return OutboxStatus.HELD if failed else OutboxStatus.INBOX_ONLY
    return OutboxStatus.FAILING if failed else OutboxStatus.WAITING


def next_attempt_at(*, attempts: int, failed_at: datetime) -> datetime | None:
    """Exponential back-off after the `attempts`-th failure (1 min, 2, 4, ... capped at 2 h); None after the last:
    the notice is held for an operator, never lost."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return failed_at + min(FIRST_RETRY * 2 ** max(attempts - 1, 0), RETRY_CAP)


def short_error(error: BaseException) -> str:
    """What went wrong, in at most 300 characters: the exception's kind and the server's reply. The service signs in
    to no mail server, so no password can be in it."""
    text = " ".join(str(error).split()) or "no detail"
    return f"{type(error).__name__}: {text}"[:300]
