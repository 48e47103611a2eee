"""Pages of the national maturity matrix: its domains with their level descriptors, and the form a national
administrator rewords one with."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.controllers.ids import ids_in_range
from core.clock import Clock
from core.i18n import N_, gettext
from maturity.queries import matrix as queries
from maturity.rules import LEVELS
from maturity.schemas import MaturityDomainIn, MaturityDomainOut
from maturity.services import matrix
from web.forms import Form, KeyedRows, read_form
from web.templating import page, with_flash

NATIONAL_ADMIN = requires_role(Role.NATIONAL_ADMIN)
LEVEL_MESSAGES = {
    "name": matrix.FIELD_WORDS["name"],
    "name_cy": matrix.FIELD_WORDS["name_cy"],
    "levels.descriptor": N_("Describe level %(level)s in English"),
    "levels.descriptor_cy": N_("Describe level %(level)s in Welsh"),
}


def _values(domain: MaturityDomainOut) -> dict[str, Any]:
    """The form's answers as first shown, by input: names, and each level's descriptors under `levels`."""
    return {
        "name": domain.name,
        "name_cy": domain.name_cy,
        "levels": {
            level.level: {"descriptor": level.descriptor, "descriptor_cy": level.descriptor_cy}
            for level in domain.levels
        },
    }


class MaturityMatrixPages(Controller):
    path = "/maturity/matrix"
    include_in_schema = False
    before_request = ids_in_range
    guards = [NATIONAL_ADMIN]

    @get("/")
    async def matrix(self, request: Request) -> Template:
        return page(
            request,
            "maturity/matrix.html",
            {"title": gettext("Maturity matrix"), "domains": await queries.list_domains()},
        )

    async def _form(
        self, request: Request, domain: MaturityDomainOut, form: Form[MaturityDomainIn] | None = None
    ) -> Template:
        shown: dict[str, Any] = (
            form.context() if form is not None else {"values": _values(domain), "errors": {}, "error_list": []}
        )
        return page(
            request,
            "maturity/domain_form.html",
            {
                "title": gettext("Change %(domain)s", domain=domain.name_shown),
                "domain": domain,
                **shown,
            },
            status_code=200 if form is None else 400,
        )

    @get("/{domain_id:int}")
    async def edit(self, request: Request, domain_id: int) -> Template:
        return await self._form(request, await queries.get_domain(domain_id))

    @post("/{domain_id:int}")
    async def save(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], domain_id: int
    ) -> Response[Any]:
        domain = await queries.get_domain(domain_id)
        # The page shows every name and descriptor, so it asks for all of them (the API may change one at a time).
        form = await read_form(
            request,
            MaturityDomainIn,
            messages=LEVEL_MESSAGES,
            required=("name", "name_cy", "levels.descriptor", "levels.descriptor_cy"),
            keyed_rows={
                "levels": KeyedRows(
                    "level",
                    list(LEVELS),
                    field="level",
                    names={"descriptor": "level_{key}", "descriptor_cy": "level_{key}_cy"},
                )
            },
        )
        await form.run(
            lambda data: matrix.change_domain(actor=actor, domain_id=domain_id, data=data, now=clock.now()),
            default_field="name",
        )
        if form.ok:
            return with_flash(Redirect(path="/maturity/matrix"), "maturity_domain_changed")
        return await self._form(request, domain, form)
