"""JSON API: contracts made before this service, brought in from the template filled in (issue 14, item 5)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from commissioning.services.bids import MAX_UPLOAD_BODY_BYTES
from contracts.schemas.legacy import LegacyFileIn, LegacyImportOut
from contracts.services import legacy
from core.clock import Clock

IMPORTERS = requires_role(Role.COMMISSIONER)


class LegacyImportController(Controller):
    path = "/api/v1/contracts/import"
    tags = ["Contracts"]
    guards = [IMPORTERS]

    @post(
        "/",
        status_code=200,
        summary="Bring in contracts made before this service from the template filled in (CSV or XLSX), all or nothing",
        description=(
            "With `dry_run=true`, says what the file would change (each row a new contract, a change to one brought "
            "in before, or unchanged) and changes nothing; without it, applies the whole file in one operation. A "
            "file with problems is refused whole (422, one error per problem, its `field` naming the cell as "
            "`file.D7`, or `file.KPIs!D7` on a workbook's KPI sheet, and its `row` and `column` given apart), as is "
            "a file that is not the template. Commissioners bring in their own PCPGs' contracts only; the delivery "
            "vehicle must be approved; values from the current financial year on are committed on the PCPG's budget "
            "line for the year and funding stream."
        ),
        request_max_body_size=MAX_UPLOAD_BODY_BYTES,
        upload_field="file",
    )
    async def import_contracts(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        data: Annotated[LegacyFileIn, Body(media_type=RequestEncodingType.MULTI_PART)],
        dry_run: Annotated[bool, QueryParameter(name="dry_run")] = False,
    ) -> LegacyImportOut:
        lines, problems = await legacy.read_file(await data.file.read())
        if dry_run:
            return await legacy.preview_contracts(actor=actor, lines=lines, now=clock.now(), problems=problems)
        return await legacy.import_contracts(actor=actor, lines=lines, now=clock.now(), problems=problems)
