"""The line of sight put together from what each domain reads (pure: values in, the tree out), and the gaps it
shows. The programme behind the service asks for "a clear line of sight from the local front line ... through to the
RPB" (the Accelerated Cluster Development programme, ../shared/seeds/): every pound traced from the need it answers
to the outcome it bought, and what does not lead on named, not hidden:

- a need no plan priority answers;
- a plan priority no specification answers (a cancelled specification answers nothing);
- a specification with no contract holding a value in the year;
- a contract with a KPI rated red in its latest accepted quarter.

A plan priority answering several needs is shown under each; one answering no need recorded here, a specification
answering no priority, and a contract made before this service (no specification) are listed apart, so that every
contract in the place is shown once in the tree or beside it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from accounts.actor import Role
from commissioning.queries.sight import PrioritySightOut, SpecificationSightOut
from commissioning.rules import SpecificationStatus
from contracts.queries.sight import ContractSightOut
from finance.spend.contract_money import ContractMoneyOut
from lineofsight.schemas import (
    ContractLeaf,
    GapOut,
    GapsOut,
    NeedBranch,
    PriorityBranch,
    SpecificationBranch,
)
from returns.queries.sight import KpiSightOut
from returns.rules import RAG


@dataclass(frozen=True)
class NeedIn:
    """A need as the needs domain records it, with the plan priorities that answer it."""

    need_id: int
    title: str
    source: str
    priority_label: str
    population_affected: int | None
    plan_priority_ids: tuple[int, ...]


@dataclass(frozen=True)
class Tree:
    needs: list[NeedBranch]
    priorities_without_need: list[PriorityBranch]
    specifications_without_priority: list[SpecificationBranch]
    contracts_without_specification: list[ContractLeaf]
    gaps: GapsOut


def specification_href(specification: SpecificationSightOut, role: Role | None) -> str:
    """A draft is seen only by its commissioners; any other specification has its public page."""
    if specification.status is SpecificationStatus.DRAFT and role is not Role.COMMISSIONER:
        return ""
    return f"/specifications/{specification.specification_id}"


def build_tree(
    *,
    needs: Sequence[NeedIn],
    priorities: Sequence[PrioritySightOut],
    specifications: Sequence[SpecificationSightOut],
    contracts: Sequence[ContractSightOut],
    kpis: Mapping[int, list[KpiSightOut]],
    money: Mapping[int, ContractMoneyOut],
    role: Role | None,
) -> Tree:
    leaves = {
        c.contract_id: ContractLeaf(
            contract_id=c.contract_id,
            reference=c.reference,
            title=c.title,
            delivery_vehicle=c.delivery_vehicle,
            status_label=c.status_label,
            status_tag=c.status_tag,
            kpis=list(kpis.get(c.contract_id, [])),
            red_kpis=sum(1 for kpi in kpis.get(c.contract_id, []) if kpi.rag is RAG.RED),
            money=money.get(c.contract_id) or ContractMoneyOut(contract_id=c.contract_id),
        )
        for c in contracts
    }
    by_specification: dict[int, list[ContractLeaf]] = {}
    for c in contracts:
        if c.specification_id is not None:
            by_specification.setdefault(c.specification_id, []).append(leaves[c.contract_id])
    branches = {
        s.specification_id: SpecificationBranch(
            specification_id=s.specification_id,
            reference=s.reference,
            title=s.title,
            status_label=s.status_label,
            status_tag=s.status_tag,
            href=specification_href(s, role),
            contracts=by_specification.get(s.specification_id, []),
        )
        for s in specifications
    }
    shown_priorities = {p.plan_priority_id for p in priorities}
    by_priority: dict[int, list[SpecificationBranch]] = {}
    for s in specifications:
        if s.plan_priority_id is not None and s.plan_priority_id in shown_priorities:
            by_priority.setdefault(s.plan_priority_id, []).append(branches[s.specification_id])
    priority_branches = {
        p.plan_priority_id: PriorityBranch(
            plan_priority_id=p.plan_priority_id,
            title=p.title,
            plan=p.plan,
            specifications=by_priority.get(p.plan_priority_id, []),
        )
        for p in priorities
    }
    answered: set[int] = set()
    need_branches = []
    for need in needs:
        linked = [priority_branches[i] for i in need.plan_priority_ids if i in priority_branches]
        answered |= {branch.plan_priority_id for branch in linked}
        need_branches.append(
            NeedBranch(
                need_id=need.need_id,
                title=need.title,
                source=need.source,
                priority_label=need.priority_label,
                population_affected=need.population_affected,
                priorities=linked,
            )
        )
    gaps = GapsOut(
        needs_without_priority=[
            GapOut(kind="need", item_id=n.need_id, name=n.title, href=f"/needs/{n.need_id}")
            for n in need_branches
            if not n.priorities
        ],
        priorities_without_specification=[
            GapOut(
                kind="plan_priority",
                item_id=p.plan_priority_id,
                name=p.title,
                href=f"/plans#priority-{p.plan_priority_id}",
            )
            for p in priority_branches.values()
            if not p.specifications
        ],
        specifications_without_contract=[
            GapOut(
                kind="specification",
                item_id=s.specification_id,
                name=f"{s.reference}: {s.title}",
                href=specification_href(s, role),
            )
            for s in specifications
            if not branches[s.specification_id].contracts
        ],
        contracts_with_red_kpis=[
            GapOut(
                kind="contract",
                item_id=leaf.contract_id,
                name=f"{leaf.reference}: {leaf.title}",
                href=f"/contracts/{leaf.contract_id}",
            )
            for leaf in leaves.values()
            if leaf.red_kpis
        ],
    )
    return Tree(
        needs=need_branches,
        priorities_without_need=[branch for i, branch in priority_branches.items() if i not in answered],
        specifications_without_priority=[
            branches[s.specification_id] for s in specifications if s.plan_priority_id not in shown_priorities
        ],
        contracts_without_specification=[
            leaves[c.contract_id] for c in contracts if c.specification_id is None or c.specification_id not in branches
        ],
        gaps=gaps,
    )
