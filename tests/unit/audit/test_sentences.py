"""How an event reads (issue 10, item 11): a sentence in the reader's language naming who, what and the record in
words, for every kind of event a service writes; never a stored code or an internal id."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from audit import rules
from audit.messages import KINDS, OTHER, RECORDS, SIGN_IN_ACTIONS, SOME_CHANGE, Event
from core.i18n import translate_in, translations

ROOT = Path(__file__).resolve().parents[3]
DOMAINS = (
    "accounts",
    "administration",
    "api",
    "commissioning",
    "contracts",
    "finance",
    "maturity",
    "menu",
    "needs",
    "notifications",
    "organisations",
    "returns",
)
NAMES = {7: "Anna Price", 8: "Rhys Jones", 9: "Ellis Evans"}
SPEC = {"reference": "CDV-2027-0002"}
LINE = {"pcpg": "Cardiff", "pcpg_cy": "Caerdydd", "financial_year": 2027, "funding_stream": "cluster_funding"}
RECORD_FACTS: dict[str, dict[str, Any]] = {
    "Specification": SPEC,
    "Bid": {"reference": "CDV-2027-0002", "vehicle": "Alpha Care CIC"},
    "BidAttachment": {"filename": "Staffing plan.PDF", "reference": "CDV-2027-0002", "vehicle": "Alpha Care CIC"},
    "PanelMember": {"reference": "CDV-2027-0002", "person_id": 9},
    "Declaration": {"reference": "CDV-2027-0002", "person_id": 9},
    "Award": {"reference": "CDV-2027-0002", "vehicle": "Alpha Care CIC"},
    "Representation": {"reference": "CDV-2027-0002", "vehicle": "Beta Wellbeing CIC"},
    "Clarification": {"reference": "CDV-2027-0002"},
    "Contract": {"reference": "CON-2027-0001"},
    "BudgetLine": LINE,
    "BudgetImport": {},
    "ContractImport": {},
    "ExportJob": {},
    "BudgetEarmark": {"reference": "CDV-2027-0002", **LINE},
    "BudgetCommitment": {"reference": "CON-2027-0001", **LINE},
    "DeliveryVehicle": {"name": "Alpha Care CIC"},
    "MenuService": {"name": "Social prescribing", "name_cy": "Presgripsiynu Cymdeithasol"},
    "Plan": {"title": "Cardiff plan 2027", "title_cy": "Cynllun Caerdydd 2027"},
    "PlanPriority": {"title": "Frailty", "title_cy": "Eiddilwch", "plan": "Cardiff plan 2027"},
    "Need": {"title": "Adult obesity", "title_cy": "Gordewdra oedolion"},
    "Engagement": {"title": "Adult obesity", "title_cy": "Gordewdra oedolion"},
    "User": {"person_id": 9},
    "HealthBoard": {"name": "Cardiff and Vale University Health Board"},
    "RegionalPartnershipBoard": {"name": "Cardiff and Vale"},
    "Pcpg": {"name": "Cardiff", "name_cy": "Caerdydd"},
    "LocalAuthority": {"name": "Cardiff", "name_cy": "Caerdydd"},
    "Cluster": {"name": "Cardiff North", "name_cy": "Gogledd Caerdydd"},
    "ClockSetting": {},
    "ViabilitySetting": {},
    "AutonomySetting": {},
    "TierRecompute": {},
    "Notification": {},
    "SignIn": {},
    "MaturityDomain": {"name": "Governance", "name_cy": "Llywodraethu"},
    "MaturityAssessment": {"vehicle": "Alpha Care CIC"},
}
# Each kind of event as its service records it: (record type, before, after).
SAMPLES: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "user.signed_in": ("User", {}, {"session_expires_at": "2027-01-05 18:00:00+00:00"}),
    "user.signed_out": ("User", {}, {}),
    "user.sign_in_failed": ("User", {}, {"failed_sign_ins": 1}),
    "user.sign_in_throttled": ("User", {}, {"wait_minutes": 2}),
    "sign_in.failed_unknown_username": ("SignIn", {}, {"failed_sign_ins": 1}),
    "sign_in.throttled_unknown_username": ("SignIn", {}, {"wait_minutes": 2}),
    "user.locked_out": ("User", {}, {"failed_sign_ins": 5, "locked_until_at": "2027-01-05 18:15:00+00:00"}),
    "api_token.issued": ("User", {}, {"token_expires_at": "2027-01-05 18:00:00+00:00"}),
    "web_session.revoked": ("User", {"full_name": "Ellis Evans"}, {"kind": "session", "by_owner": False}),
    "api_token.revoked": ("User", {"full_name": "Ellis Evans"}, {"kind": "token", "by_owner": False}),
    "user.signed_out_everywhere": (
        "User",
        {"full_name": "Ellis Evans"},
        {"sessions": 2, "tokens": 1, "by_owner": False},
    ),
    "user.created": ("User", {}, {"username": "ellis", "role": "evaluator", "pcpg_ids": []}),
    "user.scope_changed": ("User", {"pcpgs": ["Cardiff"]}, {"pcpgs": ["Swansea Bay"]}),
    "user.deactivated": ("User", {"active": True}, {"active": False}),
    "user.password_link_issued": ("User", {}, {"link_expires_at": "2027-01-06 10:00:00+00:00"}),
    "user.password_set": ("User", {}, {"password_set": True}),
    "user.language_set": ("User", {"language": "cy"}, {"language": "en"}),
    "clock.set": ("ClockSetting", {"offset_seconds": 0}, {"offset_seconds": 86400, "now": "2027-07-01 09:30:00+00:00"}),
    "clock.cleared": ("ClockSetting", {"offset_seconds": 86400}, {"offset_seconds": 0}),
    "clock.advanced": (
        "ClockSetting",
        {"offset_seconds": 0},
        {"offset_seconds": 604800, "now": "2027-07-08 09:30:00+00:00"},
    ),
    "budget_line.created": (
        "BudgetLine",
        {},
        {"pcpg_id": 3, "financial_year": 2027, "funding_stream": "cluster_funding", "amount_pence": 100_000_00},
    ),
    "budget_line.changed": ("BudgetLine", {"amount_pence": 100_000_00}, {"amount_pence": 120_000_00, "note": ""}),
    "finance_export.requested": ("ExportJob", {}, {"kind": "spend_workbook"}),
    "budget_lines.checked": ("BudgetImport", {}, {"lines": 12, "new": 4, "changed": 3, "unchanged": 5}),
    "budget_lines.imported": (
        "BudgetLine",
        {"amount_pence": 100_000_00, "note": ""},
        {"pcpg_id": 3, "financial_year": 2027, "funding_stream": "cluster_funding", "amount_pence": 125_000_00},
    ),
    "budget.earmarked": (
        "BudgetLine",
        {"earmarked_pence": 10_000_00},
        {"earmarked_pence": 90_000_00, "specification_id": 2},
    ),
    "budget.released": ("BudgetEarmark", {"amount_pence": 80_000_00, "held": True}, {"held": False}),
    "budget.committed": ("BudgetLine", {"committed_pence": 0}, {"committed_pence": 70_000_00, "contract_id": 1}),
    "budget.recommitted": ("Contract", {"amount_pence": 70_000_00, "held": True}, {"held": False}),
    "notification.read": ("Notification", {}, {"read": 1}),
    "notifications.reminded": ("Notification", {}, {}),
    "menu_service.added": ("MenuService", {}, {"code": "social", "version": 1}),
    "menu_service.edited": ("MenuService", {"version": 1}, {"version": 2}),
    "menu_service.retired": ("MenuService", {"retired": False}, {"retired": True, "reason": "Replaced"}),
    "menu_service.sources_edited": ("MenuService", {"version": 1, "source": "a"}, {"version": 2, "source": "a ; b"}),
    "menu_service.loaded": ("MenuService", {}, {"code": "social", "version": 1}),
    "reference.loaded": ("Pcpg", {}, {}),
    "reference.created": ("Cluster", {}, {"name": "Cardiff North"}),
    "reference.updated": ("Pcpg", {"name_cy": ""}, {"name_cy": "Caerdydd"}),
    "cluster.population_set": (
        "Cluster",
        {"population": None, "population_source": "", "population_as_of": None},
        {
            "population": 61234,
            "population_is_estimate": False,
            "population_source": "Cardiff North cluster plan",
            "population_as_of": "2023-10",
            "population_source_url": None,
        },
    ),
    "delivery_vehicle.registered": ("DeliveryVehicle", {}, {"name": "Alpha Care CIC", "status": "pending"}),
    "delivery_vehicle.approved": ("DeliveryVehicle", {"status": "pending"}, {"status": "approved", "reason": ""}),
    "delivery_vehicle.rejected": ("DeliveryVehicle", {"status": "pending"}, {"status": "rejected", "reason": "x"}),
    "delivery_vehicle.suspended": ("DeliveryVehicle", {"status": "approved"}, {"status": "suspended"}),
    "delivery_vehicle.reinstated": ("DeliveryVehicle", {"status": "suspended"}, {"status": "approved"}),
    "plan.created": ("Plan", {}, {"title": "Cardiff plan 2027", "first_financial_year": 2027}),
    "plan_priority.added": ("PlanPriority", {}, {"title": "Frailty", "cluster_ids": [1]}),
    "need.recorded": ("Need", {}, {"title": "Adult obesity", "source": "pna", "priority": "high"}),
    "need.changed": ("Need", {"priority": "low"}, {"priority": "high"}),
    "need.priorities_linked": ("Need", {"plan_priority_ids": []}, {"plan_priority_ids": [1]}),
    "engagement.recorded": ("Engagement", {}, {"kind": "survey", "people_reached": 120, "need": 1}),
    "engagement.changed": ("Engagement", {"people_reached": 100}, {"people_reached": 120}),
    "specification.created": ("Specification", {}, {"reference": "CDV-2027-0002", "status": "draft"}),
    "specification.changed": ("Specification", {"title": "Old"}, {"title": "New"}),
    "specification.published": ("Specification", {"status": "draft"}, {"status": "published"}),
    "specification.cancelled": ("Specification", {"status": "published"}, {"status": "cancelled"}),
    "specification.evaluation_begun": ("Specification", {"status": "closed"}, {"status": "under_evaluation"}),
    "specification.awarded": ("Specification", {"status": "under_evaluation"}, {"status": "awarded"}),
    "clarification.asked": ("Clarification", {}, {"specification_id": 2, "question": "How many?"}),
    "clarification.answered": ("Clarification", {"answered": False}, {"answered": True, "answer": "Two"}),
    "bid.saved": ("Bid", {}, {"status": "draft", "prices": [[2027, 70_000_00]]}),
    "bid.submitted": ("Bid", {}, {"status": "submitted", "prices": [[2027, 70_000_00]]}),
    "bid.withdrawn": ("Bid", {"status": "submitted"}, {"status": "withdrawn"}),
    "bid.attachment_added": ("BidAttachment", {}, {"bid_id": 1, "filename": "Staffing plan.PDF", "sha256": "ab"}),
    "panel.member_named": ("PanelMember", {}, {"specification_id": 2, "evaluator": "ellis"}),
    "panel.member_removed": (
        "PanelMember",
        {"specification_id": 2, "evaluator": "ellis", "scores": 0},
        {"removed": True, "reason": "On long leave"},
    ),
    "panel.interests_declared": ("Declaration", {}, {"known_vehicle_ids": [], "conflict": False, "recused": False}),
    "bid.scored": ("Bid", {}, {"scores": [[0, 4], [1, 3]]}),
    "maturity_domain.seeded": ("MaturityDomain", {}, {"name": "Governance", "position": 1}),
    "maturity_domain.changed": ("MaturityDomain", {"level_2": "Roles written"}, {"level_2": "Roles and delegation"}),
    "maturity_assessment.started": ("MaturityAssessment", {}, {"financial_year": 2026, "status": "draft"}),
    "maturity_assessment.saved": ("MaturityAssessment", {"financial_year": 2026}, {"financial_year": 2026}),
    "maturity_assessment.submitted": (
        "MaturityAssessment",
        {"financial_year": 2026, "status": "draft"},
        {"financial_year": 2026, "status": "submitted", "levels": {"1": 2}},
    ),
    "maturity_assessment.reviewer_named": (
        "MaturityAssessment",
        {"financial_year": 2026, "status": "submitted", "reviewer": None},
        {"financial_year": 2026, "status": "under_peer_review", "reviewer": 9},
    ),
    "maturity_assessment.interests_declared": (
        "MaturityAssessment",
        {"financial_year": 2026},
        {"financial_year": 2026, "conflict": False, "reviewer": 9},
    ),
    "maturity_assessment.review_saved": ("MaturityAssessment", {"financial_year": 2026}, {"financial_year": 2026}),
    "maturity_assessment.reviewed": (
        "MaturityAssessment",
        {"financial_year": 2026, "status": "under_peer_review"},
        {"financial_year": 2026, "status": "reviewed", "levels": {"1": 2}},
    ),
    "maturity_assessment.confirmed": (
        "MaturityAssessment",
        {"financial_year": 2026, "status": "reviewed"},
        {"financial_year": 2026, "status": "confirmed", "levels": {"1": 3}},
    ),
    "bid.moderated": ("Bid", {}, {"criterion": 0, "moderated_score": 4, "reason": "Consensus"}),
    "award.intended": ("Award", {}, {"specification_id": 2, "delivery_vehicle_id": 5, "route": "competitive"}),
    "award.representation_lodged": ("Representation", {}, {"award_id": 1, "text": "Unfair"}),
    "award.representation_answered": ("Representation", {"answered": False}, {"answered": True, "answer": "No"}),
    "award.confirmed": ("Award", {"status": "standstill"}, {"status": "confirmed", "contract_id": 1}),
    "contract.made": (
        "Contract",
        {},
        {"reference": "CON-2027-0001", "specification_id": 2, "delivery_vehicle_id": 5, "total_value_pence": 70_000_00},
    ),
    "contracts.checked": ("ContractImport", {}, {"lines": 3, "new": 1, "changed": 1, "unchanged": 1}),
    "contract.imported": (
        "Contract",
        {},
        {
            "reference": "CON-2027-0001",
            "former_reference": "CV-OLD-12",
            "delivery_vehicle_id": 5,
            "total_value_pence": 36_000_00,
        },
    ),
    "contract_variation.proposed": (
        "Contract",
        {},
        {"reference": "CON-2027-0001", "variation": 2, "kind": "price_change", "effective_on": "2028-04-01"},
    ),
    "contract_variation.approved": (
        "Contract",
        {"version": 2, "total_value_pence": 70_000_00},
        {"reference": "CON-2027-0001", "variation": 2, "version": 3, "total_value_pence": 75_000_00},
    ),
    "contract_variation.agreed": (
        "Contract",
        {"version": 2, "total_value_pence": 70_000_00},
        {"reference": "CON-2027-0001", "variation": 2, "version": 3, "total_value_pence": 72_000_00},
    ),
    "contract_variation.rejected": (
        "Contract",
        {"variation_status": "proposed"},
        {"reference": "CON-2027-0001", "variation": 2, "note": "Not funded"},
    ),
    "viability.thresholds_set": (
        "ViabilitySetting",
        {"min_live_services": 2, "min_annual_value_pence": 100_000_00, "default": True},
        {"min_live_services": 3, "min_annual_value_pence": 150_000_00},
    ),
    "autonomy.settings_set": ("AutonomySetting", {"earned": {"min_level": 3}}, {"earned": {"min_level": 2}}),
    "autonomy.tiers_recomputed": (
        "TierRecompute",
        {},
        {"financial_year": 2027, "quarter": 2, "last_counted": "Q1 2027-28", "changed": 3},
    ),
    "autonomy.tier_recomputed": (
        "DeliveryVehicle",
        {"tier": "standard"},
        {
            "tier": "earned",
            "financial_year": 2027,
            "quarter": 3,
            "source": "computed",
            "reason": "",
            "red_free_quarters": 4,
        },
    ),
    "autonomy.tier_overridden": (
        "DeliveryVehicle",
        {"tier": "standard"},
        {"tier": "high", "financial_year": 2027, "quarter": 3, "source": "override", "reason": "Strong review"},
    ),
    "autonomy.override_lifted": (
        "DeliveryVehicle",
        {"tier": "high", "source": "override"},
        {"tier": "standard", "financial_year": 2027, "quarter": 4, "source": "computed", "reason": "Review over"},
    ),
    "delivery_returns.scheduled": ("Contract", {"returns": 0}, {"returns": 8, "added": 8, "removed": 0}),
    "delivery_returns.reminded": ("Notification", {}, {"day": "2027-07-23", "returns": 2, "notices": 3}),
    "performance_rating.recorded": ("Contract", {}, {"financial_year": 2027, "ratings": {"KPI 1": "good"}}),
    "performance_rating.changed": (
        "Contract",
        {"financial_year": 2027, "ratings": {"KPI 1": "good"}},
        {"financial_year": 2027, "ratings": {"KPI 1": "inadequate"}},
    ),
    "delivery_return.saved": (
        "Contract",
        {"status": "not_started", "reference": "CON-2027-0001", "quarter": 1, "year": "2027-28"},
        {"status": "draft", "reference": "CON-2027-0001", "quarter": 1, "year": "2027-28", "source": "form"},
    ),
    "delivery_return.uploaded": (
        "Contract",
        {"status": "draft", "reference": "CON-2027-0001", "quarter": 1, "year": "2027-28"},
        {"status": "draft", "reference": "CON-2027-0001", "quarter": 1, "year": "2027-28", "source": "upload"},
    ),
    "delivery_return.submitted": (
        "Contract",
        {"status": "draft", "version": 0, "reference": "CON-2027-0001", "quarter": 1, "year": "2027-28"},
        {"status": "submitted", "version": 1, "reference": "CON-2027-0001", "quarter": 1, "year": "2027-28"},
    ),
    "contract.mobilised": ("Contract", {"status": "mobilising"}, {"status": "live"}),
    "contract.suspended": ("Contract", {"status": "live"}, {"status": "suspended", "reason": "Premises flooded"}),
    "contract.resumed": ("Contract", {"status": "suspended"}, {"status": "live"}),
    "contract.terminated": (
        "Contract",
        {"status": "live", "total_value_pence": 360_000_00},
        {"status": "terminated", "terminated_on": "2027-08-15", "reason": "Closed", "retained_value_pence": 60_000_00},
    ),
    "contract.expired": ("Contract", {"status": "live"}, {"status": "expired", "end_on": "2028-03-31"}),
    "contract.kpis_set": ("Contract", {"thresholds": {"1": ["", ""]}}, {"thresholds": {"1": ["90", "75"]}}),
    "contract.allocated": ("Contract", {"allocations": {}}, {"allocations": {"2027": {"3": 60_000_00}}}),
    "delivery_return.accepted": (
        "Contract",
        {"status": "submitted"},
        {"status": "accepted", "version": 2, "return_id": 4, "financial_year": 2027, "quarter": 2},
    ),
    "delivery_return.queried": (
        "Contract",
        {"status": "submitted"},
        {
            "status": "queried",
            "version": 1,
            "comments": [{"field": "spend_pence", "comment": "Why?"}, {"field": "narrative", "comment": "More"}],
            "return_id": 4,
            "financial_year": 2027,
            "quarter": 2,
        },
    ),
    "delivery_return.corrected": (
        "Contract",
        {"version": 2, "spend_pence": 24_000_00},
        {
            "version": 3,
            "spend_pence": 25_100_00,
            "reason": "Late invoice",
            "return_id": 4,
            "financial_year": 2027,
            "quarter": 2,
        },
    ),
    "payment.approved": (
        "Contract",
        {"financial_year": 2027, "quarter": 1, "amount_pence": 30_000_00, "status": "payable"},
        {"financial_year": 2027, "quarter": 1, "amount_pence": 30_000_00, "status": "approved", "budget_line": 4},
    ),
    "payment.withheld": (
        "Contract",
        {"financial_year": 2027, "quarter": 2, "amount_pence": 30_000_00, "status": "payable"},
        {"financial_year": 2027, "quarter": 2, "amount_pence": 30_000_00, "status": "withheld", "reason": "KPI red"},
    ),
    "payment.released": (
        "Contract",
        {"financial_year": 2027, "quarter": 2, "amount_pence": 30_000_00, "status": "withheld", "reason": "KPI red"},
        {"financial_year": 2027, "quarter": 2, "amount_pence": 30_000_00, "status": "released", "reason": "Agreed"},
    ),
}
RELATED_FACTS = {("Specification", "2"): SPEC, ("Contract", "1"): {"reference": "CON-2027-0001"}}
RELATED_FACTS[("DeliveryVehicle", "5")] = {"name": "Alpha Care CIC"}
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|\b[a-z]+\.[a-z_]+\b|#\d|\b[A-Z][a-z]+[A-Z][A-Za-z]+\b")


def _event(action: str) -> Event:
    entity_type, before, after = SAMPLES[action]
    return Event(action=action, entity_type=entity_type, entity_id="1", before=before, after=after)


def _describe(sample: str, language: str = "en", **changes: Any) -> rules.Described:
    event = _event(sample)._replace(**changes)
    records = {(event.entity_type, "1"): RECORD_FACTS[event.entity_type], **RELATED_FACTS}
    return rules.describe(event, actor=NAMES[7], records=records, names=NAMES, language=language)


def _written_actions() -> set[str]:
    """Every action name a service passes to `operation()` or `record(action=...)`, as written in the code."""
    literal = r'"([a-z_]+\.[a-z_]+)"'
    patterns = [rf"operation\(\s*{literal}", rf"action={literal}", rf"{literal} if ", rf"else {literal}"]
    found: set[str] = set()
    for domain in DOMAINS:
        for path in (ROOT / domain).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            for pattern in patterns:
                found |= set(re.findall(pattern, source))
    return found


def _recorded_types() -> set[str]:
    found: set[str] = set()
    for domain in DOMAINS:
        for path in (ROOT / domain).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            found |= set(re.findall(r'\.record\(\s*"([A-Za-z]+)"', source))
            found |= set(re.findall(r"_upsert\(\s*op,\s*([A-Za-z]+),", source))
    return found


def test_every_action_a_service_writes_has_a_sentence():
    written = _written_actions()
    assert {"specification.published", "budget_line.changed", "user.signed_in", "bid.submitted"} <= written
    assert written - set(KINDS) == set(), "add a line for each to audit/messages.py KINDS"


def test_the_vehicle_decisions_named_with_their_status_have_sentences():
    """organisations.services names a decision `delivery_vehicle.{status}`: every status but waiting is one."""
    from organisations.rules import DeliveryVehicleStatus

    for status in DeliveryVehicleStatus:
        if status is not DeliveryVehicleStatus.PENDING:
            assert f"delivery_vehicle.{status}" in KINDS


def test_every_kind_of_record_a_service_writes_has_words():
    recorded = _recorded_types()
    assert {"Specification", "BudgetLine", "HealthBoard", "Cluster"} <= recorded
    assert recorded - set(RECORDS) == set(), "add a line for each to audit/messages.py RECORDS"


def test_every_kind_of_event_has_a_sample_here():
    assert set(SAMPLES) == set(KINDS)


@pytest.mark.parametrize("action", sorted(KINDS))
@pytest.mark.parametrize("language", ["en", "cy"])
def test_each_kind_of_event_reads_as_its_own_sentence_without_codes(action, language):
    described = _describe(action, language)
    entity_type = SAMPLES[action][0]
    phrase = rules.record_phrase(entity_type, rules.record_words(RECORD_FACTS[entity_type], NAMES, language), language)
    assert described.sentence != rules.capitalised(translate_in(language, SOME_CHANGE, who=NAMES[7], record=phrase))
    assert not CODE.search(described.sentence), described.sentence
    assert not CODE.search(described.record), described.record
    assert action not in described.sentence and action not in described.kind
    if not action.startswith(("user.sign_in_failed", "user.sign_in_throttled", "user.locked_out", "sign_in.")):
        assert NAMES[7] in described.sentence


def test_the_sentences_of_the_issue():
    assert _describe("specification.published").sentence == "Anna Price published specification CDV-2027-0002"
    assert _describe("budget_line.changed").sentence == (
        "Anna Price set the budget line Cardiff, 2027-28, Cluster funding to £120,000.00 (it was £100,000.00)"
    )
    assert _describe("budget_line.changed").record == "The budget line Cardiff, 2027-28, Cluster funding"
    assert _describe("delivery_vehicle.approved").sentence == "Anna Price approved the delivery vehicle Alpha Care CIC"


def test_a_peer_reviewers_declaration_reads_as_a_conflict_or_none():
    conflicted = _describe("maturity_assessment.interests_declared", after={"financial_year": 2026, "conflict": True})
    assert conflicted.sentence == (
        "Anna Price declared a conflict of interest for the maturity assessment of Alpha Care CIC for 2026-27, "
        "so cannot review it"
    )
    assert _describe("maturity_assessment.interests_declared").sentence == (
        "Anna Price declared no conflict of interest for the maturity assessment of Alpha Care CIC for 2026-27"
    )


def test_budget_lines_from_a_file_read_as_set_up_or_changed_and_the_check_counts_its_rows():
    assert _describe("budget_lines.imported").sentence == (
        "Anna Price set the budget line Cardiff, 2027-28, Cluster funding to £125,000.00 from an uploaded file "
        "(it was £100,000.00)"
    )
    assert _describe("budget_lines.imported", before={}).sentence == (
        "Anna Price set up the budget line Cardiff, 2027-28, Cluster funding with £125,000.00 from an uploaded file"
    )
    assert _describe("finance_export.requested").sentence == (
        "Anna Price asked for the spend report as an Excel file to be prepared"
    )
    assert _describe("budget_lines.checked").sentence == (
        "Anna Price checked a file of 12 budget lines before applying it: 4 new, 3 changed, 5 unchanged"
    )


def test_contracts_from_a_file_read_as_brought_in_or_changed_and_the_check_counts_its_rows():
    assert _describe("contract.imported").sentence == (
        "Anna Price brought in contract CON-2027-0001, made before this service, with Alpha Care CIC for £36,000.00 "
        "from a file"
    )
    assert _describe("contract.imported", before={"total_value_pence": 30_000_00}).sentence == (
        "Anna Price changed contract CON-2027-0001, made before this service, from an uploaded file: now £36,000.00 "
        "(it was £30,000.00)"
    )
    assert _describe("contracts.checked").sentence == (
        "Anna Price checked a file of 3 contracts made before this service before applying it: 1 new, 1 changed, "
        "1 unchanged"
    )


def test_a_delivery_returns_review_reads_with_its_quarter_comments_and_version():
    assert _describe("delivery_return.accepted").sentence == (
        "Anna Price accepted the delivery return for Q2 2027-28 of contract CON-2027-0001"
    )
    assert _describe("delivery_return.queried").sentence == (
        "Anna Price queried the delivery return for Q2 2027-28 of contract CON-2027-0001, with 2 comments"
    )
    assert _describe("delivery_return.corrected").sentence == (
        "Anna Price corrected the accepted delivery return for Q2 2027-28 of contract CON-2027-0001, making version 3"
    )


def test_setting_the_viability_thresholds_reads_with_what_they_were():
    assert _describe("viability.thresholds_set").sentence == (
        "Anna Price set the viability thresholds to at least 3 services and £150,000.00 a year "
        "(they were 2 services and £100,000.00)"
    )


def test_money_and_the_records_an_event_names_are_in_words():
    assert _describe("budget.earmarked").sentence == (
        "Anna Price earmarked £80,000.00 on the budget line Cardiff, 2027-28, Cluster funding for specification "
        "CDV-2027-0002"
    )
    assert _describe("budget.committed").sentence == (
        "Anna Price committed £70,000.00 on the budget line Cardiff, 2027-28, Cluster funding for contract "
        "CON-2027-0001"
    )
    assert _describe("contract.made").sentence == (
        "Anna Price made contract CON-2027-0001 with Alpha Care CIC for £70,000.00"
    )
    assert _describe("budget.recommitted").sentence == (
        "Anna Price released the £70,000.00 committed for contract CON-2027-0001, to commit its changed values"
    )
    assert _describe("contract_variation.proposed").sentence == (
        "Anna Price proposed variation 2 to contract CON-2027-0001"
    )
    assert _describe("contract_variation.approved").sentence == (
        "Anna Price approved variation 2 to contract CON-2027-0001, making version 3"
    )
    assert _describe("contract_variation.rejected").sentence == (
        "Anna Price rejected variation 2 to contract CON-2027-0001"
    )
    assert _describe("contract.terminated").sentence == (
        "Anna Price terminated contract CON-2027-0001 with its last day of service on 15 August 2027, keeping "
        "£60,000.00 committed"
    )
    assert _describe("payment.approved").sentence == (
        "Anna Price approved the payment of £30,000.00 for quarter 1 of 2027-28 of contract CON-2027-0001"
    )
    assert _describe("payment.released").sentence == (
        "Anna Price released the withheld payment of £30,000.00 for quarter 2 of 2027-28 of contract CON-2027-0001"
    )
    assert _describe("contract.mobilised").sentence == (
        "Anna Price confirmed mobilisation, so contract CON-2027-0001 is live"
    )
    assert _describe("award.intended").sentence == (
        "Anna Price gave notice of the intention to award CDV-2027-0002 to Alpha Care CIC"
    )
    assert _describe("panel.member_named").sentence == (
        "Anna Price named Ellis Evans to the evaluation panel for CDV-2027-0002"
    )
    assert _describe("bid.moderated").sentence == (
        "Anna Price moderated the score for criterion 1 of the bid from Alpha Care CIC for CDV-2027-0002 to 4 out of 5"
    )


def test_a_cluster_population_set_reads_with_its_figure_source_and_date():
    assert _describe("cluster.population_set").sentence == (
        "Anna Price set the population of the cluster Cardiff North to 61,234 (Cardiff North cluster plan, "
        "October 2023)"
    )
    assert "Hydref 2023" in _describe("cluster.population_set", "cy").sentence
    undated = {**SAMPLES["cluster.population_set"][2], "population_as_of": None}
    assert _describe("cluster.population_set", after=undated).sentence == (
        "Anna Price set the population of the cluster Cardiff North to 61,234 (Cardiff North cluster plan, undated)"
    )


def test_times_in_a_sentence_are_in_uk_time_in_words():
    assert _describe("clock.set").sentence == "Anna Price moved the training clock to 1 July 2027 at 10:30"
    assert _describe("clock.set", "cy").sentence == "Symudodd Anna Price y cloc hyfforddi i 1 Gorffennaf 2027 am 10:30"


def test_the_data_decides_between_sentences_of_one_kind():
    assert _describe("user.language_set").sentence == "Anna Price chose to read the service in English"
    welsh = _describe("user.language_set", after={"language": "cy"})
    assert welsh.sentence == "Anna Price chose to read the service in Welsh"
    assert _describe("notification.read").sentence == "Anna Price read a notice"
    assert _describe("notification.read", entity_id="all").sentence == "Anna Price marked all their notices as read"
    conflicted = _describe("panel.interests_declared", after={"conflict": True})
    assert "declared a conflict of interest for CDV-2027-0002" in conflicted.sentence
    assert _describe("panel.interests_declared").sentence == (
        "Anna Price declared no conflict of interest for CDV-2027-0002"
    )


def test_a_sign_in_refused_names_the_account_not_the_visitor():
    assert _describe("user.sign_in_failed").sentence == "A sign-in to the account of Ellis Evans was refused"
    assert _describe("user.locked_out").sentence == "The account of Ellis Evans was locked after 5 failed sign-ins"
    assert _describe("user.sign_in_throttled").sentence == (
        "A sign-in to the account of Ellis Evans was turned away unchecked after too many failed attempts"
    )
    assert _describe("sign_in.failed_unknown_username").sentence == (
        "A sign-in with a username that names no account was refused"
    )


def test_ending_sign_ins_reads_differently_for_the_owner_and_for_an_administrator():
    assert _describe("api_token.revoked").sentence == "Anna Price revoked an API token of the account of Ellis Evans"
    assert (
        _describe("web_session.revoked").sentence == "Anna Price signed the account of Ellis Evans out of one browser"
    )
    assert (
        _describe("user.signed_out_everywhere").sentence
        == "Anna Price signed the account of Ellis Evans out everywhere"
    )
    own = {"by_owner": True}
    assert _describe("api_token.revoked", after=own).sentence == "Anna Price revoked one of their API tokens"
    assert _describe("web_session.revoked", after=own).sentence == "Anna Price signed out of one of their browsers"
    assert _describe("user.signed_out_everywhere", after=own).sentence == "Anna Price signed out everywhere"
    assert _describe("user.signed_out_everywhere", "cy", after=own).sentence == "Allgofnododd Anna Price ym mhobman"


def test_welsh_readers_read_welsh_sentences_with_welsh_names():
    assert _describe("specification.published", "cy").sentence == "Cyhoeddodd Anna Price y fanyleb CDV-2027-0002"
    changed = _describe("budget_line.changed", "cy")
    assert changed.sentence == (
        "Gosododd Anna Price y llinell gyllideb Caerdydd, 2027-28, Cyllid clwstwr ar £120,000.00 (roedd yn £100,000.00)"
    )
    assert changed.kind == "Cyllideb wedi'i newid"
    assert _describe("menu_service.loaded", "cy").record == "Y gwasanaeth Presgripsiynu Cymdeithasol"


def test_an_unknown_kind_of_event_reads_as_a_change_to_its_record_never_as_its_code():
    described = _describe("specification.published", action="specification.reviewed")
    assert described.sentence == "Anna Price made a change to specification CDV-2027-0002"
    assert described.kind == "Other changes"
    assert "reviewed" not in described.sentence
    welsh = _describe("specification.published", "cy", action="specification.reviewed")
    assert welsh.sentence == "Newidiodd Anna Price y fanyleb CDV-2027-0002"


def test_data_a_sentence_cannot_read_gives_the_readable_general_sentence():
    described = _describe("budget_line.changed", before={}, after={"amount_pence": "lots"})
    assert described.sentence == "Anna Price made a change to the budget line Cardiff, 2027-28, Cluster funding"


def test_a_record_whose_row_is_missing_is_named_by_its_kind_never_by_its_id():
    event = _event("specification.published")._replace(entity_id="123")
    described = rules.describe(event, actor="Anna Price", records={}, names=NAMES, language="en")
    assert described.sentence == "Anna Price published a specification"
    assert described.record == "A specification"
    unknown = event._replace(entity_type="Widget", action="widget.made")
    assert rules.describe(unknown, actor="Anna Price", records={}, names={}, language="en").sentence == (
        "Anna Price made a change to a record"
    )


def test_each_kind_of_record_is_named_by_its_words():
    for entity_type, facts in RECORD_FACTS.items():
        words = rules.record_words(facts, NAMES, "en")
        phrase = rules.record_phrase(entity_type, words, "en")
        assert phrase != translate_in("en", RECORDS[entity_type].unnamed) or not RECORDS[entity_type].needs
        assert not CODE.search(phrase), phrase
    assert rules.record_phrase("Bid", {"vehicle": "Alpha Care CIC"}, "en") == "a bid"


def test_a_budget_line_reads_as_pcpg_year_and_stream_in_either_language():
    assert rules.budget_line_label("Cardiff", 2027, "cluster_funding", "en") == "Cardiff, 2027-28, Cluster funding"
    assert rules.budget_line_label("Caerdydd", 2027, "cluster_funding", "cy") == "Caerdydd, 2027-28, Cyllid clwstwr"
    assert rules.budget_line_label("Cardiff", 2026, "something_new", "en") == "Cardiff, 2026-27, Other"


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_budget_line_reads_in_the_trail_as_it_does_on_the_budget_pages(language):
    """finance.rules names a line in the request's language; the trail names it in a language given (a CSV's)."""
    from core.i18n import current_language
    from finance.rules import budget_line_label

    token = current_language.set(language)
    try:
        on_its_page = budget_line_label(
            pcpg="Cardiff", pcpg_cy="Caerdydd", financial_year=2027, funding_stream="regional_integration_fund"
        )
    finally:
        current_language.reset(token)
    name = "Caerdydd" if language == "cy" else "Cardiff"
    assert rules.budget_line_label(name, 2027, "regional_integration_fund", language) == on_its_page


def test_welsh_words_are_used_where_a_row_has_them():
    assert rules.localised({"name": "Cardiff", "name_cy": "Caerdydd"}, "name", "cy") == "Caerdydd"
    assert rules.localised({"name": "Cardiff", "name_cy": ""}, "name", "cy") == "Cardiff"
    assert rules.localised({"name": "Cardiff", "name_cy": "Caerdydd"}, "name", "en") == "Cardiff"


def test_who_acted_is_a_name_the_service_or_someone_not_signed_in():
    assert rules.who(7, "anna", NAMES, "en") == "Anna Price"
    assert rules.who(99, "gone", NAMES, "en") == "gone"
    assert rules.who(None, "system", NAMES, "en") == "The service (automatic)"
    assert rules.who(None, "anonymous", NAMES, "cy") == "Rhywun heb fewngofnodi"


def test_the_records_an_event_names_are_its_own_and_those_in_its_data():
    event = _event("contract.made")
    assert rules.records_named(event) == [
        ("Contract", "1"),
        ("Specification", "2"),
        ("DeliveryVehicle", "5"),
    ]
    assert rules.records_named(event._replace(after={"specification_id": True})) == [("Contract", "1")]


def test_every_label_names_one_kind_only():
    for table in (KINDS, RECORDS):
        labels = [kind.label for kind in table.values()]
        assert len(labels) == len(set(labels))


def test_welsh_sentences_use_the_same_words_as_the_english():
    """A translation that drops or renames a placeholder would fall back to the general sentence."""
    welsh = translations("cy")
    for message in [kind.sentence for kind in KINDS.values()] + [kind.phrase for kind in RECORDS.values()]:
        translated = welsh.gettext(message)
        assert translated != message or not re.search(r"[a-z]{3}", message.replace("%(", "")), message
        assert set(re.findall(r"%\(\w+\)s", translated)) == set(re.findall(r"%\(\w+\)s", message)), message


# Filters


def test_signing_in_and_out_is_left_out_unless_asked_for():
    assert rules.leaves_out_sign_ins(None, sign_ins=False)
    assert rules.leaves_out_sign_ins("specification.published", sign_ins=False)
    assert not rules.leaves_out_sign_ins(None, sign_ins=True)
    assert not rules.leaves_out_sign_ins("user.signed_in", sign_ins=False)
    assert {"user.signed_in", "user.signed_out"} <= SIGN_IN_ACTIONS


def test_a_range_of_uk_days_covers_them_from_midnight_to_midnight_in_gmt_or_bst():
    summer = rules.period(date(2027, 7, 1), date(2027, 7, 1))
    assert summer == (datetime(2027, 6, 30, 23, 0, tzinfo=UTC), datetime(2027, 7, 1, 23, 0, tzinfo=UTC))
    winter = rules.period(date(2027, 1, 5), date(2027, 1, 6))
    assert winter == (datetime(2027, 1, 5, 0, 0, tzinfo=UTC), datetime(2027, 1, 7, 0, 0, tzinfo=UTC))
    clocks_go_forward = rules.period(date(2027, 3, 28), date(2027, 3, 28))
    assert clocks_go_forward == (datetime(2027, 3, 28, 0, 0, tzinfo=UTC), datetime(2027, 3, 28, 23, 0, tzinfo=UTC))
    assert rules.period(None, None) == (None, None)
    assert rules.period(date(2027, 1, 5), None) == (datetime(2027, 1, 5, tzinfo=UTC), None)
    assert rules.period(None, date(2027, 1, 5)) == (None, datetime(2027, 1, 6, tzinfo=UTC))


def test_the_last_day_cannot_come_before_the_first():
    assert rules.date_range_problem(date(2027, 1, 5), date(2027, 1, 4))
    assert rules.date_range_problem(date(2027, 1, 5), date(2027, 1, 5)) is None
    assert rules.date_range_problem(None, date(2027, 1, 4)) is None
    assert rules.date_range_problem(date(2027, 1, 5), None) is None


def test_a_day_is_read_from_its_three_boxes():
    assert rules.typed_day("", " ", "") is None
    assert rules.typed_day("1", "4", "2027") == date(2027, 4, 1)
    assert rules.typed_day(" 01", "04 ", "2027") == date(2027, 4, 1)
    refused = (("31", "2", "2027"), ("1", "4", "27"), ("1", "", "2027"), ("first", "4", "2027"), ("1", "13", "2027"))
    for parts in refused:
        with pytest.raises(ValueError):
            rules.typed_day(*parts)


def test_the_filter_names_a_person_by_id_or_as_the_service():
    assert rules.person_key(7, "anna") == "7"
    assert rules.person_key(None, "system") == "system"
    assert rules.person_key(None, "anonymous") == "anonymous"


def test_a_filter_list_is_sorted_by_its_words_with_the_others_last():
    labels = {"b.x": "Bid submitted", "a.x": "Account created", "c.x": "budget changed"}
    assert rules.choices(["c.x", "b.x", "zz.unknown", "a.x", "b.x"], labels, other="Other changes") == [
        ("a.x", "Account created"),
        ("b.x", "Bid submitted"),
        ("c.x", "budget changed"),
        (OTHER, "Other changes"),
    ]
    assert rules.choices(["b.x"], labels, other="Other changes") == [("b.x", "Bid submitted")]
    assert rules.choices(["b.x", "zz"], labels) == [("b.x", "Bid submitted")]


def test_a_csv_cell_never_starts_like_a_formula():
    assert rules.csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert rules.csv_cell("+44 29") == "'+44 29"
    assert rules.csv_cell("-1") == "'-1"
    assert rules.csv_cell("@SUM") == "'@SUM"
    assert rules.csv_cell("Anna Price") == "Anna Price"
    assert rules.csv_cell("") == ""


# Pinned by mutation testing (scripts/mutate audit/rules.py)


def test_a_record_names_a_person_or_a_budget_line_only_when_it_has_their_words():
    assert rules.record_words({"reference": "CDV-2027-0002", "person_id": 99}, NAMES, "en") == {
        "reference": "CDV-2027-0002"
    }
    assert rules.record_words({"reference": "CDV-2027-0002", "person_id": 7}, NAMES, "en")["person"] == "Anna Price"
    assert rules.record_words({"name": "X", "financial_year": 2027}, NAMES, "en") == {"name": "X"}
    assert rules.record_words({"name": "X", "pcpg": "Cardiff"}, NAMES, "en") == {"name": "X"}


def test_a_kind_of_record_has_its_own_label_and_an_unknown_one_the_general_label():
    assert rules.record_kind_label("Specification") == RECORDS["Specification"].label
    assert rules.record_kind_label("Widget") != RECORDS["Specification"].label
    assert rules.record_kind_label("Widget") == rules.record_kind_label("Gadget")


def test_only_the_anonymous_account_is_someone_not_signed_in():
    """`admin` and `zed` sort either side of `anonymous`: neither is a visitor."""
    for username in ("admin", "zed"):
        assert rules.who(None, username, NAMES, "en") == "The service (automatic)"
        assert rules.person_key(None, username) == "system"


@pytest.mark.parametrize("after", [{}, {"amount_pence": None}, {"amount_pence": "lots"}])
def test_data_missing_of_the_wrong_type_or_unreadable_gives_the_general_sentence(after):
    described = _describe("budget_line.changed", before={"amount_pence": 100}, after=after)
    assert described.sentence == "Anna Price made a change to the budget line Cardiff, 2027-28, Cluster funding"


def test_a_range_whose_last_day_is_after_its_first_is_fine():
    assert rules.date_range_problem(date(2027, 1, 4), date(2027, 1, 5)) is None


def test_a_year_has_four_figures_no_more():
    with pytest.raises(ValueError):
        rules.typed_day("1", "4", "02027")


def test_a_filter_list_follows_its_words_not_its_values_and_ties_by_value():
    labels = {"a.x": "Zebra", "b.x": "apple", "d.x": "Same", "c.x": "same"}
    assert rules.choices(labels, labels) == [("b.x", "apple"), ("c.x", "same"), ("d.x", "Same"), ("a.x", "Zebra")]


def test_reminders_and_performance_ratings_read_with_their_counts_and_year():
    assert _describe("delivery_returns.reminded").sentence == "Anna Price sent 3 reminders about 2 delivery returns"
    assert _describe("performance_rating.recorded").sentence == (
        "Anna Price rated the performance of contract CON-2027-0001 in 2027-28"
    )
