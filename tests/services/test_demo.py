"""The demo the README's first command serves is made by the app's own services, so a rule that tightens (a bid only
in a cluster the vehicle serves) must keep the demo possible: this builds it in the test database. Its contracts give
every contracts page something to show (issue 12, item 9)."""

from __future__ import annotations

from datetime import UTC, datetime

from accounts.queries import actor_for_user
from accounts.tables import User
from api.demo import make_demo
from audit.queries import verify_chain
from commissioning.rules import BidStatus, SpecificationStatus
from commissioning.tables import Bid, Specification
from contracts import rules
from contracts.queries.viability import current_financial_year, viability_report
from contracts.rules import ContractStatus, VariationStatus, Viability
from contracts.tables import Contract, ContractAllocation, ContractCluster, ContractVariation, ContractYear
from finance.queries import ledger_report
from finance.schemas import LedgerFilterIn
from finance.tables import BudgetCommitment
from organisations.tables import Cluster
from returns import rules as return_rules
from returns.queries.outcomes import contract_outcomes
from returns.rules import PaymentStatus, ReturnStatus
from returns.spc import LimitsStatus
from returns.tables import DeliveryReturn, Payment, PerformanceRating, ReturnQuery


async def _actor(username: str):
    row = await User.select(User.id).where(User.username == username).first()
    actor = await actor_for_user(row["id"])
    assert actor is not None
    return actor


async def _row_counts() -> dict[str, int]:
    from piccolo_conf import APP_REGISTRY

    return {
        table._meta.tablename: await table.count()
        for app in APP_REGISTRY.app_configs.values()
        for table in app.table_classes
    }


async def test_the_demo_builds_with_a_specification_in_each_state_bids_and_a_contract():
    summary = await make_demo(password="demo-password", reset=False)
    assert summary.startswith("demo ready")
    statuses = {row["status"] for row in await Specification.select(Specification.status)}
    assert {SpecificationStatus.DRAFT, SpecificationStatus.PUBLISHED, SpecificationStatus.AWARDED} <= statuses
    assert await Bid.count().where(Bid.status == BidStatus.SUBMITTED) >= 4
    assert await Contract.count() >= 1


async def test_the_demo_has_contracts_in_every_status_for_both_providers_and_vehicles_at_risk_and_below():
    await make_demo(password="demo-password", reset=False)
    contracts = await Contract.select(Contract.id, Contract.status, Contract.delivery_vehicle, Contract.version)
    assert {row["status"] for row in contracts} == set(ContractStatus)
    provider, provider2 = await _actor("provider"), await _actor("provider2")
    holders = {row["delivery_vehicle"] for row in contracts}
    assert {provider.delivery_vehicle_id, provider2.delivery_vehicle_id} <= holders

    variations = await ContractVariation.select()
    approved = [v for v in variations if v["status"] == VariationStatus.APPROVED]
    pending = [v for v in variations if v["status"] == VariationStatus.PROPOSED]
    assert approved and pending
    varied = next(row for row in contracts if row["id"] == approved[0]["contract"])
    assert varied["version"] == 2  # the approval made a new version: the history and public page show a change
    # the pending one can be decided on screen by someone other than its proposer: the national administrator
    assert pending[0]["proposed_by_username"] != "admin"

    # a cluster without a known population, split explicitly
    unknown = {row["id"] for row in await Cluster.select(Cluster.id).where(Cluster.population.is_null())}
    explicit = await ContractAllocation.select(ContractAllocation.contract, ContractAllocation.cluster).where(
        ContractAllocation.method == "explicit"
    )
    assert any(row["cluster"] in unknown for row in explicit)
    covered = await ContractCluster.select(ContractCluster.contract).where(ContractCluster.cluster.is_in(unknown))
    assert {row["contract"] for row in explicit} <= {row["contract"] for row in covered}

    admin = await _actor("admin")
    year = current_financial_year(datetime.now(UTC))
    report = await viability_report(actor=admin, financial_year=year)
    standing = {item.delivery_vehicle_id: item.years[0].status for item in report.items}
    assert standing[provider.delivery_vehicle_id] is Viability.AT_RISK
    assert standing[provider2.delivery_vehicle_id] is Viability.BELOW
    assert report.thresholds.is_default is False  # set by the national administrator, so the page names who


async def test_every_ledger_line_reconciles_the_chain_holds_and_a_second_run_adds_nothing():
    await make_demo(password="demo-password", reset=False)
    admin = await _actor("admin")
    ledger = await ledger_report(actor=admin, filters=LedgerFilterIn(), limit=None)
    assert ledger.items
    held: dict[int, int] = {}
    for row in await BudgetCommitment.select().where(BudgetCommitment.released_at.is_null()):
        held[row["budget_line"]] = held.get(row["budget_line"], 0) + int(row["amount_pence"])
    # what each contract should hold on its lines: its years' values, and after a termination the quarters kept
    expected: dict[int, int] = {}
    years = await ContractYear.select(
        ContractYear.budget_line,
        ContractYear.financial_year,
        ContractYear.value_pence,
        ContractYear.contract.status.as_alias("status"),
        ContractYear.contract.terminated_on.as_alias("terminated_on"),
    )
    for row in years:
        value = int(row["value_pence"])
        if row["status"] == ContractStatus.TERMINATED:
            value = rules.retained_values({row["financial_year"]: value}, row["terminated_on"])[row["financial_year"]]
        expected[row["budget_line"]] = expected.get(row["budget_line"], 0) + value
    assert any(v > 0 for v in expected.values())
    assert any(line.actual_pence > 0 for line in ledger.items)  # approved payments are actual spend
    for line in ledger.items:
        assert line.budget_pence == (
            line.earmarked_pence + line.committed_unspent_pence + line.headroom_pence + line.actual_pence
        ), line
        assert line.headroom_pence >= 0, line
        assert line.committed_pence == held.get(line.budget_line_id, 0) == expected.get(line.budget_line_id, 0), line

    chain = await verify_chain()
    assert chain.intact, chain.problem
    before = await _row_counts()
    await make_demo(password="demo-password", reset=False)
    assert await _row_counts() == before
    assert (await verify_chain()).intact


