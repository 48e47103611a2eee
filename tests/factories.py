"""factory-boy factories building unsaved Piccolo rows for every table, and `save()` to store one with its parents."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import factory
from piccolo.table import Table

from accounts.actor import Role
from accounts.rules import hash_password
from accounts.tables import ApiToken, PasswordLink, SignInFailure, User, UserPcpg, WebSession
from administration.tables import ClockSetting
from audit.tables import AuditEvent
from organisations.tables import (
    Cluster,
    DeliveryVehicle,
    DeliveryVehicleCluster,
    HealthBoard,
    LocalAuthority,
    Pcpg,
    RegionalPartnershipBoard,
)

PASSWORD = "test-password-123"
_PASSWORD_HASH = hash_password(PASSWORD)
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


async def save(row: Table) -> Table:
    """Save a factory-built row, saving unsaved parent rows (foreign keys holding Table instances) first."""
    for column in row._meta.foreign_key_columns:
        parent = getattr(row, column._meta.name)
        if isinstance(parent, Table):
            if not getattr(parent, "_exists_in_db", False):
                await save(parent)
            setattr(row, column._meta.name, parent.id)
    await row.save()
    return row


class HealthBoardFactory(factory.Factory):
    class Meta:
        model = HealthBoard

    name = factory.Sequence(lambda n: f"Test Health Board {n}")
    name_cy = factory.Sequence(lambda n: f"Bwrdd Iechyd Prawf {n}")
    short_name = factory.Sequence(lambda n: f"THB{n}")


class RegionalPartnershipBoardFactory(factory.Factory):
    class Meta:
        model = RegionalPartnershipBoard

    name = factory.Sequence(lambda n: f"Test RPB {n}")
    name_cy = factory.Sequence(lambda n: f"BPR Prawf {n}")
    health_board = factory.SubFactory(HealthBoardFactory)


class PcpgFactory(factory.Factory):
    class Meta:
        model = Pcpg

    name = factory.Sequence(lambda n: f"Test PCPG {n}")
    name_cy = factory.Sequence(lambda n: f"GCC Prawf {n}")
    health_board = factory.SubFactory(HealthBoardFactory)
    effective_from_on = date(2023, 4, 1)


class LocalAuthorityFactory(factory.Factory):
    class Meta:
        model = LocalAuthority

    name = factory.Sequence(lambda n: f"Test County {n}")
    name_cy = factory.Sequence(lambda n: f"Sir Prawf {n}")
    health_board = factory.SubFactory(HealthBoardFactory)
    regional_partnership_board = factory.SubFactory(RegionalPartnershipBoardFactory)
    pcpg = factory.SubFactory(PcpgFactory)


class ClusterFactory(factory.Factory):
    class Meta:
        model = Cluster

    name = factory.Sequence(lambda n: f"Test Cluster {n}")
    seed_number = factory.Sequence(lambda n: 1000 + n)
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    pcpg = factory.SubFactory(PcpgFactory)
    health_board = factory.SubFactory(HealthBoardFactory)
    population = 40_000
    population_source = "test"
    effective_from_on = date(2023, 4, 1)


class DeliveryVehicleFactory(factory.Factory):
    class Meta:
        model = DeliveryVehicle

    name = factory.Sequence(lambda n: f"Test Delivery Vehicle {n} CIC")
    legal_form = "cic"
    companies_house_number = factory.Sequence(lambda n: f"{10_000_000 + n:08d}")
    contact_name = "Test Contact"
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")
    status = "approved"
    registered_at = NOW
    registered_by_username = "provider"


class DeliveryVehicleClusterFactory(factory.Factory):
    class Meta:
        model = DeliveryVehicleCluster

    delivery_vehicle = factory.SubFactory(DeliveryVehicleFactory)
    cluster = factory.SubFactory(ClusterFactory)


class UserFactory(factory.Factory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password_hash = _PASSWORD_HASH
    role = Role.NATIONAL_ADMIN.value
    language = "en"
    created_at = NOW


class UserPcpgFactory(factory.Factory):
    class Meta:
        model = UserPcpg

    user = factory.SubFactory(UserFactory, role=Role.COMMISSIONER.value)
    pcpg = factory.SubFactory(PcpgFactory)


class WebSessionFactory(factory.Factory):
    class Meta:
        model = WebSession

    key_hash = factory.Sequence(lambda n: f"{n:064d}")
    user = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(lambda: datetime.now(UTC))  # a sign-in idle since long ago has ended
    expires_at = factory.LazyFunction(lambda: datetime.now(UTC) + timedelta(hours=1))


class ApiTokenFactory(factory.Factory):
    class Meta:
        model = ApiToken

    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    user = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(lambda: datetime.now(UTC))  # a sign-in idle since long ago has ended
    expires_at = factory.LazyFunction(lambda: datetime.now(UTC) + timedelta(hours=1))


class PasswordLinkFactory(factory.Factory):
    """A stored link's digest only (accounts.services.passwords makes real ones, with their token)."""

    class Meta:
        model = PasswordLink

    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    user = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(lambda: datetime.now(UTC))  # a sign-in idle since long ago has ended
    expires_at = factory.LazyFunction(lambda: datetime.now(UTC) + timedelta(hours=24))


