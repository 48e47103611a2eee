"""What the maturity matrix adds to the site: its API and pages, the links to them and their success messages."""

from accounts.actor import Role
from core.i18n import N_
from maturity.controllers.api import MaturityController
from maturity.pages.assessments import MaturityAssessmentPages
from maturity.pages.matrix import MaturityMatrixPages
from maturity.pages.vehicle import VehicleMaturityPages
from web.contributions import DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="maturity",
    route_handlers=(MaturityController, MaturityMatrixPages, MaturityAssessmentPages, VehicleMaturityPages),
    navigation=(
        NavigationEntry(href="/maturity/matrix", text=N_("Maturity"), order=70, audience=audience(Role.NATIONAL_ADMIN)),
        NavigationEntry(
            href="/maturity", text=N_("Maturity"), order=56, audience=audience(Role.PROVIDER, Role.COMMISSIONER)
        ),
    ),
    flash_messages={
        "maturity_domain_changed": N_("The domain's words are changed"),
        "maturity_assessment_started": N_("Your self-assessment for this year is started"),
        "maturity_self_assessment_saved": N_("Your answers are saved"),
        "maturity_assessment_submitted": N_("Your self-assessment is submitted. A peer reviewer will be named"),
        "maturity_reviewer_named": N_("The peer reviewer is named"),
        "maturity_interests_declared": N_("Your declaration is recorded. You can now review the assessment"),
        "maturity_review_conflict": N_(
            "Your declaration is recorded. You have a conflict of interest, so another reviewer will be named"
        ),
        "maturity_review_saved": N_("Your review is saved"),
        "maturity_review_submitted": N_("Your review is submitted to the commissioner"),
        "maturity_assessment_confirmed": N_("The levels are confirmed. They are final"),
    },
)
