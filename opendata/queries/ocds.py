"""The open data: a page of OCDS releases, one per published specification, read in a fixed number of statements.

What is read is what the public pages show: specifications from publication on (commissioning's own scope for a
reader who is not signed in), award notices once made, contracts and their published changes (as the contract's
public page shows them), approved payments and the KPI values of accepted delivery returns. Nothing is read from
bids, so nothing of a sealed bid (not even that one exists) can reach the package; no person is named."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from piccolo.querystring import QueryString

from commissioning import rules as commissioning_rules
from commissioning.queries.specifications import scope_condition as specification_scope
from commissioning.tables import Award, Clarification, EvaluationCriterion, Specification, SpecificationYear
from contracts.queries.variations import published_changes_of
from contracts.rules import VariationKind
from contracts.tables import Contract, ContractKpi, ContractYear
from core.i18n import current_language
from needs.queries.engagements import you_said_we_did
from needs.schemas import EngagementOut
from opendata import rules
from opendata.schemas import (
    Amendment,
    Budget,
    BudgetBreakdown,
    Identifier,
    Implementation,
    Metric,
    Observation,
    Organization,
    OrganizationReference,
    Period,
    Planning,
    Publisher,
    Release,
    ReleasePackage,
    Tender,
    Transaction,
    Unit,
    Value,
)
from opendata.schemas import Award as AwardOut
from opendata.schemas import Contract as ContractOut
from returns.rules import PaymentStatus, ReturnStatus
from returns.tables import Payment, ReturnKpiValue

DEFAULT_PAGE = 50
MAX_PAGE = 200


@dataclass(frozen=True)
class ReleasePage:
    releases: list[Release]
    next_after: str | None
    """The reference to continue after, when there are more; None on the last page."""


def value(pence: int) -> Value:
    return Value(amount=rules.amount(pence), currency="GBP")


def period(start: datetime | None, end: datetime | None) -> Period:
    return Period(start_date=start, end_date=end)


def _json(raw: Any) -> Any:
    return json.loads(raw) if isinstance(raw, str) else raw


def _by(rows: Iterable[dict[str, Any]], key: str) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(int(row[key]), []).append(row)
    return grouped


def _answered_questions() -> QueryString:
    """Whether any clarification question was answered: answers are public (to all bidders, without naming who
    asked); an unanswered question is not, so it does not count."""
    table = Clarification._meta.tablename
    spec = Specification._meta.tablename
    return QueryString(
        f'EXISTS (SELECT 1 FROM "{table}" AS "q" WHERE "q"."specification" = "{spec}"."id" '
        f'AND "q"."answered_at" IS NOT NULL)'
    )


async def _specifications(after: str | None, limit: int) -> list[dict[str, Any]]:
    spec: Any = Specification
    query = Specification.select(
        spec.id,
        spec.reference,
        spec.title,
        spec.description,
        spec.procurement_route,
        spec.status,
        spec.start_financial_year,
        spec.term_years,
        spec.price_weight,
        spec.bid_deadline_at,
        spec.published_at,
        spec.cancelled_at,
        spec.updated_at,
        spec.pcpg.as_alias("pcpg_id"),
        spec.pcpg.name.as_alias("pcpg_name"),
        spec.pcpg.health_board.name.as_alias("board_name"),
        spec.pcpg.health_board.short_name.as_alias("board_short"),
        _answered_questions().as_alias("has_answers"),
    )
    scope = specification_scope(None)
    if scope is not None:
        query = query.where(scope)
    if after is not None:
        query = query.where(Specification.reference > after)
    return await query.order_by(Specification.reference).limit(limit + 1)


async def release_page(*, prefix: str, after: str | None, limit: int, now: datetime) -> ReleasePage:
    """Releases in the order of their specifications' references (which never change, so a page's next link stays
    good as new specifications are published). At most fourteen statements a page, whatever it holds."""
    token = current_language.set("en")
    try:
        return await _release_page(prefix=prefix, after=after, limit=limit, now=now)
    finally:
        current_language.reset(token)


async def _release_page(*, prefix: str, after: str | None, limit: int, now: datetime) -> ReleasePage:
    specs = await _specifications(after, limit)
    more = len(specs) > limit
    specs = specs[:limit]
    spec_ids = [int(s["id"]) for s in specs] or [-1]
    years = _by(
        await SpecificationYear.select(
            SpecificationYear.specification, SpecificationYear.financial_year, SpecificationYear.max_value_pence
        )
        .where(SpecificationYear.specification.is_in(spec_ids))
        .order_by(SpecificationYear.financial_year),
        "specification",
    )
    criteria = _by(
        await EvaluationCriterion.select(
            EvaluationCriterion.specification, EvaluationCriterion.title, EvaluationCriterion.weight
        )
        .where(EvaluationCriterion.specification.is_in(spec_ids))
        .order_by(EvaluationCriterion.position),
        "specification",
    )
    award: Any = Award
    awards = _by(
        await Award.select(
            award.id,
            award.specification,
            award.status,
            award.annual_values,
            award.notice_at,
            award.confirmed_at,
            award.delivery_vehicle.as_alias("vehicle_id"),
            award.delivery_vehicle.name.as_alias("vehicle_name"),
            award.delivery_vehicle.companies_house_number.as_alias("vehicle_number"),
        )
        .where(Award.specification.is_in(spec_ids))
        .order_by(Award.id),
        "specification",
    )
    contract: Any = Contract
    contract_rows = (
        await Contract.select(
            contract.id,
            contract.reference,
            contract.specification,
            contract.award,
            contract.title,
            contract.status,
            contract.start_on,
            contract.end_on,
            contract.terminated_on,
            contract.total_value_pence,
            contract.made_at,
            contract.status_changed_at,
            contract.delivery_vehicle.as_alias("vehicle_id"),
            contract.delivery_vehicle.name.as_alias("vehicle_name"),
            contract.delivery_vehicle.companies_house_number.as_alias("vehicle_number"),
        )
        .where(Contract.specification.is_in(spec_ids))
        .order_by(Contract.id)
    )
    contract_ids = [int(c["id"]) for c in contract_rows] or [-1]
    contract_years = _by(
        await ContractYear.select(ContractYear.contract, ContractYear.financial_year, ContractYear.value_pence)
        .where(ContractYear.contract.is_in(contract_ids))
        .order_by(ContractYear.financial_year),
        "contract",
    )
    kpis = _by(
        await ContractKpi.select(
            ContractKpi.id,
            ContractKpi.contract,
            ContractKpi.position,
            ContractKpi.name,
            ContractKpi.unit,
            ContractKpi.direction,
            ContractKpi.baseline,
            ContractKpi.target,
        )
        .where(ContractKpi.contract.is_in(contract_ids))
        .order_by(ContractKpi.position),
        "contract",
    )
    changes = await published_changes_of(contract_ids)
    engagement = await you_said_we_did([int(s["id"]) for s in specs])
    payments = _by(
        await Payment.select(
            Payment.contract, Payment.financial_year, Payment.quarter, Payment.amount_pence, Payment.decided_at
        )
        .where(Payment.contract.is_in(contract_ids) & (Payment.status == PaymentStatus.APPROVED.value))
        .order_by(Payment.financial_year)
        .order_by(Payment.quarter),
        "contract",
    )
    kv: Any = ReturnKpiValue
    observed = _by(
        await ReturnKpiValue.select(
            kv.contract_kpi,
            kv.value,
            kv.delivery_return.contract.as_alias("contract"),
            kv.delivery_return.financial_year.as_alias("financial_year"),
            kv.delivery_return.quarter.as_alias("quarter"),
            kv.delivery_return.period_from.as_alias("period_from"),
            kv.delivery_return.period_to.as_alias("period_to"),
            kv.delivery_return.decided_at.as_alias("decided_at"),
        )
        .where(
            kv.delivery_return.contract.is_in(contract_ids) & (kv.delivery_return.status == ReturnStatus.ACCEPTED.value)
        )
        .order_by(kv.delivery_return.financial_year)
        .order_by(kv.delivery_return.quarter),
        "contract_kpi",
    )
    contracts_of = _by(contract_rows, "specification")
    builder = _Builder(prefix=prefix, now=now)
    releases = [
        builder.release(
            spec,
            years=years.get(int(spec["id"]), []),
            criteria=criteria.get(int(spec["id"]), []),
            awards=awards.get(int(spec["id"]), []),
            engagement=engagement.get(int(spec["id"]), []),
            contracts=[
                builder.contract(
                    row,
                    years=contract_years.get(int(row["id"]), []),
                    kpis=kpis.get(int(row["id"]), []),
                    changes=changes.get(int(row["id"]), []),
                    payments=payments.get(int(row["id"]), []),
                    observed=observed,
                    buyer=builder.buyer(spec),
                )
                for row in contracts_of.get(int(spec["id"]), [])
            ],
        )
        for spec in specs
    ]
    return ReleasePage(releases=releases, next_after=specs[-1]["reference"] if more and specs else None)


@dataclass
class _Built:
    """A contract as published, with what the release around it needs: its supplier, payer and latest change."""

    out: ContractOut
    row: dict[str, Any]
    latest: datetime
    paid: bool
    ended: bool


class _Builder:
    """Turns a page's rows into releases (rules.py decides each code and value)."""

    def __init__(self, *, prefix: str, now: datetime) -> None:
        self.prefix = prefix
        self.now = now

    def buyer(self, spec: dict[str, Any]) -> OrganizationReference:
        """The health board: the contracting authority that buys, and pays, for its PCPG."""
        board_id, _ = rules.health_board_party_id(spec["board_short"], self.prefix)
        return OrganizationReference(id=board_id, name=spec["board_name"])

    def _vehicle(self, row: dict[str, Any]) -> tuple[str, str]:
        return rules.vehicle_party_id(row["vehicle_number"], int(row["vehicle_id"]), self.prefix), row["vehicle_name"]

    def contract(
        self,
        row: dict[str, Any],
        *,
        years: list[dict[str, Any]],
        kpis: list[dict[str, Any]],
        changes: list[Any],
        payments: list[dict[str, Any]],
        observed: dict[int, list[dict[str, Any]]],
        buyer: OrganizationReference,
    ) -> _Built:
        end_on = row["terminated_on"] or row["end_on"]
        start = rules.day_starts(row["start_on"])
        agreed = [
            Metric(
                id="annualValue",
                title="Annual value",
                description="The contract's value in each financial year (1 April to 31 March)",
                observations=[
                    Observation(
                        id=f"annualValue-{rules.financial_year_label(y['financial_year'])}",
                        period=period(*rules.financial_year_period(y["financial_year"])),
                        value=value(int(y["value_pence"])),
                    )
                    for y in years
                ],
            )
        ]
        measured: list[Metric] = []
        for kpi in kpis:
            metric = rules.metric_id(int(kpi["position"]))
            unit = Unit(name=kpi["unit"]) if kpi["unit"] else None
            direction = rules.KPI_DIRECTION.get(kpi["direction"], kpi["direction"])
            agreed.append(
                Metric(
                    id=metric,
                    title=kpi["name"],
                    description=f"{'Higher' if direction == 'higher' else 'Lower'} is better",
                    observations=[
                        Observation(
                            id=f"{metric}-{kind}",
                            measure=rules.measure(kpi[kind]),
                            unit=unit,
                            dimensions={"observationType": kind, "improvementDirection": direction},
                        )
                        for kind in ("baseline", "target")
                        if rules.measure(kpi[kind]) is not None
                    ],
                )
            )
            values = [v for v in observed.get(int(kpi["id"]), []) if rules.measure(v["value"]) is not None]
            if values:
                measured.append(
                    Metric(
                        id=metric,
                        title=kpi["name"],
                        observations=[
                            Observation(
                                id=f"{metric}-{rules.quarter_label(v['financial_year'], v['quarter'])}",
                                period=period(rules.day_starts(v["period_from"]), rules.day_ends(v["period_to"])),
                                measure=rules.measure(v["value"]),
                                unit=unit,
                            )
                            for v in values
                        ],
                    )
                )
        supplier_id, supplier_name = self._vehicle(row)
        transactions = [
            Transaction(
                id=f"{row['reference']}-{rules.quarter_label(p['financial_year'], p['quarter'])}",
                date=rules.instant(p["decided_at"]),
                value=value(int(p["amount_pence"])),
                payer=buyer,
                payee=OrganizationReference(id=supplier_id, name=supplier_name),
            )
            for p in payments
        ]
        amendments = [
            Amendment(
                id=str(change.number),
                date=rules.day_starts(change.effective_on),
                rationale=VariationKind(change.kind).label,
                description="; ".join(change.changes) or None,
            )
            for change in changes
        ]
        moments = [row["made_at"], row["status_changed_at"], *(p["decided_at"] for p in payments)]
        moments += [v["decided_at"] for k in kpis for v in observed.get(int(k["id"]), [])]
        moments += [a.date for a in amendments if a.date <= self.now]
        status = rules.CONTRACT_STATUS[row["status"]]
        out = ContractOut(
            id=row["reference"],
            award_id="",  # named by the release, which numbers its awards
            title=row["title"],
            status=status,
            period=period(start, rules.day_ends(end_on)),
            value=value(int(row["total_value_pence"])),
            date_signed=rules.instant(row["made_at"]),
            agreed_metrics=agreed,
            amendments=amendments,
            implementation=Implementation(transactions=transactions, metrics=measured)
            if transactions or measured
            else None,
        )
        return _Built(
            out=out,
            row=row,
            latest=max(rules.instant(m) for m in moments if m is not None),
            paid=bool(transactions),
            ended=status == "terminated",
        )

    def release(
        self,
        spec: dict[str, Any],
        *,
        years: list[dict[str, Any]],
        criteria: list[dict[str, Any]],
        awards: list[dict[str, Any]],
        engagement: list[EngagementOut],
        contracts: list[_Built],
    ) -> Release:
        ocid = rules.ocid(self.prefix, spec["reference"])
        board_id, ods = rules.health_board_party_id(spec["board_short"], self.prefix)
        buyer = self.buyer(spec)
        pcpg = OrganizationReference(id=f"{board_id}-PCPG-{spec['pcpg_id']}", name=spec["pcpg_name"])
        status = commissioning_rules.effective_status(spec["status"], spec["bid_deadline_at"], self.now)
        method, method_details = rules.PROCUREMENT_METHOD[spec["procurement_route"]]
        total = sum(int(y["max_value_pence"]) for y in years)
        first, last = rules.years_period(spec["start_financial_year"], spec["term_years"])
        tender = Tender(
            id=spec["reference"],
            title=spec["title"],
            description=spec["description"],
            status=rules.TENDER_STATUS[status.value],
            procuring_entity=pcpg,
            value=value(total),
            procurement_method=method,
            procurement_method_details=method_details,
            main_procurement_category="services",
            award_criteria="ratedCriteria" if criteria else None,
            award_criteria_details=rules.award_criteria_details(
                [(c["title"], int(c["weight"])) for c in criteria], int(spec["price_weight"])
            )
            if criteria
            else None,
            tender_period=period(
                rules.instant(spec["published_at"]) if spec["published_at"] else None,
                rules.instant(spec["bid_deadline_at"]) if spec["bid_deadline_at"] else None,
            )
            if spec["published_at"] or spec["bid_deadline_at"]
            else None,
            contract_period=period(first, last),
            has_enquiries=bool(spec["has_answers"]),
        )
        planning = Planning(
            rationale=rules.engagement_rationale(
                [
                    (e.kind_label, e.held_on, e.people_reached, e.groups_reached, e.what_they_said, e.what_changed)
                    for e in engagement
                ]
            ),
            budget=Budget(
                id=f"{spec['reference']}-budget",
                description="The most the specification may cost in each financial year, held on the PCPG's budget",
                amount=value(total),
                budget_breakdown=[
                    BudgetBreakdown(
                        id=f"{spec['reference']}-{rules.financial_year_label(y['financial_year'])}",
                        description=f"Financial year {rules.financial_year_label(y['financial_year'])}",
                        amount=value(int(y["max_value_pence"])),
                        period=period(*rules.financial_year_period(y["financial_year"])),
                    )
                    for y in years
                ],
            ),
        )
        suppliers: dict[str, Organization] = {}
        award_outs = []
        award_ids = {int(a["id"]): f"{spec['reference']}-award-{n}" for n, a in enumerate(awards, start=1)}
        for a in awards:
            supplier_id, supplier_name = self._vehicle(a)
            suppliers.setdefault(supplier_id, self._vehicle_party(a, supplier_id))
            values = _json(a["annual_values"]) or []
            award_years = sorted(int(v["financial_year"]) for v in values)
            awarded_for = (
                period(*rules.years_period(award_years[0], award_years[-1] - award_years[0] + 1))
                if award_years
                else period(first, last)
            )
            award_outs.append(
                AwardOut(
                    id=award_ids[int(a["id"])],
                    title=f"Award of {spec['reference']}",
                    status=rules.AWARD_STATUS[a["status"]],
                    date=rules.instant(a["notice_at"]),
                    value=value(sum(int(v["value_pence"]) for v in values)),
                    suppliers=[OrganizationReference(id=supplier_id, name=supplier_name)],
                    contract_period=awarded_for,
                )
            )
        payer = False
        for built in contracts:
            built.out.award_id = award_ids.get(int(built.row["award"]), "")
            supplier_id, _ = self._vehicle(built.row)
            party = suppliers.setdefault(supplier_id, self._vehicle_party(built.row, supplier_id))
            if built.paid:
                payer = True
                if "payee" not in party.roles:
                    party.roles.append("payee")
        parties = [
            Organization(
                id=board_id,
                name=spec["board_name"],
                identifier=Identifier(scheme="GB-NHS", id=ods, legal_name=spec["board_name"]) if ods else None,
                roles=["buyer", "payer"] if payer else ["buyer"],
            ),
            Organization(
                id=pcpg.id,
                name=pcpg.name,
                identifier=Identifier(scheme="GB-NHS", id=ods, legal_name=spec["board_name"]) if ods else None,
                roles=["procuringEntity"],
            ),
            *suppliers.values(),
        ]
        moments = [spec["published_at"], spec["cancelled_at"]]
        moments += [m for a in awards for m in (a["notice_at"], a["confirmed_at"])]
        latest = max(
            [rules.instant(m) for m in moments if m is not None] + [c.latest for c in contracts],
            default=rules.instant(spec["updated_at"]),
        )
        return Release(
            ocid=ocid,
            id=rules.release_id(ocid, latest),
            date=latest,
            tag=rules.release_tags(
                cancelled=status is commissioning_rules.SpecificationStatus.CANCELLED,
                awards=len(award_outs),
                contracts=len(contracts),
                amendments=sum(len(c.out.amendments) for c in contracts),
                implementation=any(c.out.implementation is not None for c in contracts),
                ended=any(c.ended for c in contracts),
            ),
            initiation_type="tender",
            parties=parties,
            buyer=buyer,
            planning=planning,
            tender=tender,
            awards=award_outs,
            contracts=[c.out for c in contracts],
        )

    @staticmethod
    def _vehicle_party(row: dict[str, Any], party_id: str) -> Organization:
        number = row["vehicle_number"]
        return Organization(
            id=party_id,
            name=row["vehicle_name"],
            identifier=Identifier(scheme="GB-COH", id=number, legal_name=row["vehicle_name"]) if number else None,
            roles=["supplier"],
        )


def package(*, uri: str, releases: list[Release], now: datetime) -> ReleasePackage:
    return ReleasePackage(
        uri=uri,
        version="1.1",
        published_date=rules.instant(now),
        publisher=Publisher(name=rules.PUBLISHER),
        license=rules.LICENSE,
        releases=releases,
    )


async def all_releases(*, prefix: str, now: datetime, page_size: int = DEFAULT_PAGE) -> AsyncIterator[Release]:
    """Every release, a page at a time (what `cdv export-ocds` writes), so memory holds one page, not the country."""
    after: str | None = None
    while True:
        page = await release_page(prefix=prefix, after=after, limit=page_size, now=now)
        for release in page.releases:
            yield release
        if page.next_after is None:
            return
        after = page.next_after