class SignInFailureFactory(factory.Factory):
    """A failed sign-in counted against a key (accounts.rules.failure_key makes real ones)."""

    class Meta:
        model = SignInFailure

    key_hash = factory.Sequence(lambda n: f"{n:064x}")
    failed_at = factory.LazyFunction(lambda: datetime.now(UTC))


class AuditEventFactory(factory.Factory):
    """Rows for tests of verification only: real events come from `operation()`."""

    class Meta:
        model = AuditEvent

    sequence = factory.Sequence(lambda n: 1_000_000 + n)
    occurred_at = NOW
    action = "test.happened"
    entity_type = "Test"
    entity_id = "1"
    previous_hash = "0" * 64
    event_hash = factory.Sequence(lambda n: f"{n:064x}")


class ClockSettingFactory(factory.Factory):
    class Meta:
        model = ClockSetting

    offset_seconds = 86_400
    offset_microseconds = factory.LazyAttribute(lambda row: row.offset_seconds * 1_000_000)
    set_at = NOW
    set_by_username = "admin"


async def reference_id(table: type[Table], name: str) -> int:
    row = await table.select(table.id).where(table.name == name).first()  # type: ignore[attr-defined]
    assert row is not None, f"no {table.__name__} called {name}"
    return int(row["id"])


async def cluster_ids(*names: str) -> list[int]:
    return [await reference_id(Cluster, name) for name in names]


async def create_vehicle(*, cluster_names: tuple[str, ...] = ("Cardiff North",), **values: Any) -> DeliveryVehicle:
    vehicle = await save(DeliveryVehicleFactory(**values))
    for cluster_id in await cluster_ids(*cluster_names):
        await save(DeliveryVehicleClusterFactory(delivery_vehicle=vehicle.id, cluster=cluster_id))
    return vehicle


async def create_user(
    *,
    role: Role,
    username: str | None = None,
    pcpg_names: tuple[str, ...] = (),
    health_board_name: str | None = None,
    delivery_vehicle_id: int | None = None,
    with_vehicle: bool = False,
    **values: Any,
) -> User:
    """A saved user; a provider gets an approved vehicle serving Cardiff North unless told otherwise."""
    if role is Role.PROVIDER and delivery_vehicle_id is None and with_vehicle:
        delivery_vehicle_id = (await create_vehicle()).id
    extra: dict[str, Any] = {"role": role.value, **values}
    if username:
        extra["username"] = username
    if health_board_name:
        extra["health_board"] = await reference_id(HealthBoard, health_board_name)
    if delivery_vehicle_id is not None:
        extra["delivery_vehicle"] = delivery_vehicle_id
    user = await save(UserFactory(**extra))
    for name in pcpg_names:
        await save(UserPcpgFactory(user=user.id, pcpg=await reference_id(Pcpg, name)))
    return user


# --- Menu, finance, commissioning, contracts and notifications ---

