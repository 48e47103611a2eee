"""JSON API: bearer tokens and who am I."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException
from litestar.params import Body

from accounts import services
from accounts.actor import Actor
from accounts.guards import signed_in
from accounts.schemas import MeOut, TokenIn, TokenOut
from core.clock import Clock
from core.errors import DomainError


class SignInProblem(DomainError):
    status_code = 401


class AuthController(Controller):
    path = "/api/v1"
    tags = ["Accounts"]

    @post(
        "/auth/token",
        status_code=201,
        raises=[NotAuthorizedException],
        summary="Exchange a username and password for a bearer token",
    )
    async def create_token(self, data: Annotated[TokenIn, Body()], clock: NamedDependency[Clock]) -> TokenOut:
        try:
            token, expires_at = await services.issue_token(
                username=data.username, password=data.password, now=clock.now()
            )
        except services.SignInRefused as refused:
            raise SignInProblem(refused.message, **refused.params) from refused
        return TokenOut(access_token=token, token_type="bearer", expires_at=expires_at)

    @get("/me", guards=[signed_in], summary="The signed-in user, role and scope")
    async def me(self, actor: NamedDependency[Actor]) -> MeOut:
        assert actor.user_id is not None
        return MeOut(
            id=actor.user_id,
            username=actor.username,
            role=str(actor.role),
            language=actor.language,
            pcpg_ids=list(actor.pcpg_ids),
            delivery_vehicle_id=actor.delivery_vehicle_id,
            health_board_id=actor.health_board_id,
        )
