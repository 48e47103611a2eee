"""What the menu adds to the site: its pages and API, a link for everyone, its success messages."""

from core.i18n import N_
from menu.controllers import MenuController
from menu.pages import MenuPages
from web.contributions import EVERY_ROLE, SIGNED_OUT, DomainSite, NavigationEntry

DOMAIN = DomainSite(
    name="menu",
    route_handlers=(MenuPages, MenuController),
    navigation=(
        NavigationEntry(href="/menu", text=N_("Menu of services"), order=80, audience=EVERY_ROLE | {SIGNED_OUT}),
    ),
    flash_messages={
        "menu_added": N_("The service is on the menu"),
        "menu_edited": N_(
            "A new version of the service is saved. Specifications keep the version they were written from"
        ),
        "menu_sources_edited": N_(
            "The sources are saved as a new version. Specifications keep the version they were written from"
        ),
        "menu_retired": N_("The service is retired and is no longer offered for new specifications"),
    },
)
