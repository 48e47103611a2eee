"""A PCPG's needs assessment (the needs its plan answers) and the public engagement behind needs, priorities and
specifications: the first links of the line of sight (issue 15, items 1 and 3)."""

from piccolo.columns import Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from commissioning.tables import PlanPriority, Specification
from organisations.tables import Cluster, Pcpg


class Need(Table):
    """One need a PCPG plans against, from the RPB's Population Needs Assessment or from local intelligence."""

    pcpg = ForeignKey(references=Pcpg, on_delete=OnDelete.restrict, null=False)
    title = Varchar(length=200)
    title_cy = Varchar(length=200, default="")
    description = Text()
    description_cy = Text(default="")
    source = Varchar(length=30, help_text="pna, cluster or collaborative (needs.rules.NeedSource)")
    pna_title = Varchar(length=300, default="", help_text="The Population Needs Assessment's title, for pna")
    pna_year = Integer(null=True, default=None, help_text="The year the assessment was published, for pna")
    pna_section = Varchar(length=200, default="", help_text="Its chapter or section")
    pna_link = Varchar(length=500, default="", help_text="Where the assessment is published")
    collaborative = Varchar(length=40, default="", help_text="Which professional collaborative, for collaborative")
    population_affected = Integer(null=True, default=None, help_text="People affected, where known")
    evidence = Text(default="")
    evidence_source = Text(default="")
    priority = Varchar(length=10, help_text="high, medium or low (needs.rules.NeedPriority)")
    created_at = Timestamptz()
    created_by_username = Varchar(length=80)
    updated_at = Timestamptz()


class NeedCluster(Table):
    """A cluster the need concerns (of the need's PCPG)."""

    need = ForeignKey(references=Need, on_delete=OnDelete.cascade, null=False)
    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.restrict, null=False)


class NeedPlanPriority(Table):
    """A plan priority answering the need (many to many: a priority may answer several needs)."""

    need = ForeignKey(references=Need, on_delete=OnDelete.cascade, null=False)
    plan_priority = ForeignKey(references=PlanPriority, on_delete=OnDelete.cascade, null=False)


class Engagement(Table):
    """Public and patient engagement about exactly one need, plan priority or specification of the PCPG:
    who was reached (counts and groups only, never people), what they said, and what changed ("you said, we did")."""

    pcpg = ForeignKey(references=Pcpg, on_delete=OnDelete.restrict, null=False, help_text="The PCPG of its subject")
    need = ForeignKey(references=Need, on_delete=OnDelete.restrict, null=True, default=None)
    plan_priority = ForeignKey(references=PlanPriority, on_delete=OnDelete.restrict, null=True, default=None)
    specification = ForeignKey(references=Specification, on_delete=OnDelete.restrict, null=True, default=None)
    kind = Varchar(length=30, help_text="needs.rules.EngagementKind")
    held_on = Date()
    people_reached = Integer(help_text="How many people took part")
    groups_reached = Text(default="", help_text="Which groups, in words")
    groups_reached_cy = Text(default="")
    what_they_said = Text()
    what_they_said_cy = Text(default="")
    what_changed = Text(help_text="What changed because of it: 'you said, we did'")
    what_changed_cy = Text(default="")
    created_at = Timestamptz()
    created_by_username = Varchar(length=80)
    updated_at = Timestamptz()