async def test_the_demo_has_returns_in_every_state_a_trend_with_process_limits_payments_and_a_rating():
    await make_demo(password="demo-password", reset=False)
    today = datetime.now(UTC).date()
    returns = await DeliveryReturn.select()
    assert {row["status"] for row in returns} == set(ReturnStatus)
    overdue = [r for r in returns if return_rules.is_overdue(ReturnStatus(r["status"]), r["due_on"], today)]
    assert overdue, "some returns are past their due day and not submitted"
    assert any(r["status"] == ReturnStatus.DRAFT for r in overdue)  # a draft started late, not only empty ones
    queried = [r for r in returns if r["status"] == ReturnStatus.QUERIED]
    comments = await ReturnQuery.select().where(ReturnQuery.delivery_return.is_in([r["id"] for r in queried]))
    assert comments and all(c["comment"].strip() for c in comments)

    # the provider and commissioner did their parts: the accepter is never the payer
    accepted = [r for r in returns if r["status"] == ReturnStatus.ACCEPTED]
    assert {r["submitted_by_username"] for r in accepted} <= {"provider", "provider2"}
    assert {r["decided_by_username"] for r in accepted} == {"commissioner"}

    # one contract has twelve accepted quarters: its outcomes chart shows settled process limits, not the note that
    # there are too few values
    by_contract: dict[int, int] = {}
    for r in accepted:
        by_contract[r["contract"]] = by_contract.get(r["contract"], 0) + 1
    longest, count = max(by_contract.items(), key=lambda item: item[1])
    assert count >= 12
    commissioner = await _actor("commissioner")
    outcomes = await contract_outcomes(actor=commissioner, contract_id=longest, now=datetime.now(UTC))
    assert outcomes.kpis
    for kpi in outcomes.kpis:
        assert kpi.spc.limits is not None, kpi.name
        assert kpi.spc.limits_status is LimitsStatus.SETTLED, kpi.name
        assert not any(note.startswith("Too few values") for note in kpi.spc.notes), kpi.spc.notes
    # negative control: a contract with fewer accepted quarters has no settled limits
    shorter = min(by_contract, key=lambda contract: by_contract[contract])
    few = await contract_outcomes(actor=commissioner, contract_id=shorter, now=datetime.now(UTC))
    assert all(kpi.spc.limits_status is not LimitsStatus.SETTLED for kpi in few.kpis)

    payments = await Payment.select()
    approved = [p for p in payments if p["status"] == PaymentStatus.APPROVED]
    withheld = [p for p in payments if p["status"] == PaymentStatus.WITHHELD]
    assert approved and len(withheld) == 1
    assert withheld[0]["reason"].strip()
    assert {p["decided_by_username"] for p in payments} == {"finance"}
    assert await PerformanceRating.count().where(PerformanceRating.contract == longest) > 0


async def test_the_demo_has_needs_of_each_source_linked_to_priorities_and_engagement_on_each_kind_of_thing():
    from needs.tables import Engagement, Need, NeedPlanPriority

    await make_demo(password="demo-password", reset=False)
    assert {row["source"] for row in await Need.select(Need.source)} == {"pna", "cluster", "collaborative"}
    assert {row["priority"] for row in await Need.select(Need.priority)} == {"high", "medium", "low"}
    assert await NeedPlanPriority.count() >= 3
    about = await Engagement.select(Engagement.need, Engagement.plan_priority, Engagement.specification)
    assert all(sum(row[k] is not None for k in row) == 1 for row in about)
    assert [sum(row[k] is not None for row in about) for k in ("need", "plan_priority", "specification")] == [1, 1, 1]
    published = (
        await Specification.select(Specification.status)
        .where(Specification.id == next(row["specification"] for row in about if row["specification"]))
        .first()
    )
    assert published["status"] == SpecificationStatus.PUBLISHED


async def test_the_demo_has_vehicles_in_each_autonomy_tier_with_a_reason():
    from returns.autonomy.queries import get_vehicle_autonomy

    await make_demo(password="demo-password", reset=False)
    now = datetime.now(UTC)
    admin = await _actor("admin")
    tiers = {}
    for username in ("provider", "provider2", "provider3"):
        vehicle_id = (await _actor(username)).delivery_vehicle_id
        out = await get_vehicle_autonomy(actor=admin, delivery_vehicle_id=vehicle_id, now=now)
        tiers[username] = out.tier.value
        if out.history:
            assert out.history[0].reason.startswith("Demo:")
    assert tiers == {"provider": "high", "provider2": "earned", "provider3": "standard"}
