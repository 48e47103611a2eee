"""Pages: national administrators manage users: the list, add a user, change a scope, deactivate (checked first),
and a one-time password link, shown to the administrator once."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts import queries, rules
from accounts.actor import Actor, Role
from accounts.guards import requires_role
from accounts.pages.account import ended_current, sign_in_rows, signed_out
from accounts.schemas import UserIn, UserOut, UserScopeIn
from accounts.services import passwords, sign_ins, users
from core.clock import Clock
from core.errors import NotFound
from core.i18n import N_, gettext
from organisations import queries as org_queries
from web.forms import Confirmation, error_summary, read_form
from web.templating import form_page_offset, page, paging, with_flash

PAGE_SIZE = 50
LINK_COOKIE = "cdv_password_link"
LINK_SHOWN_FOR_SECONDS = 300  # the redirect after issuing it; the page then shows it once and forgets it

MESSAGES = {
    "full_name": N_("Enter the person's full name"),
    "username": N_("Enter a username of 2 to 80 letters, digits, dots, hyphens, underscores or @"),
    "email": N_("Enter an email address of 200 characters or fewer"),
    "role": N_("Choose a role"),
    "language": N_("Choose English or Welsh"),
    "pcpg_ids": N_("Choose PCPGs from the list"),
    "health_board_id": N_("Choose a health board from the list"),
    "delivery_vehicle_id": N_("Choose a delivery vehicle from the list"),
}


async def _choices() -> dict[str, Any]:
    """Everything a scope can name, for the forms' checkboxes and lists (reference data is cached)."""
    return {
        "pcpgs": (await org_queries.list_pcpgs(limit=200)).items,
        "health_boards": (await org_queries.list_health_boards(limit=200)).items,
    }


async def _vehicles(actor: Actor) -> list[Any]:
    return (await org_queries.list_delivery_vehicles(actor=actor, limit=200)).items


def _roles() -> list[dict[str, str]]:
    return [{"value": role.value, "label": gettext(rules.ROLE_LABELS[role])} for role in Role]


def _scope_values(user: UserOut) -> dict[str, Any]:
    return {
        "pcpg_ids": [str(p.id) for p in user.pcpgs],
        "health_board_id": str(user.health_board.id) if user.health_board else "",
        "delivery_vehicle_id": str(user.delivery_vehicle.id) if user.delivery_vehicle else "",
    }


def _user_page(user_id: int, flash: str) -> Redirect:
    return with_flash(Redirect(path=f"/admin/users/{user_id}"), flash)


def _with_link(response: Redirect, request: Request, user_id: int, token: str) -> Redirect:
    """Carry the new link to the user's page, which shows it once (only its digest is stored, so it is now or never).
    The cookie goes to that page only, for a few minutes, out of reach of scripts."""
    response.set_cookie(
        LINK_COOKIE,
        token,
        path=f"/admin/users/{user_id}",
        max_age=LINK_SHOWN_FOR_SECONDS,
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.secure_cookies,
    )
    return response


