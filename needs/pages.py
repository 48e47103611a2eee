"""Pages: a PCPG's needs (list, record, change, the plan priorities answering one) and its engagement activities
(record and change, from the page of the need, plan priority or specification they are about)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from accounts.actor import Actor, Role
from accounts.guards import requires_role
from core.clock import Clock
from core.errors import NotFound
from core.i18n import N_, gettext, name_in_reading_language
from needs.queries import engagements as engagement_queries
from needs.queries import needs as need_queries
from needs.queries.scope import writes_pcpg
from needs.rules import Collaborative, EngagementKind, NeedPriority, NeedSource, Subject
from needs.schemas import (
    EngagementChangeIn,
    EngagementIn,
    EngagementOut,
    NeedChangeIn,
    NeedIn,
    NeedOut,
    NeedPrioritiesIn,
)
from needs.services import engagements, needs
from needs.services.engagements import subject_pcpg
from organisations import queries as org_queries
from web.forms import Form, error_summary, read_form
from web.templating import form_page_offset, page, paging, with_flash

READERS = requires_role(Role.NATIONAL_ADMIN, Role.COMMISSIONER, Role.FINANCE_DIRECTOR)
WRITERS = requires_role(Role.COMMISSIONER)

NEED_MESSAGES = {
    "pcpg_id": N_("Select a PCPG"),
    "title": N_("Enter the need's title in English"),
    "title_cy": N_("The Welsh title must be 200 characters or fewer"),
    "description": N_("Describe the need"),
    "source": N_("Select where the need comes from"),
    "cluster_ids": N_("Select the clusters concerned"),
    "priority": N_("Select the need's priority"),
    "pna_year": N_("Enter the year the Population Needs Assessment was published, like 2022"),
    "pna_link": N_("Enter a link starting with https://"),
    "collaborative": N_("Select the professional collaborative"),
    "population_affected": N_("Enter the number of people affected as a whole number, like 1200"),
}
ENGAGEMENT_MESSAGES = {
    "kind": N_("Select the kind of engagement"),
    "held_on": N_("Enter the date it was held, like 14 3 2027"),
    "people_reached": N_("Enter how many people took part, as a whole number"),
    "what_they_said": N_("Summarise what people said"),
    "what_changed": N_("Say what changed because of it"),
}
NEED_LISTS = ("cluster_ids",)
CLEARED = ("pna_year", "population_affected", "collaborative")


def _choice(kind: Any, value: str | None) -> Any:
    """A filter's choice, or none for a blank or unknown one (the list then shows every need)."""
    try:
        return kind(value) if value else None
    except ValueError:
        return None


def _options(kind: Any) -> list[dict[str, str]]:
    return [{"value": member.value, "text": gettext(member.label)} for member in kind]


def _need_values(need: NeedOut) -> dict[str, Any]:
    return {
        "title": need.title,
        "title_cy": need.title_cy,
        "description": need.description,
        "description_cy": need.description_cy,
        "source": need.source.value,
        "pna_title": need.pna_title,
        "pna_year": "" if need.pna_year is None else str(need.pna_year),
        "pna_section": need.pna_section,
        "pna_link": need.pna_link,
        "collaborative": need.collaborative.value if need.collaborative else "",
        "cluster_ids": [str(c.id) for c in need.clusters],
        "population_affected": "" if need.population_affected is None else str(need.population_affected),
        "evidence": need.evidence,
        "evidence_source": need.evidence_source,
        "priority": need.priority.value,
    }


