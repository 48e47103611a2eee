"""JSON API: the audit trail (national admins; commissioners for their PCPGs), filtered like the page, and as CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter
from litestar.response import Stream

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from audit import queries
from audit.download import csv_download
from audit.schemas import PERSON_PATTERN, AuditEventOut, AuditFilterIn, ChainReport
from core.clock import Clock
from core.pagination import DEFAULT_LIMIT, Page
from web.params import NO_NUL, Limit, Offset

READERS = requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER)
ACTION_PATTERN = r"^(other|[a-z_]+\.[a-z_]+)$"  # `bid.submitted`
RECORD_TYPE_PATTERN = r"^(other|[A-Za-z_]+)$"  # `Bid`, `BudgetLine`


async def audit_filters(
    from_on: Annotated[date | None, QueryParameter(name="from_on", description="The first UK day shown")] = None,
    to_on: Annotated[date | None, QueryParameter(name="to_on", description="The last UK day shown")] = None,
    action: Annotated[
        str | None,
        QueryParameter(name="action", max_length=80, pattern=ACTION_PATTERN, description="A kind of event, or `other`"),
    ] = None,
    person: Annotated[
        str | None,
        QueryParameter(
            name="person", pattern=PERSON_PATTERN, description="Who acted: a user's id, `system` or `anonymous`"
        ),
    ] = None,
    record_type: Annotated[
        str | None,
        QueryParameter(
            name="record_type", max_length=60, pattern=RECORD_TYPE_PATTERN, description="A kind of record, or `other`"
        ),
    ] = None,
    record: Annotated[
        str | None,
        QueryParameter(
            name="record", max_length=120, pattern=NO_NUL, description="Part of a record's reference or name"
        ),
    ] = None,
    sign_ins: Annotated[
        bool, QueryParameter(name="sign_ins", description="Include signing in and out (left out otherwise)")
    ] = False,
) -> AuditFilterIn:
    return AuditFilterIn(
        from_on=from_on,
        to_on=to_on,
        action=action,
        person=person,
        record_type=record_type,
        record=record,
        sign_ins=sign_ins,
    )


class AuditController(Controller):
    path = "/api/v1/audit"
    tags = ["Audit trail"]
    dependencies = {"filters": Provide(audit_filters)}

    @get(
        "/events",
        guards=[READERS],
        description="Newest first. An event carries no chain hash and no number, and sealed events (a bid's, until "
        "the bid deadline) are left out of the items, the total and the filters alike, so nothing read here shows "
        "that a sealed event exists; `GET /api/v1/audit/verify` says whether the chain holds.",
    )
    async def events(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        filters: NamedDependency[AuditFilterIn],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> Page[AuditEventOut]:
        """Each event also as words in the reader's language (`who`, `what`, `kind`, `record`)."""
        return await queries.list_audit_events(
            actor=actor, filters=filters, limit=limit, offset=offset, now=clock.now()
        )

    @get("/events.csv", guards=[READERS], summary="The filtered events as CSV", media_type="text/csv")
    async def events_csv(
        self,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        filters: NamedDependency[AuditFilterIn],
        language: NamedDependency[str],
    ) -> Stream:
        """When (UK time), who, what and the record, in words, newest first: every event the filters choose."""
        lines = await queries.audit_events_csv(actor=actor, filters=filters, now=clock.now(), language=language)
        return csv_download(lines, clock.now())

    @get(
        "/verify",
        guards=[requires_role(Role.NATIONAL_ADMIN)],
        summary="Check the hash chain end to end",
        description="Every event is checked, sealed ones too; the answer names no event by number and no sealed "
        "event at all. Which event is bad, and how, `cdv audit verify` tells whoever runs the service.",
    )
    async def verify(self, clock: NamedDependency[Clock]) -> ChainReport:
        """The events carry no hash (issue 11, item 2), so this is how a reader learns that the trail is whole."""
        return await queries.chain_report(clock.now())