class UserPages(Controller):
    path = "/admin/users"
    include_in_schema = False
    guards = [requires_role(Role.NATIONAL_ADMIN)]

    @get("/")
    async def list_users(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        role: str | None = None,
        status: str | None = None,
        offset: str | None = None,
    ) -> Template:
        """Filters work with any choice, "All" (an empty value) included."""
        chosen_role = Role(role) if role in set(Role) else None
        chosen_status = rules.UserStatus(status) if status in set(rules.UserStatus) else None
        result = await queries.list_users(
            actor=actor, role=chosen_role, status=chosen_status, limit=PAGE_SIZE, offset=form_page_offset(offset)
        )
        return page(
            request,
            "accounts/users.html",
            {
                "title": gettext("Users"),
                "users": result.items,
                "paging": paging(result, request),
                "roles": _roles(),
                "statuses": [{"value": s.value, "label": gettext(s.label)} for s in rules.UserStatus],
                "role": chosen_role.value if chosen_role else "",
                "status": chosen_status.value if chosen_status else "",
                "filtered": chosen_role is not None or chosen_status is not None,
            },
        )

    async def _new_page(
        self, request: Request, actor: Actor, values: dict[str, Any], errors: dict[str, str], status_code: int = 200
    ) -> Template:
        return page(
            request,
            "accounts/user_form.html",
            {
                "title": gettext("Add a user"),
                "values": values,
                "errors": errors,
                "error_list": error_summary(errors),
                "roles": _roles(),
                "scope_fields": list(dict.fromkeys(rules.SCOPE_FIELD.values())),
                "show_role_hints": True,
                "vehicles": await _vehicles(actor),
                **await _choices(),
            },
            status_code=status_code,
        )

    @get("/new")
    async def new_form(self, request: Request, actor: NamedDependency[Actor]) -> Template:
        return await self._new_page(request, actor, {"language": "en", "pcpg_ids": []}, {})

    @post("/new")
    async def add(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        form = await read_form(request, UserIn, messages=MESSAGES, lists=("pcpg_ids",))
        added = await form.run(
            lambda data: users.add_user(actor=actor, data=data, now=clock.now()), default_field="full_name"
        )
        if added is not None:
            user_id, token, _ = added
            return _with_link(_user_page(user_id, "user_added"), request, user_id, token)
        return await self._new_page(request, actor, form.values, form.errors, status_code=400)

    @get("/{user_id:int}")
    async def detail(self, request: Request, actor: NamedDependency[Actor], user_id: int) -> Template:
        user = await queries.get_user(actor=actor, user_id=user_id)
        items = await queries.list_sign_ins(actor=actor, user_id=user_id, current=request.scope["state"].get("sign_in"))
        token = request.cookies.get(LINK_COOKIE)
        link = await queries.usable_password_link(token) if token else None
        shown = link is not None and link.owner.user_id == user_id
        response = page(
            request,
            "accounts/user.html",
            {
                "title": user.full_name,
                "user": user,
                "language_label": "Cymraeg" if user.language == "cy" else "English",
                "link_url": f"{str(request.base_url).rstrip('/')}/set-password/{token}" if shown else None,
                "link_expires_at": link.expires_at if shown and link else None,
                "sign_in_rows": sign_in_rows(items, f"/admin/users/{user_id}/sign-ins"),
            },
        )
        if token:
            response.delete_cookie(LINK_COOKIE, path=f"/admin/users/{user_id}")
        response.headers["Cache-Control"] = "no-store"  # the link must not be kept in any cache
        return response

    async def _scope_page(
        self,
        request: Request,
        actor: Actor,
        user: UserOut,
        values: dict[str, Any],
        errors: dict[str, str],
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "accounts/user_scope.html",
            {
                "title": gettext("Change where %(name)s acts", name=user.full_name),
                "user": user,
                "values": values,
                "errors": errors,
                "error_list": error_summary(errors),
                "vehicles": await _vehicles(actor) if user.role is Role.PROVIDER else [],
                **await _choices(),
            },
            status_code=status_code,
        )

    @get("/{user_id:int}/scope")
    async def scope_form(self, request: Request, actor: NamedDependency[Actor], user_id: int) -> Template:
        user = await queries.get_user(actor=actor, user_id=user_id)
        if not user.can_change_scope:
            raise NotFound("No such user")
        return await self._scope_page(request, actor, user, _scope_values(user), {})

    @post("/{user_id:int}/scope")
    async def change_scope(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], user_id: int
    ) -> Response[Any]:
        user = await queries.get_user(actor=actor, user_id=user_id)
        form = await read_form(request, UserScopeIn, messages=MESSAGES, lists=("pcpg_ids",))
        await form.run(
            lambda data: users.change_user_scope(actor=actor, user_id=user_id, data=data, now=clock.now()),
            default_field=rules.SCOPE_FIELD.get(user.role, "pcpg_ids"),
        )
        if form.ok:
            return _user_page(user_id, "user_scope_changed")
        return await self._scope_page(request, actor, user, form.values, form.errors, status_code=400)

    async def _deactivate_page(
        self, request: Request, actor: Actor, user_id: int, errors: dict[str, str], status_code: int = 200
    ) -> Template:
        user = await queries.get_user(actor=actor, user_id=user_id)
        return page(
            request,
            "accounts/deactivate_user.html",
            {
                "title": gettext("Check before you deactivate %(name)s", name=user.full_name),
                "user": user,
                "errors": errors,
                "error_list": error_summary(errors),
            },
            status_code=status_code,
        )

    @get("/{user_id:int}/deactivate")
    async def check_deactivation(self, request: Request, actor: NamedDependency[Actor], user_id: int) -> Template:
        """Check your answers: who, what they lose, then the one button (NHS.UK pattern)."""
        return await self._deactivate_page(request, actor, user_id, {})

    @post("/{user_id:int}/deactivate")
    async def deactivate(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], user_id: int
    ) -> Response[Any]:
        form = await read_form(request, Confirmation)
        await form.run(
            lambda _: users.deactivate_user(actor=actor, user_id=user_id, now=clock.now()),
            default_field="deactivate",
        )
        if form.ok:
            return _user_page(user_id, "user_deactivated")
        return await self._deactivate_page(request, actor, user_id, form.errors, status_code=409)

    @post("/{user_id:int}/password-link")
    async def password_link(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], user_id: int
    ) -> Redirect:
        token, _ = await passwords.issue_password_link(actor=actor, user_id=user_id, now=clock.now())
        return _with_link(_user_page(user_id, "password_link_issued"), request, user_id, token)

    @post("/{user_id:int}/sign-ins/{kind:str}/{sign_in_id:int}/revoke")
    async def end_sign_in(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        user_id: int,
        kind: rules.SignInKind,
        sign_in_id: int,
    ) -> Redirect:
        await sign_ins.end_sign_in(actor=actor, user_id=user_id, kind=kind, sign_in_id=sign_in_id, now=clock.now())
        if ended_current(request, kind, sign_in_id):
            return signed_out(request, "signed_out")
        return _user_page(user_id, "sign_in_ended")

    @post("/{user_id:int}/sign-out-everywhere")
    async def sign_out_everywhere(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], user_id: int
    ) -> Redirect:
        await sign_ins.sign_out_everywhere(actor=actor, user_id=user_id, now=clock.now())
        if actor.user_id == user_id:
            return signed_out(request, "signed_out_everywhere")
        return _user_page(user_id, "user_signed_out_everywhere")
