"""The commissioner's review of a delivery return (issue 13, item 3): the query loop, the lock on an accepted return
and its corrections, the history in words, scope, the audit trail and the vehicle's notices."""

from __future__ import annotations

import json

import msgspec
import pytest

from accounts.actor import Role
from audit.tables import AuditEvent
from core.errors import Conflict, NotFound, RuleBroken
from notifications.tables import Notification
from returns import rules
from returns.queries.history import return_history
from returns.queries.returns import get_return
from returns.rules import ReturnStatus
from returns.schemas.review import QueryCommentIn
from returns.services import review
from returns.tables import Payment, ReturnQuery, ReturnVersion
from tests import contracts_support_lifecycle as cs
from tests import returns_support_review as rs
from tests.conftest import make_actor

NOW = cs.at(rs.REVIEW_DAY)


def _comments(found: rs.Submitted) -> list[QueryCommentIn]:
    return [
        QueryCommentIn(field="spend_pence", comment="Spend is well above the quarter's share: why?"),
        QueryCommentIn(field=f"kpi:{found.kpi_ids[0]}", comment="How was completion counted?"),
    ]


async def _events(action: str) -> list[dict]:
    rows = await AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.sequence)
    for row in rows:
        for key in ("before", "after"):
            row[key] = json.loads(row[key]) if isinstance(row[key], str) else row[key]
    return rows


async def test_the_query_loop_query_then_resubmit_then_accept():
    found = await rs.submitted()
    queried = await review.query_return(
        actor=found.commissioner, return_id=found.return_id, comments=_comments(found), now=NOW
    )
    assert queried.summary.status is ReturnStatus.QUERIED
    # The provider reads the comments on the return, each on its field, for the version they were made on.
    seen = await get_return(actor=found.provider, return_id=found.return_id, now=NOW)
    assert [(q.field, q.comment, q.version, q.raised_by) for q in seen.queries] == [
        ("spend_pence", "Spend is well above the quarter's share: why?", 1, "Anna Commissioner"),
        (f"kpi:{found.kpi_ids[0]}", "How was completion counted?", 1, "Anna Commissioner"),
    ]
    assert [a.action for a in seen.actions] == ["edit", "submit"]

    await rs.submit(found, rs.figures(found, spend_pence=25_100_00, values=("42",)), at=cs.at(rs.REVIEW_DAY))
    accepted = await review.accept_return(actor=found.commissioner, return_id=found.return_id, now=NOW)

    assert accepted.summary.status is ReturnStatus.ACCEPTED and accepted.summary.version == 2
    row = await rs.status_of(found.return_id)
    assert row["decided_by_username"] == found.commissioner.username and row["decided_at"] == NOW
    assert [a.action for a in accepted.actions] == ["correct"]


async def test_a_query_needs_a_comment_on_a_field_of_the_return_and_writes_nothing_otherwise():
    found = await rs.submitted()
    cases = [
        ([], "comments"),
        ([QueryCommentIn(field="kpi:999999", comment="Which KPI?")], "comments[0].field"),
        ([QueryCommentIn(field="activity:abc", comment="?")], "comments[0].field"),
        ([QueryCommentIn(field="narrative", comment="   ")], "comments[0].comment"),
        (
            [QueryCommentIn(field="narrative", comment="a"), QueryCommentIn(field="narrative", comment="b")],
            "comments[1].field",
        ),
    ]
    for comments, field in cases:
        with pytest.raises(RuleBroken) as refused:
            await review.query_return(actor=found.commissioner, return_id=found.return_id, comments=comments, now=NOW)
        assert refused.value.field == field
    assert (await rs.status_of(found.return_id))["status"] == ReturnStatus.SUBMITTED
    assert await ReturnQuery.count() == 0 and await _events("delivery_return.queried") == []
    # Every field the rule names is one a comment may be on (the control: the same call with a good field works).
    fields = rules.return_fields(cluster_ids=found.cluster_ids, kpi_ids=found.kpi_ids)
    assert fields[:4] == [*(f"activity:{c}" for c in found.cluster_ids), "spend_pence", f"kpi:{found.kpi_ids[0]}"]
    await review.query_return(
        actor=found.commissioner,
        return_id=found.return_id,
        comments=[QueryCommentIn(field=f, comment="Check") for f in fields],
        now=NOW,
    )
    assert await ReturnQuery.count() == len(fields)


