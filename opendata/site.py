"""What open data adds to the site: the OCDS release package (API only; no pages, navigation or messages)."""

from opendata.controllers.ocds import OpenDataController
from web.contributions import DomainSite

DOMAIN = DomainSite(name="opendata", route_handlers=(OpenDataController,))
