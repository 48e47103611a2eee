"""Issue 12's done-when: a finance director sees the ledger move as a contract is varied and terminated, and it
always reconciles per line, to the penny (budget = earmarked + committed + headroom + actual, README "The ledger").

The contract moves through the real services (contracts.services.variations, contracts.services.lifecycle); the
finance director reads /finance/ledger and its CSV, as a person would, before and after each step."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import httpx

from accounts.actor import Role
from contracts.rules import VariationKind
from contracts.schemas.variation import DecisionIn, VariationIn, YearValueIn
from contracts.services import lifecycle, variations
from tests import commissioning_support, factories, ledger_support
from tests import contracts_support_lifecycle as lifecycle_support
from tests import contracts_support_variations as cs
from tests.conftest import make_actor

PAGE = "/finance/ledger"
NOW = lifecycle_support.at(date(2027, 6, 1))  # the first quarter of 2027-28: a termination in August is ahead


@dataclass(frozen=True)
class Shown:
    """One ledger line's money as a reader sees it, in pence."""

    budget: int
    earmarked: int
    committed: int
    actual: int
    headroom: int

    def reconciles(self) -> bool:
        return self.budget == self.earmarked + self.committed + self.actual + self.headroom


def _pence(text: str) -> int:
    """ "£1,234.56" or "-£500.00" (the page) and "1234.56" (the CSV) as pence, exactly."""
    cleaned = text.replace("£", "").replace(",", "").strip()
    return int(Decimal(cleaned) * 100)


def _page_lines(html: str) -> dict[int, Shown]:
    """The page's ledger table by budget line: budget, earmarked, committed (not yet spent), actual, headroom."""
    found = {}
    for line_id, body in re.findall(r'<tr class="nhsuk-table__row" data-line="(\d+)">(.*?)</tr>', html, re.S):
        cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]
        found[int(line_id)] = Shown(*(_pence(cell) for cell in cells[3:8]))
    return found


def _csv_lines(text: str) -> dict[tuple[str, str, str], Shown]:
    """The CSV's rows by PCPG, financial year and funding stream (the file names no line id)."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][4:9] == ["Budget (£)", "Earmarked (£)", "Committed, not yet spent (£)", "Actual (£)", "Headroom (£)"]
    return {(r[0], r[2], r[3]): Shown(*(_pence(cell) for cell in r[4:9])) for r in rows[1:]}


async def _read(http: httpx.AsyncClient) -> tuple[dict[int, Shown], dict[tuple[str, str, str], Shown]]:
    """The ledger page and its CSV at one moment, each line reconciling to the penny on both."""
    page = await http.get(PAGE)
    assert page.status_code == 200, page.text[:500]
    download = await http.get(PAGE + ".csv")
    assert download.status_code == 200
    on_page, in_csv = _page_lines(page.text), _csv_lines(download.text)
    assert on_page and len(on_page) == len(in_csv)
    assert sorted(on_page.values(), key=repr) == sorted(in_csv.values(), key=repr), "the CSV is the page's table"
    for line_id, shown in on_page.items():
        assert shown.reconciles(), (line_id, shown)
    return on_page, in_csv


def _moved(before: Shown, after: Shown) -> tuple[int, int, int]:
    """How the committed, earmarked and headroom figures of one line moved."""
    return (after.committed - before.committed, after.earmarked - before.earmarked, after.headroom - before.headroom)


async def test_the_ledger_moves_by_exactly_the_variation_and_the_termination_and_always_reconciles(client_as):
    made = await cs.contract()  # 2027-28 £100,000 and 2028-29 £120,000, each on a £500,000 Cardiff line
    line_27, line_28 = made.lines[2027].id, made.lines[2028].id
    spec = await factories.save(factories.SpecificationFactory(pcpg=await commissioning_support.pcpg_id("Cardiff")))
    for line, year, pence in ((line_27, 2027, 12_345_67), (line_28, 2028, 7_000_01)):
        await factories.save(
            factories.BudgetEarmarkFactory(
                budget_line=line, specification=spec.id, financial_year=year, amount_pence=pence
            )
        )
    vale = await ledger_support.line("Vale of Glamorgan", 2027, "regional_integration_fund", 50_000_00)
    finance, _ = await client_as("finance_director")

    start, start_csv = await _read(finance)
    assert start[line_27] == Shown(500_000_00, 12_345_67, 100_000_00, 0, 387_654_33)
    assert start[line_28] == Shown(500_000_00, 7_000_01, 120_000_00, 0, 372_999_99)

    # A variation raising 2028-29 by £15,000.01, proposed and approved (by someone else).
    colleague = await make_actor(Role.COMMISSIONER)
    number = await variations.propose_variation(
        actor=made.proposer,
        contract_id=made.contract_id,
        change=VariationIn(
            kind=VariationKind.PRICE_CHANGE,
            reason="More sessions in the second year",
            effective_on=date(2028, 4, 1),
            annual_values=[
                YearValueIn(financial_year=2027, value_pence=100_000_00),
                YearValueIn(financial_year=2028, value_pence=135_000_01),
            ],
        ),
        now=NOW,
    )
    proposed, _ = await _read(finance)
    assert proposed == start, "a proposal moves nothing on the ledger"
    await variations.approve_variation(
        actor=colleague, contract_id=made.contract_id, number=number, decision=DecisionIn(note=""), now=NOW
    )
    varied, varied_csv = await _read(finance)
    assert _moved(start[line_28], varied[line_28]) == (15_000_01, 0, -15_000_01)
    assert varied[line_27] == start[line_27], "the year the variation left alone"
    assert varied[vale] == start[vale], "another PCPG's line"
    assert sum(s.committed for s in varied_csv.values()) - sum(s.committed for s in start_csv.values()) == 15_000_01

    # Terminated with 15 August 2027 its last day of service: 2027-28 keeps two quarters (£50,000), 2028-29 none.
    await lifecycle.terminate_contract(
        actor=made.proposer,
        contract_id=made.contract_id,
        terminated_on=date(2027, 8, 15),
        reason="The provider is closing",
        now=NOW,
    )
    ended, ended_csv = await _read(finance)
    assert _moved(varied[line_27], ended[line_27]) == (-50_000_00, 0, 50_000_00)
    assert _moved(varied[line_28], ended[line_28]) == (-135_000_01, 0, 135_000_01)
    assert ended[line_27] == Shown(500_000_00, 12_345_67, 50_000_00, 0, 437_654_33)
    assert ended[line_28] == Shown(500_000_00, 7_000_01, 0, 0, 492_999_99)
    assert ended[vale] == start[vale]
    assert sum(s.headroom for s in ended_csv.values()) - sum(s.headroom for s in varied_csv.values()) == 185_000_01