from commissioning.tables import (  # noqa: E402
    Award,
    Bid,
    BidAnswer,
    BidAttachment,
    BidPrice,
    Clarification,
    Declaration,
    EvaluationCriterion,
    ModeratedScore,
    PanelMember,
    Plan,
    PlanPriority,
    PlanPriorityCluster,
    Representation,
    Score,
    Specification,
    SpecificationCluster,
    SpecificationKpi,
    SpecificationYear,
)
from contracts.autonomy_rules import DEFAULT_SETTINGS, settings_to_json  # noqa: E402
from contracts.tables import (  # noqa: E402
    AutonomySetting,
    Contract,
    ContractActivity,
    ContractAllocation,
    ContractCluster,
    ContractImport,
    ContractKpi,
    ContractPayment,
    ContractVariation,
    ContractVersion,
    ContractYear,
    TierRecompute,
    VehicleTier,
    ViabilitySetting,
)
from finance.tables import (  # noqa: E402
    BudgetCommitment,
    BudgetCommitmentCluster,
    BudgetEarmark,
    BudgetImport,
    BudgetLine,
    ExportJob,
)
from menu.tables import MenuKpi, MenuService, MenuServiceVersion  # noqa: E402
from needs.tables import Engagement, Need, NeedCluster, NeedPlanPriority  # noqa: E402
from notifications.tables import Notification  # noqa: E402
from returns.tables import (  # noqa: E402
    DeliveryReturn,
    Payment,
    PaymentCluster,
    PerformanceRating,
    ReturnActivity,
    ReturnKpiValue,
    ReturnQuery,
    ReturnVersion,
    ReturnWorkforce,
)


class MenuServiceFactory(factory.Factory):
    class Meta:
        model = MenuService

    code = factory.Sequence(lambda n: f"test-service-{n}")
    current_version = 1


class MenuServiceVersionFactory(factory.Factory):
    class Meta:
        model = MenuServiceVersion

    menu_service = factory.SubFactory(MenuServiceFactory)
    version = 1
    name = factory.Sequence(lambda n: f"Test service {n}")
    name_cy = factory.Sequence(lambda n: f"Gwasanaeth prawf {n}")
    description = "A test service."
    description_cy = "Gwasanaeth prawf."
    category = "community_wellbeing"
    unit_of_activity = "contacts"
    unit_of_activity_cy = "cysylltiadau"
    created_at = NOW
    created_by_username = "admin"


class MenuKpiFactory(factory.Factory):
    class Meta:
        model = MenuKpi

    menu_service_version = factory.SubFactory(MenuServiceVersionFactory)
    code = factory.Sequence(lambda n: f"kpi-{n}")
    name = "People seen"
    name_cy = "Pobl a welwyd"
    unit = "count"
    direction = "higher_is_better"


class BudgetLineFactory(factory.Factory):
    class Meta:
        model = BudgetLine

    health_board = factory.SubFactory(HealthBoardFactory)
    pcpg = factory.SubFactory(PcpgFactory)
    financial_year = factory.Sequence(lambda n: 2030 + n)
    funding_stream = "cluster_funding"
    amount_pence = 100_000_00
    updated_at = NOW
    updated_by_username = "finance"


class BudgetEarmarkFactory(factory.Factory):
    class Meta:
        model = BudgetEarmark

    budget_line = factory.SubFactory(BudgetLineFactory)
    specification = factory.SubFactory("tests.factories.SpecificationFactory")
    financial_year = 2030
    amount_pence = 10_000_00
    created_at = NOW


class BudgetCommitmentFactory(factory.Factory):
    class Meta:
        model = BudgetCommitment

    budget_line = factory.SubFactory(BudgetLineFactory)
    contract = factory.SubFactory("tests.factories.ContractFactory")
    financial_year = 2030
    amount_pence = 10_000_00
    created_at = NOW


class BudgetCommitmentClusterFactory(factory.Factory):
    class Meta:
        model = BudgetCommitmentCluster

    budget_commitment = factory.SubFactory(BudgetCommitmentFactory)
    cluster = factory.SubFactory(ClusterFactory)
    amount_pence = 10_000_00


class BudgetImportFactory(factory.Factory):
    class Meta:
        model = BudgetImport

    uploaded_by = factory.SubFactory(UserFactory)
    filename = "budget-lines.csv"
    lines = "[]"
    created_at = NOW


