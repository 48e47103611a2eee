"""What each kind of notice says, as catalogue messages, so every user reads it in their own language."""

from __future__ import annotations

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
