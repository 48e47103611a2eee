"""Pages: the audit trail, newest first, scoped like the API, with its filters and its CSV download."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Stream, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from audit import queries, rules
from audit.download import csv_download
from audit.schemas import AuditFilterIn
from core.clock import Clock
from core.errors import RuleBroken
from core.i18n import N_, current_language, gettext
from web.forms import Form, error_summary, parse_form
from web.templating import form_page_offset, page, paging, with_query

FIELDS = ("action", "person", "record_type", "record", "sign_ins")
DAYS = {"from_on": "from", "to_on": "to"}  # each UK day is typed as an NHS.UK date input: from-day, from-month, ...
IDS = {field: f"{prefix}-day" for field, prefix in DAYS.items()}
ENTER_A_REAL_DAY = N_("Enter a real date, like 1 4 2027")
MESSAGES = {
    "from_on": ENTER_A_REAL_DAY,
    "to_on": ENTER_A_REAL_DAY,
    "action": N_("Choose a kind of event from the list"),
    "person": N_("Choose a person from the list"),
    "record_type": N_("Choose a kind of record from the list"),
    "record": N_("Enter 120 characters or fewer"),
}


def read_filters(query: Mapping[str, Any]) -> tuple[Form[AuditFilterIn], dict[str, str]]:
    """The filter form's query, as the Struct the API takes (through the form kit), and the answers as typed. A
    filter that cannot be read is shown as an error and left out; the others still apply."""
    raw: dict[str, Any] = {name: str(query[name]) for name in FIELDS if query.get(name)}
    typed = dict(raw)
    unreadable = []
    for field, prefix in DAYS.items():
        parts = {part: str(query.get(f"{prefix}-{part}", "")).strip() for part in ("day", "month", "year")}
        typed |= {f"{prefix}-{part}": text for part, text in parts.items()}
        try:
            day = rules.typed_day(parts["day"], parts["month"], parts["year"])
        except ValueError:
            unreadable.append(field)
            continue
        if day is not None:
            raw[field] = day.isoformat()
    form = parse_form(raw, AuditFilterIn, messages=MESSAGES, ids=IDS)
    if form.errors:
        refused = set(form.errors)
        kept = parse_form({k: v for k, v in raw.items() if IDS.get(k, k) not in refused}, AuditFilterIn, ids=IDS)
        kept.errors = form.errors
        form = kept
    for field in unreadable:
        form.add_error(field, gettext(ENTER_A_REAL_DAY))
    data = form.data or AuditFilterIn()
    problem = rules.date_range_problem(data.from_on, data.to_on)
    if problem:
        form.add_error("to_on", gettext(problem))
        form.data = msgspec.structs.replace(data, to_on=None)
    return form, typed


class AuditPages(Controller):
    path = "/audit"
    include_in_schema = False
    guards = [requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER)]

    @get("/")
    async def events(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        clock: NamedDependency[Clock],
        offset: str | None = None,
    ) -> Template:
        form, typed = read_filters(request.query_params)
        filters = form.data or AuditFilterIn()
        now = clock.now()
        result = await queries.list_audit_events(
            actor=actor, filters=filters, limit=50, offset=form_page_offset(offset), now=now
        )
        chain = await queries.chain_report(now) if rules.can_verify_chain(actor.role) else None
        kept = {key: value for key, value in request.query_params.items() if key not in ("lang", "offset")}
        return page(
            request,
            "audit/events.html",
            {
                "title": gettext("Audit trail"),
                "events": result.items,
                "paging": paging(result, request),
                "values": typed,
                "sign_ins": filters.sign_ins,
                "choices": await queries.audit_filter_choices(actor=actor, filters=filters, now=now),
                "errors": form.errors,
                "error_list": error_summary(form.errors),
                "csv_href": with_query("/audit/events.csv", kept),
                "chain": chain,
            },
        )

    @get("/events.csv")
    async def download(self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]) -> Stream:
        """The events the page's filters show, every page of them, as CSV in the reader's language."""
        form, _ = read_filters(request.query_params)
        if form.errors:
            field, message = next(iter(form.errors.items()))
            raise RuleBroken(message, field=field)
        return csv_download(
            await queries.audit_events_csv(
                actor=actor, filters=form.data or AuditFilterIn(), now=clock.now(), language=current_language.get()
            ),
            clock.now(),
        )
