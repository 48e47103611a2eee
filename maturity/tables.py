"""The maturity matrix for delivery vehicles, and each vehicle's yearly assessment against it (issue 15, item 4)."""

from piccolo.columns import Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from accounts.tables import User
from organisations.tables import DeliveryVehicle


class MaturityDomain(Table):
    """One row of the national matrix: a domain with a descriptor for each of levels 1 to 4, in both languages."""

    key = Varchar(length=40, unique=True, help_text="Stable name the seed data finds it by, e.g. governance")
    position = Integer(help_text="Where it comes in the matrix and on the chart")
    name = Varchar(length=120)
    name_cy = Varchar(length=120)
    level_1 = Text()
    level_1_cy = Text()
    level_2 = Text()
    level_2_cy = Text()
    level_3 = Text()
    level_3_cy = Text()
    level_4 = Text()
    level_4_cy = Text()


class MaturityAssessment(Table):
    """A delivery vehicle's assessment for one financial year: self-assessed, peer reviewed, confirmed."""

    delivery_vehicle = ForeignKey(references=DeliveryVehicle, on_delete=OnDelete.restrict, null=False)
    financial_year = Integer(help_text="Start year of the financial year it is for")
    status = Varchar(length=30, help_text="draft, submitted, under_peer_review, reviewed or confirmed")
    started_at = Timestamptz()
    started_by = ForeignKey(references=User, on_delete=OnDelete.restrict, null=True)
    submitted_at = Timestamptz(null=True, default=None)
    submitted_by = ForeignKey(references=User, on_delete=OnDelete.restrict, null=True)
    reviewer = ForeignKey(
        references=User, on_delete=OnDelete.restrict, null=True, help_text="The peer reviewer named now"
    )
    reviewer_named_at = Timestamptz(null=True, default=None)
    reviewer_named_by = ForeignKey(references=User, on_delete=OnDelete.restrict, null=True)
    reviewed_at = Timestamptz(null=True, default=None)
    confirmed_at = Timestamptz(null=True, default=None)
    confirmed_by = ForeignKey(references=User, on_delete=OnDelete.restrict, null=True)


class MaturityAnswer(Table):
    """One domain of one assessment: the vehicle's level and evidence, the reviewer's view, the confirmed level."""

    assessment = ForeignKey(references=MaturityAssessment, on_delete=OnDelete.cascade, null=False)
    domain = ForeignKey(references=MaturityDomain, on_delete=OnDelete.restrict, null=False)
    self_level = Integer(null=True, default=None)
    evidence = Text(default="")
    review_level = Integer(null=True, default=None)
    review_comment = Text(default="")
    confirmed_level = Integer(null=True, default=None)
    confirmation_reason = Text(default="", help_text="Why the commissioner differs from the reviewer, when they do")


class MaturityReviewDeclaration(Table):
    """A named peer reviewer's declaration of interests, made before they see the self-assessment."""

    assessment = ForeignKey(references=MaturityAssessment, on_delete=OnDelete.cascade, null=False)
    user = ForeignKey(references=User, on_delete=OnDelete.restrict, null=False)
    conflict = Boolean(default=False)
    statement = Text(default="")
    declared_at = Timestamptz()