async def test_an_accepted_return_is_locked_and_only_a_correction_with_a_reason_changes_it():
    found = await rs.submitted()
    await review.accept_return(actor=found.commissioner, return_id=found.return_id, now=NOW)

    with pytest.raises(Conflict):
        await review.accept_return(actor=found.commissioner, return_id=found.return_id, now=NOW)
    with pytest.raises(Conflict):
        await review.query_return(
            actor=found.commissioner, return_id=found.return_id, comments=_comments(found), now=NOW
        )
    # Saving a draft or submitting are moves the rules refuse from accepted (the submission's services ask them).
    for to in ReturnStatus:
        assert not rules.can_move_return(ReturnStatus.ACCEPTED, to)
    corrected = rs.figures(found, spend_pence=25_100_00)
    with pytest.raises(RuleBroken) as refused:
        await review.correct_return(
            actor=found.provider, return_id=found.return_id, figures=corrected, reason="  ", now=NOW
        )
    assert refused.value.field == "reason"
    assert (await rs.status_of(found.return_id))["version"] == 1

    done = await review.correct_return(
        actor=found.provider, return_id=found.return_id, figures=corrected, reason="A late invoice", now=NOW
    )

    assert done.delivery_return.summary.version == 2 and done.delivery_return.spend_pence == 25_100_00
    assert done.delivery_return.summary.status is ReturnStatus.ACCEPTED
    assert done.payment_unchanged is False and done.payment_note is None
    version = await ReturnVersion.select().where(ReturnVersion.version == 2).first()
    assert version["kind"] == "corrected" and version["reason"] == "A late invoice"
    assert version["made_by_username"] == found.provider.username


async def test_only_an_accepted_return_is_corrected():
    found = await rs.submitted()
    with pytest.raises(Conflict):
        await review.correct_return(
            actor=found.provider, return_id=found.return_id, figures=rs.figures(found), reason="Typo", now=NOW
        )
    assert await ReturnVersion.count() == 1


async def test_a_correction_is_a_whole_return_each_refusal_naming_its_field():
    found = await rs.submitted()
    await review.accept_return(actor=found.commissioner, return_id=found.return_id, now=NOW)
    kpi = found.kpi_ids[0]
    cases = [
        (rs.figures(found, units=(120,)), f"activity:{found.cluster_ids[1]}"),
        (rs.figures(found, values=()), f"kpi:{kpi}"),
        (rs.figures(found, values=("forty",)), f"kpi:{kpi}"),
        (msgspec.structs.replace(rs.figures(found), spend_pence=None), "spend_pence"),
        (rs.figures(found, workforce={"wizards": "1"}), "workforce:wizards"),
        (rs.figures(found, workforce={"other": "-1"}), "workforce:other"),
    ]
    for figures, field in cases:
        with pytest.raises(RuleBroken) as refused:
            await review.correct_return(
                actor=found.commissioner, return_id=found.return_id, figures=figures, reason="Fix", now=NOW
            )
        assert refused.value.field == field, figures
    assert (await rs.status_of(found.return_id))["version"] == 1


async def test_a_correction_leaves_an_approved_payment_as_it_was_and_says_so():
    found = await rs.submitted()
    await review.accept_return(actor=found.commissioner, return_id=found.return_id, now=NOW)
    await Payment(
        contract=found.contract_id,
        financial_year=2027,
        quarter=1,
        amount_pence=30_000_00,
        status="approved",
        decided_at=NOW,
        decided_by_username="finance",
    ).save()

    done = await review.correct_return(
        actor=found.commissioner,
        return_id=found.return_id,
        figures=rs.figures(found, spend_pence=31_000_00),
        reason="Invoice missed",
        now=NOW,
    )

    assert done.payment_unchanged is True and "does not change it" in (done.payment_note or "")
    payment = await Payment.select().first()
    assert payment["amount_pence"] == 30_000_00 and payment["status"] == "approved"


