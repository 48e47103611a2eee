"""What delivery returns add to the site: their API and pages, the links to them and their success messages."""

from accounts.actor import Role
from core.i18n import N_
from returns.autonomy.controllers import VehicleAutonomyController
from returns.autonomy.pages import VehicleAutonomyPages
from returns.controllers.document import ReturnDocumentController
from returns.controllers.outcomes import OutcomesController
from returns.controllers.payments import ContractPaymentController, PaymentController
from returns.controllers.ratings import PerformanceRatingController
from returns.controllers.returns import ReturnController
from returns.controllers.review import ReturnReviewController
from returns.controllers.submission import ReturnSubmissionController
from returns.pages.document import ReturnDocumentPages
from returns.pages.outcomes import OutcomesPages
from returns.pages.payments import PaymentPages
from returns.pages.ratings import PerformanceRatingPages
from returns.pages.review import ReturnReviewPages
from returns.pages.submission import ReturnSubmissionPages
from web.contributions import DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="returns",
    route_handlers=(
        ReturnController,
        ReturnSubmissionController,
        ReturnSubmissionPages,
        ReturnReviewController,
        ReturnReviewPages,
        PaymentController,
        ContractPaymentController,
        PaymentPages,
        OutcomesController,
        OutcomesPages,
        PerformanceRatingController,
        PerformanceRatingPages,
        ReturnDocumentController,
        ReturnDocumentPages,
        VehicleAutonomyController,
        VehicleAutonomyPages,
    ),
    navigation=(
        NavigationEntry(href="/returns", text=N_("Returns"), order=53, audience=audience(Role.PROVIDER)),
        NavigationEntry(
            href="/returns",
            text=N_("Delivery returns"),
            order=43,
            audience=audience(Role.FINANCE_DIRECTOR, Role.NATIONAL_ADMIN),
        ),
        NavigationEntry(
            href="/returns/review", text=N_("Returns to review"), order=43, audience=audience(Role.COMMISSIONER)
        ),
        NavigationEntry(
            href="/outcomes", text=N_("Outcomes"), order=44, audience=audience(Role.COMMISSIONER, Role.NATIONAL_ADMIN)
        ),
        NavigationEntry(href="/payments", text=N_("Payments"), order=44, audience=audience(Role.FINANCE_DIRECTOR)),
    ),
    flash_messages={
        "delivery_return_saved": N_("The return is saved as a draft"),
        "delivery_return_uploaded": N_("The figures in the file are saved as the draft. Check them, then continue"),
        "delivery_return_submitted": N_("The return is submitted to the commissioner"),
        "return_accepted": N_("The return is accepted. It is locked: a correction with a reason is the only change"),
        "return_queried": N_("The query is sent. The return is back with the delivery vehicle to correct"),
        "return_corrected": N_("The correction is made: the return has a new version"),
        "payment_approved": N_("The payment is approved: it is actual spend on its budget line"),
        "payment_withheld": N_("The payment is withheld"),
        "payment_released": N_("The payment is released: it can be approved again"),
        "performance_rated": N_("The performance ratings are saved"),
        "tier_overridden": N_("The tier is set. It applies from next quarter until a commissioner lifts it"),
        "tier_override_lifted": N_("The override is lifted: the tier the vehicle earns applies from next quarter"),
    },
)
