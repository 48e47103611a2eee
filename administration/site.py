"""What administration adds to the site: the training clock's API, only where the clock may move (demo and test)."""

from administration.controllers import ClockController
from web.contributions import DomainSite

DOMAIN = DomainSite(name="administration", route_handlers=(ClockController,))
