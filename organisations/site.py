"""What organisations adds to the site: reference data and delivery vehicle pages, their links and labels."""

from accounts.actor import Role
from core.i18n import N_
from organisations.controllers import DeliveryVehicleController, ReferenceController
from organisations.pages import DeliveryVehiclePages, ReferencePages
from organisations.rules import LEGAL_FORM_LABELS
from web.contributions import SIGNED_OUT, DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="organisations",
    route_handlers=(ReferencePages, DeliveryVehiclePages, ReferenceController, DeliveryVehicleController),
    navigation=(
        NavigationEntry(
            href="/delivery-vehicles",
            text=N_("Delivery vehicles"),
            order=45,
            audience=audience(Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR),
        ),
        NavigationEntry(
            href="/delivery-vehicles", text=N_("My delivery vehicle"), order=55, audience=audience(Role.PROVIDER)
        ),
        NavigationEntry(
            href="/reference/health-boards", text=N_("Reference data"), order=90, audience=audience(SIGNED_OUT)
        ),
    ),
    flash_messages={
        "vehicle_registered": N_(
            "Your delivery vehicle is registered. A commissioner or national administrator will review it"
        ),
        "vehicle_approved": N_("The delivery vehicle is approved and can now bid"),
        "vehicle_rejected": N_("The registration was rejected and the reason recorded"),
        "vehicle_suspended": N_("The delivery vehicle is suspended and cannot bid. Its managers have been told why"),
        "vehicle_reinstated": N_("The delivery vehicle is reinstated and can bid again"),
    },
    labels=LEGAL_FORM_LABELS,
)