class ContractImportFactory(factory.Factory):
    class Meta:
        model = ContractImport

    uploaded_by = factory.SubFactory(UserFactory)
    filename = "contracts.csv"
    lines = "[]"
    created_at = NOW


class ExportJobFactory(factory.Factory):
    class Meta:
        model = ExportJob

    owner = factory.SubFactory(UserFactory)
    kind = "finance_pack"
    parameters = '{"filters": {"group_by": ["pcpg"]}}'
    created_at = NOW
    expires_at = factory.LazyFunction(lambda: NOW + timedelta(days=1))


class PlanFactory(factory.Factory):
    class Meta:
        model = Plan

    pcpg = factory.SubFactory(PcpgFactory)
    first_financial_year = 2026
    title = "Test plan"
    created_at = NOW
    created_by_username = "commissioner"


class PlanPriorityFactory(factory.Factory):
    class Meta:
        model = PlanPriority

    plan = factory.SubFactory(PlanFactory)
    title = "Test priority"
    need = "A documented need"
    created_at = NOW
    created_by_username = "commissioner"


class PlanPriorityClusterFactory(factory.Factory):
    class Meta:
        model = PlanPriorityCluster

    plan_priority = factory.SubFactory(PlanPriorityFactory)
    cluster = factory.SubFactory(ClusterFactory)


class SpecificationFactory(factory.Factory):
    class Meta:
        model = Specification

    pcpg = factory.SubFactory(PcpgFactory)
    menu_service_version = factory.SubFactory(MenuServiceVersionFactory)
    reference = factory.Sequence(lambda n: f"CDV-TEST-{n:04d}")
    title = "Test specification"
    title_cy = "Manyleb prawf"
    description = "What the service does."
    description_cy = "Beth mae'r gwasanaeth yn ei wneud."
    procurement_route = "competitive"
    start_financial_year = 2027
    term_years = 1
    price_weight = 40
    created_at = NOW
    created_by_username = "commissioner"
    updated_at = NOW


class SpecificationClusterFactory(factory.Factory):
    class Meta:
        model = SpecificationCluster

    specification = factory.SubFactory(SpecificationFactory)
    cluster = factory.SubFactory(ClusterFactory)


class SpecificationYearFactory(factory.Factory):
    class Meta:
        model = SpecificationYear

    specification = factory.SubFactory(SpecificationFactory)
    financial_year = 2027
    max_value_pence = 50_000_00


class SpecificationKpiFactory(factory.Factory):
    class Meta:
        model = SpecificationKpi

    specification = factory.SubFactory(SpecificationFactory)
    name = "People seen"
    name_cy = "Pobl a welwyd"
    unit = "count"
    direction = "higher_is_better"


class EvaluationCriterionFactory(factory.Factory):
    class Meta:
        model = EvaluationCriterion

    specification = factory.SubFactory(SpecificationFactory)
    title = "Service model"
    title_cy = "Model gwasanaeth"
    weight = 60
    descriptors = factory.LazyFunction(lambda: [{"en": f"Score {n}", "cy": f"Sgôr {n}"} for n in range(6)])


class ClarificationFactory(factory.Factory):
    class Meta:
        model = Clarification

    specification = factory.SubFactory(SpecificationFactory)
    delivery_vehicle = factory.SubFactory(DeliveryVehicleFactory)
    question = "Can we use practice rooms?"
    asked_at = NOW
    asked_by_username = "provider"


class BidFactory(factory.Factory):
    class Meta:
        model = Bid

    specification = factory.SubFactory(SpecificationFactory)
    delivery_vehicle = factory.SubFactory(DeliveryVehicleFactory)
    status = "submitted"
    staff = "2 WTE"
    created_at = NOW
    updated_at = NOW
    submitted_at = NOW


class BidPriceFactory(factory.Factory):
    class Meta:
        model = BidPrice

    bid = factory.SubFactory(BidFactory)
    financial_year = 2027
    price_pence = 40_000_00


class BidAnswerFactory(factory.Factory):
    class Meta:
        model = BidAnswer

    bid = factory.SubFactory(BidFactory)
    criterion_position = 0
    answer = "Our answer"


