"""Pages: the signed-in user's own account: where they are signed in (browsers and API tokens), ending any of them
or all at once ("sign out everywhere"), and the language they read the service in, chosen by a form post."""

from __future__ import annotations

from typing import Any, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts import queries, rules
from accounts.actor import Actor
from accounts.guards import signed_in
from accounts.pages.sign_in import _safe_next, keep_language
from accounts.schemas import SignInSummary
from accounts.services import sign_ins, users
from core.clock import Clock
from core.i18n import N_, gettext
from web.cookies import SESSION_COOKIE
from web.errors import error_page
from web.forms import read_form
from web.templating import page, with_flash

OWN_SIGN_INS = "/account/sign-ins"
END_SESSION = N_("Sign out")
END_TOKEN = N_("Revoke")


class LanguageIn(msgspec.Struct, forbid_unknown_fields=True):
    """The header's "Cymraeg / English" button: the language to keep, and the page to go back to."""

    language: Literal["en", "cy"]
    next: str = ""


def sign_in_rows(items: list[SignInSummary], action_prefix: str) -> list[dict[str, Any]]:
    """Each sign-in with the form that ends it and the words of its button (decided here, rendered as given)."""
    return [
        {
            "item": item,
            "action": f"{action_prefix}/{item.kind.value}/{item.id}/revoke",
            "button": gettext(END_SESSION if item.kind is rules.SignInKind.SESSION else END_TOKEN),
        }
        for item in items
    ]


def signed_out(request: Request, flash: str) -> Redirect:
    """This browser's own session has ended: forget its cookie and keep the language being read."""
    response = Redirect(path="/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    keep_language(response, request, request.scope["state"].get("language", "en"))
    return with_flash(response, flash)


def ended_current(request: Request, kind: rules.SignInKind, sign_in_id: int) -> bool:
    return request.scope["state"].get("sign_in") == (kind, sign_in_id)


class AccountPages(Controller):
    path = "/"
    include_in_schema = False
    guards = [signed_in]

    @get(OWN_SIGN_INS)
    async def own_sign_ins(self, request: Request, actor: NamedDependency[Actor]) -> Template:
        assert actor.user_id is not None
        items = await queries.list_sign_ins(
            actor=actor, user_id=actor.user_id, current=request.scope["state"].get("sign_in")
        )
        return page(
            request,
            "accounts/sign_ins.html",
            {
                "title": gettext("Your sign-ins"),
                "rows": sign_in_rows(items, OWN_SIGN_INS),
                "idle_minutes": int(rules.IDLE_LIMIT.total_seconds() // 60),
            },
        )

    @post(OWN_SIGN_INS + "/{kind:str}/{sign_in_id:int}/revoke")
    async def end_own_sign_in(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        kind: rules.SignInKind,
        sign_in_id: int,
    ) -> Redirect:
        assert actor.user_id is not None
        await sign_ins.end_sign_in(
            actor=actor, user_id=actor.user_id, kind=kind, sign_in_id=sign_in_id, now=clock.now()
        )
        if ended_current(request, kind, sign_in_id):
            return signed_out(request, "signed_out")
        return with_flash(Redirect(path=OWN_SIGN_INS), "sign_in_ended")

    @post("/sign-out/everywhere")
    async def sign_out_everywhere(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Redirect:
        """Every browser and API token of the user stops working, this browser included."""
        assert actor.user_id is not None
        await sign_ins.sign_out_everywhere(actor=actor, user_id=actor.user_id, now=clock.now())
        return signed_out(request, "signed_out_everywhere")

    @post("/account/language")
    async def choose_language(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        """Kept for the user (notices and documents follow it too) and for this visit; a GET never changes it."""
        form = await read_form(request, LanguageIn)
        if not form.ok or form.data is None:
            return error_page(request, 400)
        await users.set_language(actor=actor, language=form.data.language, now=clock.now())
        response = Redirect(path=_safe_next(form.data.next))
        keep_language(response, request, form.data.language)
        return response
