"""The national menu of cluster services. Every edit makes a new version; a specification keeps the version
it was written from (DOMAIN.md, "Menu of cluster services")."""

from piccolo.columns import BigInt, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class MenuService(Table):
    code = Varchar(length=60, unique=True, help_text="Short slug, e.g. obesity")
    current_version = Integer(default=1)
    retired_at = Timestamptz(
        null=True, default=None, help_text="Retired services are not offered for new specifications"
    )
    retired_by_username = Varchar(length=80, default="")
    retirement_reason = Text(default="")


class MenuServiceVersion(Table):
    menu_service = ForeignKey(references=MenuService, null=False)
    version = Integer()
    name = Varchar(length=200)
    name_cy = Varchar(length=200)
    description = Text()
    description_cy = Text()
    translation_status = Varchar(length=20, default="draft", help_text="draft or reviewed (the Welsh text)")
    category = Varchar(length=60)
    unit_of_activity = Varchar(length=60, help_text="What activity is counted in: patients, contacts, ...")
    unit_of_activity_cy = Varchar(length=60)
    price_min_pence = BigInt(null=True, default=None, help_text="Indicative annual price for one cluster, lower end")
    price_max_pence = BigInt(null=True, default=None)
    price_basis = Varchar(length=40, default="none", help_text="published, derived_from_staffing or none")
    price_note = Text(default="")
    source = Text(default="")
    change_note = Text(default="", help_text="Why this version was made")
    created_at = Timestamptz()
    created_by_username = Varchar(length=80)


class MenuKpi(Table):
    """A suggested outcome measure; a target only where a public source states one."""

    menu_service_version = ForeignKey(references=MenuServiceVersion, null=False)
    position = Integer(default=0)
    code = Varchar(length=80)
    name = Varchar(length=300)
    name_cy = Varchar(length=300)
    unit = Varchar(length=60)
    direction = Varchar(length=20, help_text="higher_is_better or lower_is_better")
    typical_target = Text(default="")
    target_source = Text(default="")
    source = Text(default="")
