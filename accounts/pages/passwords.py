"""Pages: setting a password with a one-time link (no sign-in: the link is the proof)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts import queries, rules
from accounts.schemas import PasswordIn
from accounts.services import passwords
from core.clock import Clock
from core.errors import NotFound
from core.i18n import N_, gettext
from web.forms import error_summary, read_form
from web.templating import page, with_flash

MESSAGES = {"password": N_("Enter a new password"), "confirmation": N_("Enter the password again")}
# The token is in the address: no other site may see it, and no cache may keep the page.
PRIVATE = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


class PasswordPages(Controller):
    path = "/set-password"
    include_in_schema = False

    def _form(
        self, request: Request, token: str, name: str, errors: dict[str, str], status_code: int = 200
    ) -> Template:
        response = page(
            request,
            "accounts/set_password.html",
            {
                "title": gettext("Set your password"),
                "token": token,
                "name": name,
                "min_length": rules.MIN_PASSWORD_LENGTH,
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=status_code,
        )
        response.headers.update(PRIVATE)
        return response

    @get("/{token:str}")
    async def form(self, request: Request, token: str) -> Template:
        link = await queries.usable_password_link(token)
        if link is None:
            raise NotFound(passwords.EXPIRED)
        return self._form(request, token, link.owner.name, {})

    @post("/{token:str}")
    async def set_password(self, request: Request, clock: NamedDependency[Clock], token: str) -> Response[Any]:
        posted = await request.form()
        # Passwords exactly as typed (the form kit trims answers; a password's spaces are part of it).
        form = await read_form(
            request,
            PasswordIn,
            messages=MESSAGES,
            fixed={
                "token": token,
                "password": str(posted.get("password", "")),
                "confirmation": str(posted.get("confirmation", "")),
            },
        )
        owner = await form.run(
            lambda data: passwords.set_password_with_link(
                token=data.token, password=data.password, confirmation=data.confirmation, now=clock.now()
            ),
            default_field="password",
        )
        if owner is not None:
            return with_flash(Redirect(path="/sign-in"), "password_set")
        link = await queries.usable_password_link(token)
        if link is None:
            raise NotFound(passwords.EXPIRED)
        return self._form(request, token, link.owner.name, form.errors, status_code=400)
