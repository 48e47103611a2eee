"""The line of sight put together (lineofsight.rules.build_tree): a priority answering two needs is under both, what
leads nowhere is a gap, and every contract is shown once, in the tree or beside it."""

from __future__ import annotations

from accounts.actor import Role
from commissioning.queries.sight import PrioritySightOut, SpecificationSightOut
from commissioning.rules import SpecificationStatus
from contracts.queries.sight import ContractSightOut
from contracts.rules import ContractStatus
from lineofsight.rules import NeedIn, build_tree, specification_href
from returns.queries.sight import KpiSightOut
from returns.rules import RAG


def _priority(i: int) -> PrioritySightOut:
    return PrioritySightOut(plan_priority_id=i, title=f"Priority {i}", plan="Plan", pcpg_id=1, cluster_ids=[])


def _specification(i: int, priority: int | None, status: SpecificationStatus = SpecificationStatus.AWARDED):
    return SpecificationSightOut(
        specification_id=i,
        reference=f"CDV-{i}",
        title=f"Specification {i}",
        status=status,
        status_label=status.label,
        status_tag=status.tag,
        plan_priority_id=priority,
        pcpg_id=1,
        cluster_ids=[],
    )


def _contract(i: int, specification: int | None) -> ContractSightOut:
    return ContractSightOut(
        contract_id=i,
        reference=f"CON-{i}",
        title=f"Contract {i}",
        delivery_vehicle="A CIC",
        status=ContractStatus.LIVE,
        status_label="Live",
        status_tag="",
        specification_id=specification,
        pcpg_id=1,
    )


def _kpi(rag: RAG) -> KpiSightOut:
    return KpiSightOut(
        contract_kpi_id=1,
        name="KPI",
        rag=rag,
        rag_label=rag.label,
        rag_tag=rag.tag,
        period=None,
        value=None,
        trend=None,
        trend_label="",
    )


def _tree(role: Role = Role.COMMISSIONER):
    return build_tree(
        needs=[
            NeedIn(1, "Obesity", "PNA", "High", 1000, (10,)),
            NeedIn(2, "Inactivity", "Local", "Medium", None, (10, 11)),
            NeedIn(3, "Loneliness", "Local", "Low", None, ()),
        ],
        priorities=[_priority(10), _priority(11), _priority(12)],
        specifications=[
            _specification(100, 10),
            _specification(101, 11, SpecificationStatus.DRAFT),
            _specification(102, None),
        ],
        contracts=[_contract(1000, 100), _contract(1001, 102), _contract(1002, None), _contract(1003, 999)],
        kpis={1000: [_kpi(RAG.RED), _kpi(RAG.GREEN)], 1001: [_kpi(RAG.AMBER)]},
        money={},
        role=role,
    )


def test_a_priority_answering_two_needs_is_under_both_and_one_answering_none_stands_apart():
    tree = _tree()
    under = {need.title: [p.plan_priority_id for p in need.priorities] for need in tree.needs}
    assert under == {"Obesity": [10], "Inactivity": [10, 11], "Loneliness": []}
    assert [p.plan_priority_id for p in tree.priorities_without_need] == [12]
    assert [s.specification_id for s in tree.specifications_without_priority] == [102]


def test_the_gaps_are_what_leads_nowhere():
    gaps = _tree().gaps
    assert [g.item_id for g in gaps.needs_without_priority] == [3]
    assert [g.item_id for g in gaps.priorities_without_specification] == [12]
    assert [g.item_id for g in gaps.specifications_without_contract] == [101]
    assert [g.item_id for g in gaps.contracts_with_red_kpis] == [1000]


def test_every_contract_is_shown_once_in_the_tree_or_beside_it():
    tree = _tree()
    in_tree = {c.contract_id for p in tree.priorities_without_need for s in p.specifications for c in s.contracts}
    in_tree |= {c.contract_id for n in tree.needs for p in n.priorities for s in p.specifications for c in s.contracts}
    in_tree |= {c.contract_id for s in tree.specifications_without_priority for c in s.contracts}
    apart = [c.contract_id for c in tree.contracts_without_specification]
    assert apart == [1002, 1003], "made before this service, or awarded from a specification not in view"
    assert in_tree == {1000, 1001} and not in_tree & set(apart)


def test_a_draft_is_linked_only_for_commissioners():
    draft = _specification(101, 11, SpecificationStatus.DRAFT)
    assert specification_href(draft, Role.COMMISSIONER) == "/specifications/101"
    assert specification_href(draft, Role.FINANCE_DIRECTOR) == ""
    assert specification_href(_specification(100, 10), Role.FINANCE_DIRECTOR) == "/specifications/100"
    drafts = [g.href for g in _tree(Role.NATIONAL_ADMIN).gaps.specifications_without_contract]
    assert drafts == [""]
