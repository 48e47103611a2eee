"""JSON API: bearer tokens and who am I; setting a password with a one-time link; users, managed by national
administrators (the same services as the pages)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, delete, get, post, put
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException, NotFoundException, TooManyRequestsException
from litestar.params import Body, QueryParameter

from accounts import queries, rules
from accounts.actor import Actor, Role
from accounts.guards import requires_role, signed_in
from accounts.schemas import (
    MeOut,
    PasswordIn,
    PasswordLinkOut,
    SignedOutEverywhereOut,
    SignInSummary,
    TokenIn,
    TokenOut,
    UserCreatedOut,
    UserIn,
    UserOut,
    UserScopeIn,
    UserSummary,
)
from accounts.services import passwords, sign_ins, users
from accounts.services import sign_in as services
from core.clock import Clock
from core.errors import DomainError
from core.pagination import DEFAULT_LIMIT, Page


class SignInProblem(DomainError):
    status_code = 401


class TooManySignIns(DomainError):
    """Too many failed sign-ins from this address or at this username (accounts.rules, sign-in throttling)."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: int, **params: Any) -> None:
        super().__init__(message, **params)
        self.headers = {"Retry-After": str(retry_after)}


def client_address(request: Request) -> str:
    """Who is asking, for sign-in throttling: the connection's address. Behind a reverse proxy, uvicorn (`cdv serve`)
    takes it from X-Forwarded-For only when the proxy is one of FORWARDED_ALLOW_IPS (127.0.0.1 unless set): set that
    to the proxy's address, or every user shares the proxy's address and its throttle."""
    return request.client.host if request.client else ""


def password_link_url(request: Request, token: str) -> str:
    """The address the user opens to set their password (on this site)."""
    return f"{str(request.base_url).rstrip('/')}/set-password/{token}"


