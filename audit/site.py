"""What the audit trail adds to the site: its page and API, and its link for those who may read it."""

from accounts.actor import Role
from audit.controllers import AuditController
from audit.pages import AuditPages
from core.i18n import N_
from web.contributions import DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="audit",
    route_handlers=(AuditPages, AuditController),
    navigation=(
        NavigationEntry(
            href="/audit", text=N_("Audit trail"), order=95, audience=audience(Role.NATIONAL_ADMIN, Role.COMMISSIONER)
        ),
    ),
)