class NeedPages(Controller):
    path = "/needs"
    include_in_schema = False

    @get("/", guards=[READERS])
    async def list_needs(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        priority: str | None = None,
        source: str | None = None,
        offset: str | None = None,
    ) -> Template:
        chosen_priority, chosen_source = _choice(NeedPriority, priority), _choice(NeedSource, source)
        result = await need_queries.list_needs(
            actor=actor, priority=chosen_priority, source=chosen_source, limit=25, offset=form_page_offset(offset)
        )
        return page(
            request,
            "needs/needs.html",
            {
                "title": gettext("Needs"),
                "needs": result.items,
                "paging": paging(result, request),
                "priorities": _options(NeedPriority),
                "sources": _options(NeedSource),
                "priority": chosen_priority.value if chosen_priority else "",
                "source": chosen_source.value if chosen_source else "",
                "filtered": bool(chosen_priority or chosen_source),
                "can_record": actor.role is Role.COMMISSIONER and bool(actor.pcpg_ids),
            },
        )

    async def _form(
        self,
        request: Request,
        actor: Actor,
        values: dict[str, Any],
        errors: dict[str, str],
        *,
        need: NeedOut | None = None,
        status_code: int = 200,
    ) -> Template:
        pcpg_ids = [need.pcpg_id] if need is not None else list(actor.pcpg_ids)
        clusters = [
            cluster
            for pcpg_id in pcpg_ids
            for cluster in (await org_queries.list_clusters(pcpg_id=pcpg_id, limit=200)).items
        ]
        return page(
            request,
            "needs/need_form.html",
            {
                "title": gettext("Change the need") if need else gettext("Record a need"),
                "need": need,
                "action": f"/needs/{need.id}/edit" if need else "/needs/new",
                "values": values,
                "errors": errors,
                "error_list": error_summary(errors),
                "pcpgs": [] if need or len(pcpg_ids) == 1 else [await org_queries.get_pcpg(p) for p in pcpg_ids],
                "clusters": clusters,
                "sources": _options(NeedSource),
                "collaboratives": _options(Collaborative),
                "priorities": _options(NeedPriority),
            },
            status_code=status_code,
        )

    @get("/new", guards=[WRITERS])
    async def new_need(self, request: Request, actor: NamedDependency[Actor]) -> Template:
        return await self._form(request, actor, {"cluster_ids": []}, {})

    @post("/new", guards=[WRITERS])
    async def record_need(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        form = await read_form(
            request,
            NeedIn,
            messages=NEED_MESSAGES,
            lists=NEED_LISTS,
            required=("cluster_ids",),
            clear=CLEARED,
            fixed={"pcpg_id": actor.pcpg_ids[0]} if len(actor.pcpg_ids) == 1 else None,
        )
        need = await form.run(
            lambda data: needs.record_need(actor=actor, data=data, now=clock.now()), default_field="title"
        )
        if need is not None:
            return with_flash(Redirect(path=f"/needs/{need.id}"), "need_recorded")
        return await self._form(request, actor, form.values, form.errors, status_code=400)

    async def _need_page(
        self, request: Request, actor: Actor, need: NeedOut, form: Form[Any] | None = None, status_code: int = 200
    ) -> Template:
        linked = {p.id for p in need.plan_priorities}
        errors = form.errors if form is not None else {}
        return page(
            request,
            "needs/need.html",
            {
                "title": name_in_reading_language(need.title, need.title_cy),
                "need": need,
                "choices": await need_queries.priority_choices(need.pcpg_id) if need.can_change else [],
                "chosen": [str(i) for i in (form.values.get("plan_priority_ids", []) if form else sorted(linked))],
                "errors": errors,
                "error_list": error_summary(errors),
                "engagements": await engagement_queries.about(Subject.NEED, need.id),
            },
            status_code=status_code,
        )

    @get("/{need_id:int}", guards=[READERS])
    async def need(self, request: Request, actor: NamedDependency[Actor], need_id: int) -> Template:
        return await self._need_page(request, actor, await need_queries.get_need(actor=actor, need_id=need_id))

    @post("/{need_id:int}/plan-priorities", guards=[WRITERS])
    async def link_priorities(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], need_id: int
    ) -> Response[Any]:
        need = await need_queries.get_need(actor=actor, need_id=need_id)
        if not need.can_change:
            raise NotFound("No such need")
        form = await read_form(request, NeedPrioritiesIn, lists=("plan_priority_ids",))
        done = await form.run(
            lambda data: needs.link_plan_priorities(actor=actor, need_id=need_id, data=data, now=clock.now()),
            default_field="plan_priority_ids",
        )
        if done is not None:
            return with_flash(Redirect(path=f"/needs/{need_id}"), "need_priorities_linked")
        return await self._need_page(request, actor, need, form, status_code=400)

    async def _own_need(self, actor: Actor, need_id: int) -> NeedOut:
        need = await need_queries.get_need(actor=actor, need_id=need_id)
        if not need.can_change:
            raise NotFound("No such need")
        return need

    @get("/{need_id:int}/edit", guards=[WRITERS])
    async def edit_need(self, request: Request, actor: NamedDependency[Actor], need_id: int) -> Template:
        need = await self._own_need(actor, need_id)
        return await self._form(request, actor, _need_values(need), {}, need=need)

    @post("/{need_id:int}/edit", guards=[WRITERS])
    async def change_need(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], need_id: int
    ) -> Response[Any]:
        need = await self._own_need(actor, need_id)
        form = await read_form(
            request,
            NeedChangeIn,
            messages=NEED_MESSAGES,
            lists=NEED_LISTS,
            required=("cluster_ids", "title", "description", "source", "priority"),
            clear=CLEARED,
        )
        done = await form.run(
            lambda data: needs.change_need(actor=actor, need_id=need_id, change=data, now=clock.now()),
            default_field="title",
        )
        if done is not None:
            return with_flash(Redirect(path=f"/needs/{need_id}"), "need_changed")
        return await self._form(request, actor, form.values, form.errors, need=need, status_code=400)