async def test_the_history_says_what_changed_field_by_field_with_names_and_reasons():
    found = await rs.submitted()
    await review.query_return(actor=found.commissioner, return_id=found.return_id, comments=_comments(found), now=NOW)
    await rs.submit(
        found,
        rs.figures(found, spend_pence=25_100_00, units=(130, 80), values=("42",), narrative="Groups ran; one moved."),
        at=cs.at(rs.REVIEW_DAY),
    )
    await review.accept_return(actor=found.commissioner, return_id=found.return_id, now=NOW)
    await review.correct_return(
        actor=found.commissioner,
        return_id=found.return_id,
        figures=rs.figures(
            found,
            spend_pence=25_100_00,
            units=(130, 80),
            values=("42.0",),
            narrative="Groups ran; one moved.",
            workforce={"nursing_midwifery": "3"},
        ),
        reason="Staff count was out of date",
        now=NOW,
    )

    history = await return_history(actor=found.provider, return_id=found.return_id, now=NOW)

    assert [(v.version, v.kind_label) for v in history.versions] == [
        (3, "Corrected after acceptance"),
        (2, "Submitted"),
        (1, "Submitted"),
    ]
    third, second, first = history.versions
    assert third.changes == ["Workforce Nursing and midwifery: 2.5 -> 3 WTE"]  # "42" and "42.0" are one figure
    assert (third.made_by, third.reason) == ("Anna Commissioner", "Staff count was out of date")
    assert second.changes == [
        "Activity Cardiff North: 120 -> 130 contacts",
        "Spend: £24,000.00 -> £25,100.00",
        "KPI People completing: 40 -> 42",
        "Narrative changed",
    ]
    assert (second.made_by, second.queries) == ("Rhys Provider", [])
    assert first.changes == [] and [q.field for q in first.queries] == ["spend_pence", f"kpi:{found.kpi_ids[0]}"]
    assert history.decided_by == "Anna Commissioner"


async def test_out_of_scope_is_not_found_and_other_roles_cannot_review():
    found = await rs.submitted()
    elsewhere = await make_actor(Role.COMMISSIONER, pcpg_names=("Swansea Bay",))
    other_provider = await make_actor(Role.PROVIDER, with_vehicle=True)
    finance = await make_actor(Role.FINANCE_DIRECTOR)
    for actor in (elsewhere, found.provider, finance, other_provider):
        with pytest.raises(NotFound):
            await review.accept_return(actor=actor, return_id=found.return_id, now=NOW)
        with pytest.raises(NotFound):
            await review.query_return(actor=actor, return_id=found.return_id, comments=_comments(found), now=NOW)
    with pytest.raises(NotFound):
        await return_history(actor=elsewhere, return_id=found.return_id, now=NOW)
    await review.accept_return(actor=found.commissioner, return_id=found.return_id, now=NOW)
    for actor in (elsewhere, finance, other_provider):
        with pytest.raises(NotFound):
            await review.correct_return(
                actor=actor, return_id=found.return_id, figures=rs.figures(found), reason="Fix", now=NOW
            )
    assert await _events("delivery_return.corrected") == []


async def test_each_decision_is_in_the_audit_trail_and_a_query_tells_the_vehicles_users():
    found = await rs.submitted()
    colleague = await make_actor(Role.PROVIDER, delivery_vehicle_id=found.vehicle_id, language="cy")
    outsider = await make_actor(Role.PROVIDER, with_vehicle=True)

    await review.query_return(actor=found.commissioner, return_id=found.return_id, comments=_comments(found), now=NOW)
    await rs.submit(found, rs.figures(found), at=NOW)
    await review.accept_return(actor=found.commissioner, return_id=found.return_id, now=NOW)
    await review.correct_return(
        actor=found.provider,
        return_id=found.return_id,
        figures=rs.figures(found, spend_pence=1),
        reason="Typo",
        now=NOW,
    )

    (queried,) = await _events("delivery_return.queried")
    assert queried["actor_username"] == found.commissioner.username and queried["entity_id"] == str(found.contract_id)
    assert queried["after"]["return_id"] == found.return_id and len(queried["after"]["comments"]) == 2
    (accepted,) = await _events("delivery_return.accepted")
    assert accepted["before"] == {"status": "submitted"} and accepted["after"]["status"] == "accepted"
    (corrected,) = await _events("delivery_return.corrected")
    assert corrected["actor_username"] == found.provider.username and corrected["after"]["reason"] == "Typo"
    assert corrected["after"]["version"] == 3

    notices = await Notification.select().where(Notification.kind == "return_queried")
    by_user = {n["user"]: n for n in notices}
    assert set(by_user) == {found.provider.user_id, colleague.user_id}
    assert outsider.user_id not in by_user
    english = by_user[found.provider.user_id]
    assert english["subject"] == "Delivery return queried: Weight management"
    assert "Q1 2027-28" in english["body"] and "2 comments" in english["body"]
    assert english["link"] == f"/returns/{found.return_id}"
    assert by_user[colleague.user_id]["language"] == "cy" and "Rheoli pwysau" in by_user[colleague.user_id]["subject"]
