"""The validation helper (tests/opendata_validation.py) passes a valid package and catches each kind of breakage:
a negative control for every check the open data tests rely on."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest

from opendata import rules
from opendata.queries.ocds import package, period, value
from opendata.schemas import (
    Award,
    Budget,
    BudgetBreakdown,
    Contract,
    Implementation,
    Metric,
    Observation,
    Organization,
    OrganizationReference,
    Planning,
    Release,
    Tender,
    Transaction,
)
from tests.opendata_validation import problems

NOW = datetime(2027, 12, 1, 9, tzinfo=UTC)
BUYER = OrganizationReference(id="GB-NHS-7A4", name="Cardiff and Vale University Health Board")
CIC = OrganizationReference(id="GB-COH-09506232", name="Example CIC")


def _valid() -> dict[str, Any]:
    first, last = rules.years_period(2027, 1)
    release = Release(
        ocid="ocds-xxxxxx-CDV-1",
        id="ocds-xxxxxx-CDV-1-20271201T090000Z",
        date=NOW,
        tag=["planning", "tender", "award", "contract", "implementation"],
        initiation_type="tender",
        parties=[
            Organization(id=BUYER.id, name=BUYER.name, roles=["buyer", "payer"]),
            Organization(id=CIC.id, name=CIC.name, roles=["supplier", "payee"]),
        ],
        buyer=BUYER,
        planning=Planning(
            budget=Budget(
                id="CDV-1-budget",
                description="Budget",
                amount=value(50_000_00),
                budget_breakdown=[
                    BudgetBreakdown(
                        id="CDV-1-2027-28", description="2027-28", amount=value(50_000_00), period=period(first, last)
                    )
                ],
            )
        ),
        tender=Tender(
            id="CDV-1",
            title="Service",
            description="A service",
            status="complete",
            procuring_entity=BUYER,
            value=value(50_000_00),
            procurement_method="open",
            procurement_method_details="PSR Wales: Competitive Process",
            main_procurement_category="services",
            contract_period=period(first, last),
            has_enquiries=False,
        ),
        awards=[
            Award(
                id="CDV-1-award-1",
                title="Award",
                status="active",
                date=NOW,
                value=value(40_000_00),
                suppliers=[CIC],
                contract_period=period(first, last),
            )
        ],
        contracts=[
            Contract(
                id="CON-1",
                award_id="CDV-1-award-1",
                title="Service",
                status="active",
                period=period(first, last),
                value=value(40_000_00),
                date_signed=NOW,
                agreed_metrics=[
                    Metric(id="KPI-1", title="People", observations=[Observation(id="KPI-1-target", measure=75)])
                ],
                implementation=Implementation(
                    transactions=[
                        Transaction(
                            id="CON-1-2027-28-Q1",
                            date=datetime(2027, 7, 5, tzinfo=UTC),
                            value=value(10_000_00),
                            payer=BUYER,
                            payee=CIC,
                        )
                    ]
                ),
            )
        ],
    )
    return msgspec.to_builtins(package(uri="https://example.org/ocds.json", releases=[release], now=NOW))


def test_a_valid_package_has_no_problems() -> None:
    assert problems(_valid()) == []


def _set(path: str, new: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node: Any = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[int(last) if isinstance(node, list) else last] = new

    return change


BROKEN = {
    "an unknown field": (_set("releases/0/tender/secretScore", 4), "unknown field"),
    "an unknown field on a party": (_set("releases/0/parties/0/email", "a@example.org"), "unknown field"),
    "a value outside a closed codelist": (
        _set("releases/0/tender/procurementMethod", "competitive"),
        "closed codelist",
    ),
    "a currency in lower case": (_set("releases/0/awards/0/value/currency", "gbp"), "closed codelist"),
    "an amount as text": (_set("releases/0/contracts/0/value/amount", "40000.00"), "schema"),
    "a date with no offset": (_set("releases/0/date", "2027-12-01T09:00:00"), "schema"),
    "an extension field of the wrong type": (
        _set("releases/0/contracts/0/agreedMetrics/0/observations/0/measure", {"value": 75}),
        "schema",
    ),
    "a budget breakdown amount as text": (
        _set("releases/0/planning/budget/budgetBreakdown/0/amount/amount", "50000.00"),
        "schema",
    ),
    "payments above the contract's value": (
        _set("releases/0/contracts/0/implementation/transactions/0/value/amount", 40000.01),
        "payments exceed",
    ),
    "a contract with no award behind it": (_set("releases/0/contracts/0/awardID", "CDV-1-award-9"), "not one"),
    "a payment before the contract started": (
        _set("releases/0/contracts/0/implementation/transactions/0/date", "2027-03-31T22:59:59Z"),
        "before the contract started",
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_package_is_caught(name: str) -> None:
    data = copy.deepcopy(_valid())
    change, expected = BROKEN[name]
    change(data)
    found = problems(data)
    assert any(expected in problem for problem in found), found
