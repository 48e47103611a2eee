"""Tables of the bodies DOMAIN.md names. PCPGs and clusters carry effective dates: they change over time."""

from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table


class HealthBoard(Table):
    name = Varchar(length=120, unique=True, help_text="English name, e.g. Cardiff and Vale University Health Board")
    name_cy = Varchar(length=120, help_text="Welsh name")
    short_name = Varchar(length=12, unique=True, help_text="e.g. CAVUHB")


class RegionalPartnershipBoard(Table):
    name = Varchar(length=120, unique=True, help_text="English name, e.g. Cardiff and Vale")
    name_cy = Varchar(length=120, help_text="Welsh name")
    health_board = ForeignKey(references=HealthBoard, on_delete=OnDelete.restrict, null=False)


class Pcpg(Table):
    """Pan Cluster Planning Group: the commissioner, acting on the health board's behalf; not a legal body."""

    name = Varchar(length=120, unique=True, help_text="English name, e.g. Cardiff, Swansea Bay")
    name_cy = Varchar(length=120, help_text="Welsh name")
    health_board = ForeignKey(references=HealthBoard, on_delete=OnDelete.restrict, null=False)
    effective_from_on = Date(help_text="First day this PCPG exists in this form")
    effective_to_on = Date(null=True, default=None, help_text="Last day, empty while current")


class LocalAuthority(Table):
    name = Varchar(length=120, unique=True)
    name_cy = Varchar(length=120)
    health_board = ForeignKey(references=HealthBoard, on_delete=OnDelete.restrict, null=False)
    regional_partnership_board = ForeignKey(
        references=RegionalPartnershipBoard, on_delete=OnDelete.restrict, null=False
    )
    pcpg = ForeignKey(
        references=Pcpg,
        on_delete=OnDelete.restrict,
        null=False,
        help_text="The PCPG whose footprint covers this county",
    )


class Cluster(Table):
    name = Varchar(length=120, unique=True)
    name_cy = Varchar(length=120, null=True, default=None, help_text="Welsh name where one is known")
    seed_number = Integer(unique=True, help_text="Number in the national list of 60 clusters")
    local_authority = ForeignKey(references=LocalAuthority, on_delete=OnDelete.restrict, null=False)
    pcpg = ForeignKey(references=Pcpg, on_delete=OnDelete.restrict, null=False)
    health_board = ForeignKey(references=HealthBoard, on_delete=OnDelete.restrict, null=False)
    population = Integer(null=True, default=None, help_text="Empty where no public source gave one")
    population_is_estimate = Boolean(default=False)
    population_source = Text(default="", help_text="Where the population comes from, with its date where known")
    population_as_of = Varchar(
        length=10,
        null=True,
        default=None,
        help_text="The day, month or year the source gives for the figure (2020-01-01, 2018-10 or 2018); "
        "empty when the source gives none",
    )
    population_source_url = Varchar(
        length=300, null=True, default=None, help_text="Address of the population's source, where it has one"
    )
    effective_from_on = Date()
    effective_to_on = Date(null=True, default=None)


class DeliveryVehicle(Table):
    """A CIC, federation, social enterprise, charity or HB-hosted team that bids for and delivers services."""

    name = Varchar(length=200)
    legal_form = Varchar(length=40, help_text="cic, company_limited_by_guarantee, gp_federation, charity, ...")
    companies_house_number = Varchar(length=8, null=True, default=None, unique=True)
    contact_name = Varchar(length=120)
    contact_email = Varchar(length=200)
    contact_phone = Varchar(length=40, default="")
    status = Varchar(length=20, default="pending", help_text="pending, approved, rejected or suspended")
    registered_at = Timestamptz()
    registered_by_username = Varchar(length=80, default="")
    decided_at = Timestamptz(null=True, default=None)
    decided_by_username = Varchar(length=80, default="")
    decision_reason = Text(default="")
    suspended_at = Timestamptz(null=True, default=None, help_text="While suspended: since when; empty otherwise")
    suspended_by_username = Varchar(length=80, default="")
    suspension_reason = Text(default="", help_text="Why it is suspended, as the national administrator gave it")


class DeliveryVehicleCluster(Table):
    delivery_vehicle = ForeignKey(references=DeliveryVehicle, on_delete=OnDelete.restrict, null=False)
    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.restrict, null=False)
