"""What commissioning adds to the site: plans, specifications, bids, evaluation and award, their links and messages."""

from accounts.actor import Role
from commissioning.controllers.award import AwardController
from commissioning.controllers.bids import BidController
from commissioning.controllers.clarifications import ClarificationController
from commissioning.controllers.evaluation import EvaluationController
from commissioning.controllers.plans import PlanController
from commissioning.controllers.specifications import SpecificationController
from commissioning.pages.bidding import BiddingPages
from commissioning.pages.drafting import DraftingPages
from commissioning.pages.evaluation import AwardPages, CommissionerEvaluationPages, EvaluatorPages
from commissioning.pages.plans import PlanPages
from commissioning.pages.public import PublicSpecificationPages
from commissioning.rules import ProcurementRoute
from core.i18n import N_
from web.contributions import SIGNED_OUT, DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="commissioning",
    route_handlers=(
        DraftingPages,
        PlanPages,
        BiddingPages,
        EvaluatorPages,
        CommissionerEvaluationPages,
        AwardPages,
        PublicSpecificationPages,
        PlanController,
        SpecificationController,
        ClarificationController,
        BidController,
        EvaluationController,
        AwardController,
    ),
    navigation=(
        NavigationEntry(
            href="/specifications", text=N_("Specifications"), order=20, audience=audience(Role.COMMISSIONER)
        ),
        NavigationEntry(
            href="/opportunities",
            text=N_("Opportunities"),
            order=20,
            audience=audience(SIGNED_OUT, Role.NATIONAL_ADMIN, Role.EVALUATOR, Role.PROVIDER, Role.FINANCE_DIRECTOR),
        ),
        NavigationEntry(href="/plans", text=N_("Plans"), order=30, audience=audience(Role.COMMISSIONER)),
        NavigationEntry(href="/bids", text=N_("My bids"), order=50, audience=audience(Role.PROVIDER)),
        NavigationEntry(href="/evaluations", text=N_("Evaluations"), order=60, audience=audience(Role.EVALUATOR)),
    ),
    flash_messages={
        "draft_created": N_("The draft specification is made from the menu. Complete each section, then publish it"),
        "draft_saved": N_("The draft is saved"),
        "plan_added": N_("The plan is added"),
        "priority_added": N_("The priority is added to the plan"),
        "term_changed": N_("The term is changed. Now give the maximum value and budget line for each year"),
        "published": N_("The specification is published and its maximum values are earmarked"),
        "published_warning": N_("The specification is published. A budget line it draws on is now 90% or more used"),
        "cancelled": N_("The specification is cancelled and its earmarks released"),
        "evaluation_begun": N_("Evaluation has begun"),
        "bid_submitted": N_(
            "Your bid is submitted. It stays sealed until the deadline; you can change or withdraw it until then"
        ),
        "bid_saved": N_("Your draft bid is saved. It is not submitted until you submit it"),
        "bid_withdrawn": N_("Your bid is withdrawn"),
        "attachment_added": N_("The document is attached to your bid"),
        "panel_named": N_("The evaluator is on the panel and has been notified"),
        "panel_member_removed": N_("The evaluator is off the panel; the evaluation no longer waits for them"),
        "declared": N_("Your declaration is recorded"),
        "recused": N_("You declared a conflict of interest, so you are recused from this evaluation"),
        "scored": N_("Your scores are saved"),
        "moderated": N_("The moderated score is recorded"),
        "award_intended": N_("The notice of intention to award is issued and the standstill has begun"),
        "representation_lodged": N_("Your representation is sent. The contract cannot be made until it is answered"),
        "representation_answered": N_("Your answer is sent to the bidder"),
        "contract_made": N_("The contract is made and the award notice published"),
        "question_asked": N_("Your question is sent. The answer will be published to every bidder without your name"),
        "question_answered": N_("The answer is published to every bidder"),
    },
    labels={route.value: route.label for route in ProcurementRoute},
)
