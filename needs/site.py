"""What needs adds to the site: the needs assessment and engagement pages and API, their link and messages."""

from accounts.actor import Role
from core.i18n import N_
from needs.controllers import EngagementController, NeedController
from needs.pages import EngagementPages, NeedPages
from web.contributions import DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="needs",
    route_handlers=(NeedPages, EngagementPages, NeedController, EngagementController),
    navigation=(
        NavigationEntry(
            href="/needs", text=N_("Needs"), order=29, audience=audience(Role.COMMISSIONER, Role.NATIONAL_ADMIN)
        ),
    ),
    flash_messages={
        "need_recorded": N_("The need is recorded"),
        "need_changed": N_("The need is changed"),
        "need_priorities_linked": N_("The plan priorities answering the need are saved"),
        "engagement_recorded": N_("The engagement is recorded"),
        "engagement_changed": N_("The engagement is changed"),
    },
)
