"""What notifications add to the site: the inbox page and API, and its link for everyone signed in."""

from core.i18n import N_
from notifications.controllers import NotificationController
from notifications.pages import InboxPages
from web.contributions import EVERY_ROLE, DomainSite, NavigationEntry

DOMAIN = DomainSite(
    name="notifications",
    route_handlers=(InboxPages, NotificationController),
    navigation=(NavigationEntry(href="/inbox", text=N_("Inbox"), order=70, audience=EVERY_ROLE),),
)
