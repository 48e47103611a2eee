"""Writes of the maturity matrix and assessments: a domain reworded (API and page), and each step of an assessment
(started, saved, submitted, reviewer named, interests declared, review saved and submitted, confirmed), by the API
and by its page."""

from __future__ import annotations

from functools import partial

from maturity.schemas import ReviewerIn
from maturity.services import assessments
from tests.api.audit_writes import Users, Write, form
from tests.maturity_support import NOW, all_answers, reviewed, submitted, under_review, world

API = "/api/v1/maturity/assessments/{assessment_id:int}"
PAGE = "/maturity/assessments/{assessment_id:int}"


async def _domain(users: Users, *, page: bool) -> Write:
    w = await world()
    http = await users.client(w.admin)
    first = w.domain_ids[0]
    if page:
        from maturity.matrix import seed_values

        values = {k: v for k, v in seed_values(1).items() if k not in ("key", "position")}
        data = await form(http, **{**values, "name": "Governance and leadership"})
        return Write(
            partial(http.post, f"/maturity/matrix/{first}", data=data), "maturity_domain.changed", w.admin.username
        )
    send = partial(http.patch, f"/api/v1/maturity/domains/{first}", json={"name": "Governance and leadership"})
    return Write(send, "maturity_domain.changed", w.admin.username)


async def _start(users: Users, *, page: bool) -> Write:
    w = await world()
    http = await users.client(w.provider)
    if page:
        send = partial(http.post, "/maturity/assessments", data=await form(http))
    else:
        send = partial(http.post, "/api/v1/maturity/assessments")
    return Write(send, "maturity_assessment.started", w.provider.username)


async def _save(users: Users, *, page: bool) -> Write:
    w = await world()
    assessment_id = await assessments.start_assessment(actor=w.provider, now=NOW)
    http = await users.client(w.provider)
    first = w.domain_ids[0]
    if page:
        data = await form(http, **{f"level-{first}": "2", f"evidence-{first}": "Minutes", "then": "draft"})
        send = partial(http.post, f"/maturity/assessments/{assessment_id}/self-assessment", data=data)
    else:
        body = {"answers": [{"domain_id": first, "level": 2, "evidence": "Minutes"}]}
        send = partial(http.put, f"/api/v1/maturity/assessments/{assessment_id}/self-assessment", json=body)
    return Write(send, "maturity_assessment.saved", w.provider.username)


async def _submit(users: Users, *, page: bool) -> Write:
    w = await world()
    assessment_id = await assessments.start_assessment(actor=w.provider, now=NOW)
    await assessments.save_self_assessment(actor=w.provider, assessment_id=assessment_id, data=all_answers(w), now=NOW)
    http = await users.client(w.provider)
    if page:
        send = partial(http.post, f"/maturity/assessments/{assessment_id}/submit", data=await form(http))
    else:
        send = partial(http.post, f"/api/v1/maturity/assessments/{assessment_id}/submit")
    return Write(send, "maturity_assessment.submitted", w.provider.username)


async def _reviewer(users: Users, *, page: bool) -> Write:
    w = await world()
    assessment_id = await submitted(w)
    http = await users.client(w.commissioner)
    if page:
        data = await form(http, reviewer_id=str(w.peer.user_id))
        send = partial(http.post, f"/maturity/assessments/{assessment_id}/reviewer", data=data)
    else:
        body = {"reviewer_id": w.peer.user_id}
        send = partial(http.post, f"/api/v1/maturity/assessments/{assessment_id}/reviewer", json=body)
    return Write(send, "maturity_assessment.reviewer_named", w.commissioner.username)


async def _declare(users: Users, *, page: bool) -> Write:
    w = await world()
    assessment_id = await submitted(w)
    await assessments.name_reviewer(
        actor=w.commissioner, assessment_id=assessment_id, data=ReviewerIn(reviewer_id=w.peer.user_id or 0), now=NOW
    )
    http = await users.client(w.peer)
    if page:
        data = await form(http, conflict="no")
        send = partial(http.post, f"/maturity/assessments/{assessment_id}/declaration", data=data)
    else:
        send = partial(http.post, f"/api/v1/maturity/assessments/{assessment_id}/declaration", json={"conflict": False})
    return Write(send, "maturity_assessment.interests_declared", w.peer.username)


async def _review(users: Users, *, page: bool) -> Write:
    w = await world()
    assessment_id = await under_review(w)
    http = await users.client(w.peer)
    first = w.domain_ids[0]
    if page:
        data = await form(http, **{f"level-{first}": "2", "then": "draft"})
        send = partial(http.post, f"/maturity/assessments/{assessment_id}/review", data=data)
    else:
        body = {"answers": [{"domain_id": first, "level": 2}]}
        send = partial(http.put, f"/api/v1/maturity/assessments/{assessment_id}/review", json=body)
    return Write(send, "maturity_assessment.review_saved", w.peer.username)


async def _submit_review(users: Users, *, page: bool) -> Write:
    from tests.maturity_support import review_agreeing

    w = await world()
    assessment_id = await under_review(w)
    await assessments.save_review(actor=w.peer, assessment_id=assessment_id, data=review_agreeing(w), now=NOW)
    http = await users.client(w.peer)
    if page:
        send = partial(http.post, f"/maturity/assessments/{assessment_id}/review/submit", data=await form(http))
    else:
        send = partial(http.post, f"/api/v1/maturity/assessments/{assessment_id}/review/submit")
    return Write(send, "maturity_assessment.reviewed", w.peer.username)


async def _confirm(users: Users, *, page: bool) -> Write:
    w = await world()
    assessment_id = await reviewed(w)
    http = await users.client(w.commissioner)
    if page:
        data = await form(http, confirm="yes", **{f"level-{d}": "2" for d in w.domain_ids})
        send = partial(http.post, f"/maturity/assessments/{assessment_id}/confirm", data=data)
    else:
        body = {"answers": [{"domain_id": d, "level": 2} for d in w.domain_ids]}
        send = partial(http.post, f"/api/v1/maturity/assessments/{assessment_id}/confirm", json=body)
    return Write(send, "maturity_assessment.confirmed", w.commissioner.username)


WRITES = {
    ("PATCH", "/api/v1/maturity/domains/{domain_id:int}"): partial(_domain, page=False),
    ("POST", "/maturity/matrix/{domain_id:int}"): partial(_domain, page=True),
    ("POST", "/api/v1/maturity/assessments"): partial(_start, page=False),
    ("POST", "/maturity/assessments"): partial(_start, page=True),
    ("PUT", f"{API}/self-assessment"): partial(_save, page=False),
    ("POST", f"{PAGE}/self-assessment"): partial(_save, page=True),
    ("POST", f"{API}/submit"): partial(_submit, page=False),
    ("POST", f"{PAGE}/submit"): partial(_submit, page=True),
    ("POST", f"{API}/reviewer"): partial(_reviewer, page=False),
    ("POST", f"{PAGE}/reviewer"): partial(_reviewer, page=True),
    ("POST", f"{API}/declaration"): partial(_declare, page=False),
    ("POST", f"{PAGE}/declaration"): partial(_declare, page=True),
    ("PUT", f"{API}/review"): partial(_review, page=False),
    ("POST", f"{PAGE}/review"): partial(_review, page=True),
    ("POST", f"{API}/review/submit"): partial(_submit_review, page=False),
    ("POST", f"{PAGE}/review/submit"): partial(_submit_review, page=True),
    ("POST", f"{API}/confirm"): partial(_confirm, page=False),
    ("POST", f"{PAGE}/confirm"): partial(_confirm, page=True),
}