SUBJECT_FIELDS = {
    "need_id": Subject.NEED,
    "plan_priority_id": Subject.PLAN_PRIORITY,
    "specification_id": Subject.SPECIFICATION,
}


def _back(subject: Subject, subject_id: int) -> str:
    """The page of the thing an engagement is about, where its engagements are listed."""
    if subject is Subject.NEED:
        return f"/needs/{subject_id}"
    if subject is Subject.PLAN_PRIORITY:
        return "/plans"
    return f"/specifications/{subject_id}"


def _engagement_values(engagement: EngagementOut) -> dict[str, Any]:
    return {
        "kind": engagement.kind.value,
        "held_on-day": str(engagement.held_on.day),
        "held_on-month": str(engagement.held_on.month),
        "held_on-year": str(engagement.held_on.year),
        "people_reached": str(engagement.people_reached),
        "groups_reached": engagement.groups_reached,
        "groups_reached_cy": engagement.groups_reached_cy,
        "what_they_said": engagement.what_they_said,
        "what_they_said_cy": engagement.what_they_said_cy,
        "what_changed": engagement.what_changed,
        "what_changed_cy": engagement.what_changed_cy,
    }


class EngagementPages(Controller):
    path = "/engagement"
    include_in_schema = False
    guards = [WRITERS]

    async def _subject(self, actor: Actor, request: Request) -> tuple[Subject, int]:
        """The one thing named in the query (or the form), if the commissioner records engagement for its PCPG."""
        named = [
            (subject, value) for field, subject in SUBJECT_FIELDS.items() if (value := request.query_params.get(field))
        ]
        if len(named) != 1 or not named[0][1].isdigit() or not need_queries.is_possible_id(int(named[0][1])):
            raise NotFound("Nothing to record engagement about")
        subject, subject_id = named[0][0], int(named[0][1])
        pcpg_id = await subject_pcpg(subject, subject_id)
        if pcpg_id is None or not writes_pcpg(actor, pcpg_id):
            raise NotFound("Nothing to record engagement about")
        return subject, subject_id

    def _form(
        self,
        request: Request,
        *,
        action: str,
        back: str,
        about: str,
        values: dict[str, Any],
        errors: dict[str, str],
        changing: bool = False,
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "needs/engagement_form.html",
            {
                # one page per thing it is about: the title names it
                "title": gettext("Change the engagement: %(about)s", about=about)
                if changing
                else gettext("Add an engagement: %(about)s", about=about),
                "action": action,
                "back": back,
                "about": about,
                "values": values,
                "errors": errors,
                "error_list": error_summary(errors),
                "kinds": _options(EngagementKind),
            },
            status_code=status_code,
        )

    async def _about(self, subject: Subject, subject_id: int) -> str:
        return await engagement_queries.subject_words(subject, subject_id)

    @get("/new")
    async def new_engagement(self, request: Request, actor: NamedDependency[Actor]) -> Template:
        subject, subject_id = await self._subject(actor, request)
        return self._form(
            request,
            action=f"/engagement/new?{subject.value}_id={subject_id}",
            back=_back(subject, subject_id),
            about=await self._about(subject, subject_id),
            values={},
            errors={},
        )

    @post("/new")
    async def record_engagement(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock]
    ) -> Response[Any]:
        subject, subject_id = await self._subject(actor, request)
        form = await read_form(
            request,
            EngagementIn,
            messages=ENGAGEMENT_MESSAGES,
            dates={"held_on": "held_on"},
            fixed={f"{subject.value}_id": subject_id},
            only=(*(f for f in EngagementIn.__struct_fields__ if not f.endswith("_id")), f"{subject.value}_id"),
        )
        done = await form.run(
            lambda data: engagements.record_engagement(actor=actor, data=data, now=clock.now()),
            default_field="what_they_said",
        )
        if done is not None:
            return with_flash(Redirect(path=_back(subject, subject_id)), "engagement_recorded")
        return self._form(
            request,
            action=f"/engagement/new?{subject.value}_id={subject_id}",
            back=_back(subject, subject_id),
            about=await self._about(subject, subject_id),
            values=form.values,
            errors=form.errors,
            status_code=400,
        )

    async def _own(self, actor: Actor, engagement_id: int) -> tuple[EngagementOut, Subject, int]:
        engagement = await engagement_queries.get_engagement(actor=actor, engagement_id=engagement_id)
        if not engagement.can_change:
            raise NotFound("No such engagement")
        for subject, subject_id in (
            (Subject.NEED, engagement.need_id),
            (Subject.PLAN_PRIORITY, engagement.plan_priority_id),
            (Subject.SPECIFICATION, engagement.specification_id),
        ):
            if subject_id is not None:
                return engagement, subject, subject_id
        raise NotFound("No such engagement")  # pragma: no cover - every engagement is about one thing

    @get("/{engagement_id:int}/edit")
    async def edit_engagement(self, request: Request, actor: NamedDependency[Actor], engagement_id: int) -> Template:
        engagement, subject, subject_id = await self._own(actor, engagement_id)
        return self._form(
            request,
            action=f"/engagement/{engagement_id}/edit",
            back=_back(subject, subject_id),
            about=engagement.about,
            values=_engagement_values(engagement),
            errors={},
            changing=True,
        )

    @post("/{engagement_id:int}/edit")
    async def change_engagement(
        self, request: Request, actor: NamedDependency[Actor], clock: NamedDependency[Clock], engagement_id: int
    ) -> Response[Any]:
        engagement, subject, subject_id = await self._own(actor, engagement_id)
        form = await read_form(
            request,
            EngagementChangeIn,
            messages=ENGAGEMENT_MESSAGES,
            dates={"held_on": "held_on"},
            required=("kind", "held_on", "people_reached", "what_they_said", "what_changed"),
        )
        done = await form.run(
            lambda data: engagements.change_engagement(
                actor=actor, engagement_id=engagement_id, change=data, now=clock.now()
            ),
            default_field="what_they_said",
        )
        if done is not None:
            return with_flash(Redirect(path=_back(subject, subject_id)), "engagement_changed")
        return self._form(
            request,
            action=f"/engagement/{engagement_id}/edit",
            back=_back(subject, subject_id),
            about=engagement.about,
            values=form.values,
            errors=form.errors,
            changing=True,
            status_code=400,
        )