class AuthController(Controller):
    path = "/api/v1"
    tags = ["Accounts"]

    @post(
        "/auth/token",
        status_code=201,
        raises=[NotAuthorizedException, TooManyRequestsException],
        summary="Exchange a username and password for a bearer token",
        description="After too many failed attempts at a username or from an address, attempts are answered 429, "
        "with Retry-After, without the password being checked, until the wait (at most an hour) ends.",
    )
    async def create_token(
        self, request: Request, data: Annotated[TokenIn, Body()], clock: NamedDependency[Clock]
    ) -> TokenOut:
        try:
            token, expires_at = await services.issue_token(
                username=data.username, password=data.password, now=clock.now(), client_address=client_address(request)
            )
        except services.SignInRefused as refused:
            if refused.retry_after is not None:
                raise TooManySignIns(refused.message, retry_after=refused.retry_after, **refused.params) from refused
            raise SignInProblem(refused.message, **refused.params) from refused
        return TokenOut(access_token=token, token_type="bearer", expires_at=expires_at)

    @post(
        "/auth/password",
        status_code=204,
        summary="Set a password with a one-time link's token (the link works once, for 24 hours)",
        raises=[NotFoundException],  # a token that names no live link: expired, used or never made
    )
    async def set_password(self, data: Annotated[PasswordIn, Body()], clock: NamedDependency[Clock]) -> None:
        await passwords.set_password_with_link(
            token=data.token, password=data.password, confirmation=data.confirmation, now=clock.now()
        )

    @get("/me", guards=[signed_in], summary="The signed-in user, role and scope")
    async def me(self, actor: NamedDependency[Actor]) -> MeOut:
        assert actor.user_id is not None
        return MeOut(
            id=actor.user_id,
            username=actor.username,
            full_name=actor.full_name,
            role=str(actor.role),
            language=actor.language,
            pcpg_ids=list(actor.pcpg_ids),
            delivery_vehicle_id=actor.delivery_vehicle_id,
            health_board_id=actor.health_board_id,
        )

    @get(
        "/me/sign-ins",
        guards=[signed_in],
        summary="Your live page sessions and API tokens (never the secrets); `current` marks this request's token",
    )
    async def my_sign_ins(self, request: Request, actor: NamedDependency[Actor]) -> list[SignInSummary]:
        assert actor.user_id is not None
        return await queries.list_sign_ins(
            actor=actor, user_id=actor.user_id, current=request.scope["state"]["sign_in"]
        )

    @delete(
        "/me/sign-ins/{kind:str}/{sign_in_id:int}",
        guards=[signed_in],
        status_code=204,
        summary="End one of your sessions or API tokens at once (this request's own token included)",
        raises=[NotFoundException],
    )
    async def revoke_my_sign_in(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], kind: rules.SignInKind, sign_in_id: int
    ) -> None:
        assert actor.user_id is not None
        await sign_ins.end_sign_in(
            actor=actor, user_id=actor.user_id, kind=kind, sign_in_id=sign_in_id, now=clock.now()
        )

    @delete(
        "/me/sign-ins",
        guards=[signed_in],
        status_code=200,
        summary="Sign out everywhere: every session and API token of yours stops working, this one included",
    )
    async def sign_out_everywhere(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> SignedOutEverywhereOut:
        assert actor.user_id is not None
        ended = await sign_ins.sign_out_everywhere(actor=actor, user_id=actor.user_id, now=clock.now())
        return SignedOutEverywhereOut(**ended)


def _link(request: Request, token: str, expires_at: datetime) -> PasswordLinkOut:
    return PasswordLinkOut(url=password_link_url(request, token), expires_at=expires_at)


class UserController(Controller):
    path = "/api/v1/admin/users"
    tags = ["Users"]
    guards = [requires_role(Role.NATIONAL_ADMIN)]

    @get("/", summary="Every user, by full name")
    async def list_users(
        self,
        actor: NamedDependency[Actor],
        role: Annotated[Role | None, QueryParameter(name="role")] = None,
        status: Annotated[rules.UserStatus | None, QueryParameter(name="status")] = None,
        limit: Annotated[int, QueryParameter(name="limit", ge=1, le=200)] = DEFAULT_LIMIT,
        offset: Annotated[int, QueryParameter(name="offset", ge=0, le=1_000_000_000)] = 0,
    ) -> Page[UserSummary]:
        return await queries.list_users(actor=actor, role=role, status=status, limit=limit, offset=offset)

    @post(
        "/",
        status_code=201,
        summary="Add a user with a role and scope; answers with a one-time link for them to set their password",
    )
    async def add(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        data: Annotated[UserIn, Body()],
    ) -> UserCreatedOut:
        user_id, token, expires_at = await users.add_user(actor=actor, data=data, now=clock.now())
        return UserCreatedOut(
            user=await queries.get_user(actor=actor, user_id=user_id),
            password_link=_link(request, token, expires_at),
        )

    @get("/{user_id:int}")
    async def get_user(self, actor: NamedDependency[Actor], user_id: int) -> UserOut:
        return await queries.get_user(actor=actor, user_id=user_id)

    @put("/{user_id:int}/scope", summary="Change where a commissioner, finance director or provider acts")
    async def change_scope(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        user_id: int,
        data: Annotated[UserScopeIn, Body()],
    ) -> UserOut:
        await users.change_user_scope(actor=actor, user_id=user_id, data=data, now=clock.now())
        return await queries.get_user(actor=actor, user_id=user_id)

    @post(
        "/{user_id:int}/deactivate",
        status_code=200,
        summary="Deactivate: no more sign-in; sessions and tokens stop working (not the last national administrator)",
    )
    async def deactivate(self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], user_id: int) -> UserOut:
        await users.deactivate_user(actor=actor, user_id=user_id, now=clock.now())
        return await queries.get_user(actor=actor, user_id=user_id)

    @post(
        "/{user_id:int}/password-link",
        status_code=201,
        summary="Reset a password: a one-time link for the user to set a new one (earlier links stop working); "
        "the user is signed out everywhere at once",
    )
    async def password_link(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], user_id: int
    ) -> PasswordLinkOut:
        token, expires_at = await passwords.issue_password_link(actor=actor, user_id=user_id, now=clock.now())
        return _link(request, token, expires_at)

    @get("/{user_id:int}/sign-ins", summary="A user's live page sessions and API tokens (never the secrets)")
    async def user_sign_ins(self, actor: NamedDependency[Actor], user_id: int) -> list[SignInSummary]:
        return await queries.list_sign_ins(actor=actor, user_id=user_id)

    @delete(
        "/{user_id:int}/sign-ins/{kind:str}/{sign_in_id:int}",
        status_code=204,
        summary="End one of a user's sessions or API tokens at once",
        raises=[NotFoundException],
    )
    async def revoke_sign_in(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        user_id: int,
        kind: rules.SignInKind,
        sign_in_id: int,
    ) -> None:
        await sign_ins.end_sign_in(actor=actor, user_id=user_id, kind=kind, sign_in_id=sign_in_id, now=clock.now())

    @delete(
        "/{user_id:int}/sign-ins",
        status_code=200,
        summary="Sign a user out everywhere: every session and API token of theirs stops working",
        raises=[NotFoundException],
    )
    async def sign_user_out_everywhere(
        self, actor: NamedDependency[Actor], clock: NamedDependency[Clock], user_id: int
    ) -> SignedOutEverywhereOut:
        return SignedOutEverywhereOut(
            **await sign_ins.sign_out_everywhere(actor=actor, user_id=user_id, now=clock.now())
        )