class BidAttachmentFactory(factory.Factory):
    class Meta:
        model = BidAttachment

    bid = factory.SubFactory(BidFactory)
    filename = "method.pdf"
    content_type = "application/pdf"
    size_bytes = 1024
    sha256 = "0" * 64
    uploaded_at = NOW


class PanelMemberFactory(factory.Factory):
    class Meta:
        model = PanelMember

    specification = factory.SubFactory(SpecificationFactory)
    user = factory.SubFactory(UserFactory)
    username = "evaluator"
    named_at = NOW
    named_by_username = "commissioner"


class DeclarationFactory(factory.Factory):
    class Meta:
        model = Declaration

    specification = factory.SubFactory(SpecificationFactory)
    user = factory.SubFactory(UserFactory)
    declared_at = NOW


class ScoreFactory(factory.Factory):
    class Meta:
        model = Score

    bid = factory.SubFactory(BidFactory)
    criterion_position = 0
    user = factory.SubFactory(UserFactory)
    score = 3
    justification = "Some evidence"
    scored_at = NOW


class ModeratedScoreFactory(factory.Factory):
    class Meta:
        model = ModeratedScore

    bid = factory.SubFactory(BidFactory)
    criterion_position = 0
    score = 3
    reason = "Consensus"
    moderated_at = NOW
    moderated_by_username = "commissioner"


class AwardFactory(factory.Factory):
    class Meta:
        model = Award

    specification = factory.SubFactory(SpecificationFactory)
    delivery_vehicle = factory.SubFactory(DeliveryVehicleFactory)
    rationale = "Highest score"
    annual_values = factory.LazyFunction(lambda: [{"financial_year": 2027, "value_pence": 40_000_00}])
    notice_at = NOW
    awarded_by_username = "commissioner"


class RepresentationFactory(factory.Factory):
    class Meta:
        model = Representation

    award = factory.SubFactory(AwardFactory)
    delivery_vehicle = factory.SubFactory(DeliveryVehicleFactory)
    text = "Our price was lower"
    lodged_at = NOW
    lodged_by_username = "provider2"


class ContractFactory(factory.Factory):
    class Meta:
        model = Contract

    reference = factory.Sequence(lambda n: f"CON-TEST-{n:04d}")
    specification = factory.SubFactory(SpecificationFactory)
    award = factory.SubFactory(AwardFactory)
    health_board = factory.SubFactory(HealthBoardFactory)
    pcpg = factory.SubFactory(PcpgFactory)
    delivery_vehicle = factory.SubFactory(DeliveryVehicleFactory)
    title = "Test contract"
    title_cy = "Contract prawf"
    start_on = date(2027, 4, 1)
    end_on = date(2028, 3, 31)
    total_value_pence = 40_000_00
    made_at = NOW
    made_by_username = "commissioner"


class ContractYearFactory(factory.Factory):
    class Meta:
        model = ContractYear

    contract = factory.SubFactory(ContractFactory)
    financial_year = 2027
    value_pence = 40_000_00


class ContractClusterFactory(factory.Factory):
    class Meta:
        model = ContractCluster

    contract = factory.SubFactory(ContractFactory)
    cluster = factory.SubFactory(ClusterFactory)


class ContractKpiFactory(factory.Factory):
    class Meta:
        model = ContractKpi

    contract = factory.SubFactory(ContractFactory)
    position = 0
    name = "People completing the programme"
    name_cy = "Pobl sy'n cwblhau'r rhaglen"
    unit = "people"
    direction = "higher_is_better"
    target = "120"


class ContractActivityFactory(factory.Factory):
    class Meta:
        model = ContractActivity

    contract = factory.SubFactory(ContractFactory)
    financial_year = 2027
    quarter = 1
    units = 30


class ContractPaymentFactory(factory.Factory):
    class Meta:
        model = ContractPayment

    contract = factory.SubFactory(ContractFactory)
    financial_year = 2027
    quarter = 1
    amount_pence = 10_000_00
    due_on = date(2027, 7, 1)


class ContractAllocationFactory(factory.Factory):
    class Meta:
        model = ContractAllocation

    contract = factory.SubFactory(ContractFactory)
    financial_year = 2027
    cluster = factory.SubFactory(ClusterFactory)
    amount_pence = 40_000_00
    method = "population"
    population = 50_000


