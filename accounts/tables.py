"""Users and their sign-in state. One role per user; its scope (PCPGs, a delivery vehicle, a health board) is data."""

from piccolo.columns import Boolean, ForeignKey, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from organisations.tables import DeliveryVehicle, HealthBoard, Pcpg


class User(Table, tablename="app_user"):
    username = Varchar(length=80, unique=True)
    full_name = Varchar(
        length=120, help_text="How the person is shown everywhere (panel, audit trail); the username only signs in"
    )
    email = Varchar(length=200, default="")
    password_hash = Varchar(length=200, secret=True)
    role = Varchar(length=30, help_text="national_admin, commissioner, evaluator, provider or finance_director")
    language = Varchar(length=2, default="en", help_text="Preferred language for pages, notices and documents")
    delivery_vehicle = ForeignKey(
        references=DeliveryVehicle, on_delete=OnDelete.restrict, null=True, help_text="Scope of a provider user"
    )
    health_board = ForeignKey(
        references=HealthBoard, on_delete=OnDelete.restrict, null=True, help_text="Scope of a finance director"
    )
    active = Boolean(default=True)
    created_at = Timestamptz()


class SignInFailure(Table):
    """One failed (or still unchecked) sign-in, counted twice: against the username typed and against the client
    address it came from (accounts.rules, "Sign-in throttling"). Only digests are kept: a username field often holds a
    mistyped password, and addresses are personal data. Rows older than a day are swept."""

    key_hash = Varchar(length=64, index=True, help_text="SHA-256 of 'username:<as typed>' or 'address:<client>'")
    failed_at = Timestamptz(help_text="On the app's clock (the training clock where it can move)")


class UserPcpg(Table):
    """The PCPGs a commissioner acts for."""

    user = ForeignKey(references=User, on_delete=OnDelete.restrict, null=False)
    pcpg = ForeignKey(references=Pcpg, on_delete=OnDelete.restrict, null=False)


class WebSession(Table):
    """Server-side session for the pages: the cookie holds a random id, the row holds who signed in."""

    key_hash = Varchar(length=64, unique=True, help_text="SHA-256 of the cookie value")
    user = ForeignKey(references=User, on_delete=OnDelete.restrict, null=False)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    last_used_at = Timestamptz(
        null=True, default=None, help_text="When it last signed a request in, to the minute; empty: not since created"
    )


class ApiToken(Table):
    """A bearer token for the JSON API: the caller holds the token, the row holds who it signs in."""

    token_hash = Varchar(length=64, unique=True, help_text="SHA-256 of the bearer token")
    user = ForeignKey(references=User, on_delete=OnDelete.restrict, null=False)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    last_used_at = Timestamptz(
        null=True, default=None, help_text="When it last signed a request in, to the minute; empty: not since created"
    )


class PasswordLink(Table):
    """A one-time link to set a password, given by a national administrator to a new user or one who forgot theirs.
    Only its digest is kept; it works once, until it expires."""

    token_hash = Varchar(length=64, unique=True, help_text="SHA-256 of the token in the link")
    user = ForeignKey(references=User, on_delete=OnDelete.restrict, null=False)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None, help_text="When the password was set with it; empty while unused")
