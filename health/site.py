"""What health adds to the site: GET /health, and nothing on any page."""

from health.controllers import health_check
from web.contributions import DomainSite

DOMAIN = DomainSite(name="health", route_handlers=(health_check,))
