"""A notice to one user, written in that user's language when it is made (Welsh Language Standards); it is also the
email outbox (notifications/outbox.py)."""

from piccolo.columns import JSON, ForeignKey, Integer, Text, Timestamptz, Varchar
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
    emailed_at = Timestamptz(null=True, default=None, help_text="When the mail server took the email: sent")
    attempts = Integer(default=0, help_text="How many times a worker has claimed it to send (a crash counts too)")
    next_attempt_at = Timestamptz(
        null=True,
        default=None,
        help_text="When a worker may next try to email it; empty: not to be emailed (no address, or held after "
        "too many failures for an operator to look at)",
    )
    claimed_until = Timestamptz(
        null=True, default=None, help_text="A worker's lease while it sends; once past, another worker may claim it"
    )
    last_error = Varchar(length=300, default="", help_text="Why the last attempt failed, in short (no secrets)")
