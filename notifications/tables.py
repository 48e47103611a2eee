"""A notice to one user, written in that user's language when it is made (Welsh Language Standards)."""

from piccolo.columns import JSON, ForeignKey, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from accounts.tables import User


class Notification(Table):
    user = ForeignKey(references=User, on_delete=OnDelete.restrict, null=False)
    kind = Varchar(length=40, help_text="e.g. specification_published, bid_received, award_intention")
    subject = Varchar(length=300)
    body = Text()
    link = Varchar(length=300, default="")
    language = Varchar(length=2)
    params = JSON(default={}, help_text="The message's values, so the inbox can show it in the reader's language")
    dedupe_key = Varchar(length=200, unique=True, help_text="The same event never notifies the same user twice")
    created_at = Timestamptz()
    read_at = Timestamptz(null=True, default=None)
    emailed_at = Timestamptz(null=True, default=None)
