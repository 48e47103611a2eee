"""What accounts adds to the site: sign-in pages and tokens, user management, the dashboard link, role names."""

from accounts.actor import Role
from accounts.controllers import AuthController, UserController
from accounts.pages.account import AccountPages
from accounts.pages.passwords import PasswordPages
from accounts.pages.sign_in import SignInPages
from accounts.pages.users import UserPages
from accounts.rules import ROLE_LABELS
from core.i18n import N_
from web.contributions import EVERY_ROLE, DomainSite, NavigationEntry, audience

DOMAIN = DomainSite(
    name="accounts",
    route_handlers=(SignInPages, AccountPages, UserPages, PasswordPages, AuthController, UserController),
    navigation=(
        NavigationEntry(href="/dashboard", text=N_("Dashboard"), order=10, audience=EVERY_ROLE),
        NavigationEntry(href="/admin/users", text=N_("Users"), order=92, audience=audience(Role.NATIONAL_ADMIN)),
    ),
    flash_messages={
        "signed_in": N_("You are signed in"),
        "signed_out": N_("You have signed out"),
        "user_added": N_("The user is added. Give them the link below so they can set their password"),
        "user_scope_changed": N_("The user's scope is changed. It applies from their next page"),
        "user_deactivated": N_("The account is deactivated. The user is signed out and cannot sign in again"),
        "password_link_issued": N_("A new password link is ready. Give it to the user: earlier links no longer work"),
        "password_set": N_("Your password is set. Sign in with it"),
        "sign_in_ended": N_("That sign-in has ended. It no longer works"),
        "signed_out_everywhere": N_(
            "You have signed out everywhere. Every browser and API token of yours has stopped working"
        ),
        "user_signed_out_everywhere": N_(
            "The user is signed out everywhere. Every browser and API token of theirs has stopped working"
        ),
    },
    labels={role.value: label for role, label in ROLE_LABELS.items()},
)