class ContractVariationFactory(factory.Factory):
    class Meta:
        model = ContractVariation

    contract = factory.SubFactory(ContractFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = "price_change"
    reason = "Price agreed at the annual review"
    effective_on = date(2027, 10, 1)
    change = {}
    proposed_at = NOW
    proposed_by_username = "commissioner"


class ContractVersionFactory(factory.Factory):
    class Meta:
        model = ContractVersion

    contract = factory.SubFactory(ContractFactory)
    version = factory.Sequence(lambda n: n + 1)
    made_at = NOW
    made_by_username = "commissioner"
    particulars = {}


class ViabilitySettingFactory(factory.Factory):
    class Meta:
        model = ViabilitySetting

    min_live_services = 2
    min_annual_value_pence = 100_000_00
    set_at = NOW
    set_by_username = "admin"


class AutonomySettingFactory(factory.Factory):
    class Meta:
        model = AutonomySetting

    terms = factory.LazyFunction(lambda: settings_to_json(DEFAULT_SETTINGS))
    set_at = NOW
    set_by_username = "admin"


class VehicleTierFactory(factory.Factory):
    class Meta:
        model = VehicleTier

    delivery_vehicle = factory.SubFactory(DeliveryVehicleFactory)
    tier = "earned"
    financial_year = 2027
    quarter = 1
    source = "override"
    reason = "Strong governance seen at the annual review"
    decided_at = NOW
    decided_by_username = "commissioner"


class TierRecomputeFactory(factory.Factory):
    class Meta:
        model = TierRecompute

    financial_year = 2026
    quarter = 3
    ran_at = NOW


class DeliveryReturnFactory(factory.Factory):
    class Meta:
        model = DeliveryReturn

    contract = factory.SubFactory(ContractFactory)
    financial_year = 2027
    quarter = factory.Sequence(lambda n: n % 4 + 1)
    period_from = date(2027, 4, 1)
    period_to = date(2027, 6, 30)
    due_on = date(2027, 7, 30)


class ReturnActivityFactory(factory.Factory):
    class Meta:
        model = ReturnActivity

    delivery_return = factory.SubFactory(DeliveryReturnFactory)
    cluster = factory.SubFactory(ClusterFactory)
    units = 40


class ReturnKpiValueFactory(factory.Factory):
    class Meta:
        model = ReturnKpiValue

    delivery_return = factory.SubFactory(DeliveryReturnFactory)
    contract_kpi = factory.SubFactory(ContractKpiFactory)
    value = "87.5"


class ReturnWorkforceFactory(factory.Factory):
    class Meta:
        model = ReturnWorkforce

    delivery_return = factory.SubFactory(DeliveryReturnFactory)
    staff_group = "nursing_midwifery"
    wte = "2.6"


class ReturnQueryFactory(factory.Factory):
    class Meta:
        model = ReturnQuery

    delivery_return = factory.SubFactory(DeliveryReturnFactory)
    version = 1
    field = "spend_pence"
    comment = "The spend is far below the quarter's share: please explain"
    raised_at = NOW
    raised_by_username = "commissioner"


class ReturnVersionFactory(factory.Factory):
    class Meta:
        model = ReturnVersion

    delivery_return = factory.SubFactory(DeliveryReturnFactory)
    version = factory.Sequence(lambda n: n + 1)
    kind = "submitted"
    made_at = NOW
    made_by_username = "provider"
    figures = {}


class PerformanceRatingFactory(factory.Factory):
    class Meta:
        model = PerformanceRating

    contract = factory.SubFactory(ContractFactory)
    financial_year = 2027
    contract_kpi = factory.SubFactory(ContractKpiFactory)
    rating = "good"
    rated_at = NOW
    rated_by_username = "commissioner"


class PaymentFactory(factory.Factory):
    class Meta:
        model = Payment

    contract = factory.SubFactory(ContractFactory)
    financial_year = 2027
    quarter = factory.Sequence(lambda n: n % 4 + 1)
    amount_pence = 10_000_00
    status = "approved"
    decided_at = NOW
    decided_by_username = "finance"


class PaymentClusterFactory(factory.Factory):
    class Meta:
        model = PaymentCluster

    payment = factory.SubFactory(PaymentFactory)
    cluster = factory.SubFactory(ClusterFactory)
    amount_pence = 10_000_00


class NotificationFactory(factory.Factory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = "bid_received"
    subject = "Bid received"
    body = "Your bid was received."
    language = "en"
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    created_at = NOW


class NeedFactory(factory.Factory):
    class Meta:
        model = Need

    pcpg = factory.SubFactory(PcpgFactory)
    title = factory.Sequence(lambda n: f"Test need {n}")
    description = "A need the PCPG plans against."
    source = "cluster"
    priority = "medium"
    created_at = NOW
    created_by_username = "commissioner"
    updated_at = NOW


class NeedClusterFactory(factory.Factory):
    class Meta:
        model = NeedCluster

    need = factory.SubFactory(NeedFactory)
    cluster = factory.SubFactory(ClusterFactory)


class NeedPlanPriorityFactory(factory.Factory):
    class Meta:
        model = NeedPlanPriority

    need = factory.SubFactory(NeedFactory)
    plan_priority = factory.SubFactory(PlanPriorityFactory)


class EngagementFactory(factory.Factory):
    class Meta:
        model = Engagement

    pcpg = factory.SubFactory(PcpgFactory)
    need = factory.SubFactory(NeedFactory)
    kind = "survey"
    held_on = date(2026, 10, 1)
    people_reached = 120
    groups_reached = "Carers"
    what_they_said = "Sessions at the weekend, please."
    what_changed = "Saturday sessions added."
    created_at = NOW
    created_by_username = "commissioner"
    updated_at = NOW


async def create_contract(*, pcpg_id: int) -> Contract:
    """A contract built on existing reference rows: reference tables are not emptied between tests, so a factory's
    own PCPG or health board would outlive the test that made it."""
    pcpg = await Pcpg.select(Pcpg.health_board).where(Pcpg.id == pcpg_id).first()
    assert pcpg is not None
    spec = await save(SpecificationFactory(pcpg=pcpg_id))
    award = await save(AwardFactory(specification=spec.id))
    contract = ContractFactory(
        specification=spec.id,
        award=award.id,
        health_board=pcpg["health_board"],
        pcpg=pcpg_id,
        delivery_vehicle=award.delivery_vehicle,
    )
    return await save(contract)  # type: ignore[return-value]


# --- Maturity matrix and assessments ---

from maturity.tables import MaturityAnswer, MaturityAssessment, MaturityDomain, MaturityReviewDeclaration  # noqa: E402


class MaturityDomainFactory(factory.Factory):
    class Meta:
        model = MaturityDomain

    key = factory.Sequence(lambda n: f"test_domain_{n}")
    position = factory.Sequence(lambda n: 100 + n)
    name = factory.Sequence(lambda n: f"Test domain {n}")
    name_cy = factory.Sequence(lambda n: f"Parth prawf {n}")
    level_1 = "Not yet started"
    level_1_cy = "Heb ddechrau eto"
    level_2 = "Developing"
    level_2_cy = "Yn datblygu"
    level_3 = "Established"
    level_3_cy = "Wedi'i sefydlu"
    level_4 = "Leading"
    level_4_cy = "Yn arwain"


class MaturityAssessmentFactory(factory.Factory):
    class Meta:
        model = MaturityAssessment

    delivery_vehicle = factory.SubFactory(DeliveryVehicleFactory)
    financial_year = factory.Sequence(lambda n: 2020 + n % 60)
    status = "draft"
    started_at = NOW


class MaturityAnswerFactory(factory.Factory):
    class Meta:
        model = MaturityAnswer

    assessment = factory.SubFactory(MaturityAssessmentFactory)
    domain = factory.SubFactory(MaturityDomainFactory)
    self_level = 2
    evidence = "Board minutes for the year"


class MaturityReviewDeclarationFactory(factory.Factory):
    class Meta:
        model = MaturityReviewDeclaration

    assessment = factory.SubFactory(MaturityAssessmentFactory)
    user = factory.SubFactory(UserFactory)
    conflict = False
    declared_at = NOW
