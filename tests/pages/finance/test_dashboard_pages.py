"""The finance dashboard (/finance/dashboard): a year's totals equal to the ledger's to the penny, charts drawn on
the server with tables of the same figures, the drill-down health board -> PCPG -> cluster -> contract, the national
view, scope, the downloads, English and Welsh, and a fixed number of statements however much data there is."""

from __future__ import annotations

import html
import re

from organisations.tables import HealthBoard, Pcpg
from tests import factories
from tests import spend_support as support
from tests.query_count import caches_kept, count_queries

PAGE = "/finance/dashboard"


def _totals(text: str) -> dict[str, str]:
    block = re.search(r'<dl[^>]*id="totals"[^>]*>(.*?)</dl>', text, re.S)
    assert block, "no totals"
    keys = [
        " ".join(re.sub(r"<[^>]+>", " ", k).split()) for k in re.findall(r"<dt[^>]*>(.*?)</dt>", block.group(1), re.S)
    ]
    values = [
        " ".join(re.sub(r"<[^>]+>", " ", v).split())
        for v in re.findall(r'<dd class="nhsuk-summary-list__value"[^>]*>(.*?)</dd>', block.group(1), re.S)
    ]
    return dict(zip(keys, values, strict=True))


def _table(text: str, caption_id: str) -> dict[str, list[str]]:
    found = re.search(rf'<caption id="{caption_id}".*?</caption>(.*?)</table>', text, re.S)
    assert found, caption_id
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(1), re.S):
        cells = [
            " ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0]] = cells[1:]
    return rows


def _crumbs(text: str) -> list[tuple[str, str]]:
    nav = re.search(r'<ol class="nhsuk-breadcrumb__list">(.*?)</ol>', text, re.S)
    assert nav, "no breadcrumbs"
    links = re.findall(r'<a class="nhsuk-breadcrumb__link" href="([^"]+)">(.*?)</a>', nav.group(1), re.S)
    return [(html.unescape(href), " ".join(name.split())) for href, name in links]


async def _ids(name: str, table: object = Pcpg) -> int:
    row = await table.select(table.id).where(table.name == name).first()  # type: ignore[attr-defined]
    assert row is not None
    return int(row["id"])


async def test_a_finance_director_sees_their_health_boards_year_to_the_penny_of_the_ledger(client_as):
    await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    response = await finance.get(PAGE, params={"year": "2027"})
    assert response.status_code == 200
    ledger = (await finance.get("/api/v1/finance/ledger", params={"financial_year": "2027"})).json()
    year = ledger["years"][0]
    pounds = (await finance.get("/finance/ledger", params={"financial_year": "2027"})).text
    assert _totals(response.text) == {
        "Budget": "£111,000.00",
        "Earmarked": "£39,500.00",
        "Committed, not yet spent": "£59,399.98",
        "Actual": "£29,366.69",
        "Headroom": "-£17,266.67",
    }
    assert (year["budget_pence"], year["earmarked_pence"], year["committed_unspent_pence"]) == (
        111_000_00,
        39_500_00,
        59_399_98,
    )
    assert (year["actual_pence"], year["headroom_pence"]) == (29_366_69, -17_266_67)
    assert "£59,399.98" in pounds  # the ledger page shows the same total
    pcpgs = _table(response.text, "places-caption")
    assert set(pcpgs) == {"Name", "Cardiff", "Vale of Glamorgan"}  # Swansea Bay is another health board's
    cardiff = await _ids("Cardiff")
    assert f'href="/finance/dashboard?pcpg={cardiff}&amp;year=2027"' in response.text
    board = await _ids("Cardiff and Vale University Health Board", HealthBoard)
    query = f"group_by=pcpg&amp;group_by=cluster&amp;from_year=2027&amp;to_year=2027&amp;health_board={board}"
    for path in ("/finance/spend.csv", "/finance/spend.xlsx", "/finance/spend.pdf"):
        assert f'href="{path}?{query}"' in response.text
    other = await finance.get(PAGE, params={"year": "2028"})
    assert _totals(other.text)["Budget"] == "£100,000.01"


async def test_each_chart_names_itself_and_has_a_table_with_the_same_figures(client_as):
    await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    text = (await finance.get(PAGE, params={"year": "2027"})).text
    charts = re.findall(r'<svg[^>]*class="app-chart".*?</svg>', text, re.S)
    assert len(charts) == 3  # spend by cluster, per head, year on year
    for chart in charts:
        assert 'role="img"' in chart and 'viewBox="0 0 400 ' in chart and 'width="100%"' in chart
        assert re.search(r"<title id=[^>]*>[^<]+</title><desc id=[^>]*>[^<]+</desc>", chart)
    assert text.count("Show the figures as a table") == 3
    spend = charts[0]
    table = _table(text, "spend-caption")
    assert table["Cardiff North"] == ["£10,833.37", "£13,333.34"]
    assert "Actual: £10,833.37" in spend and "Committed: £13,333.34" in spend
    labelled = re.findall(r">(Actual|Committed): ([^<]+)</text>", spend)
    shown = [
        value
        for name in ("Cardiff East", "Cardiff North", "Cardiff South West", "Central Vale")
        for value in table[name]
    ]
    assert [value for _, value in labelled][:8] == shown
    per_head = _table(text, "per-head-caption")
    assert per_head["Cardiff North"][:3] == ["£0.10", "£0.12", "107,230"]
    assert "Cardiff East" not in per_head and "Central Vale" not in per_head  # never guessed
    assert re.search(r'id="without-population">\s*<li>Cardiff East</li><li>Central Vale</li>', text)
    years = _table(text, "years-caption")
    assert years["2027-28"] == ["£29,366.69", "£88,766.67"]
    assert years["2028-29"] == ["£5,001.00", "£53,334.32"]


async def test_the_drill_down_goes_from_pcpg_to_cluster_to_contract_with_breadcrumbs(client_as):
    world = await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    cardiff = await _ids("Cardiff")
    pcpg = await finance.get(PAGE, params={"year": "2027", "pcpg": str(cardiff)})
    assert pcpg.status_code == 200
    assert _totals(pcpg.text)["Budget"] == "£110,000.00"
    assert _crumbs(pcpg.text) == [
        ("/dashboard", "Dashboard"),
        ("/finance/dashboard?year=2027", "Cardiff and Vale University Health Board"),
    ]
    clusters = _table(pcpg.text, "places-caption")
    assert clusters["Cardiff North"] == ["£13,333.34", "£0.00", "£2,499.97", "£10,833.37", "£0.00"]
    assert "Central Vale" not in clusters  # the Vale's
    north = world.clusters["Cardiff North"]
    assert f'href="/finance/dashboard?cluster={north}&amp;year=2027"' in pcpg.text
    for year, amount in ((2027, 12_000_00), (2028, 99_00)):  # the other year's allocation is not this year's
        await factories.save(
            factories.ContractAllocationFactory(
                contract=world.contracts["weight"], cluster=north, financial_year=year, amount_pence=amount
            )
        )

    cluster = await finance.get(PAGE, params={"year": "2027", "cluster": str(north)})
    assert cluster.status_code == 200
    assert _crumbs(cluster.text)[1:] == [
        ("/finance/dashboard?year=2027", "Cardiff and Vale University Health Board"),
        (f"/finance/dashboard?pcpg={cardiff}&year=2027", "Cardiff"),
    ]
    contracts = _table(cluster.text, "contracts-caption")
    rows = {name.split(":")[0]: cells for name, cells in contracts.items() if name not in ("Contract", "Total")}
    assert {tuple(cells[1:]) for cells in rows.values()} == {
        ("£0.00", "£3,333.33", "£3,333.34"),
        ("£12,000.00", "£10,000.01", "£7,500.03"),
    }
    assert contracts["Total"] == ["£12,000.00", "£13,333.34", "£10,833.37"]
    for name in ("weight", "falls"):
        assert f'href="/contracts/{world.contracts[name]}"' in cluster.text
    assert f'href="/contracts/{world.contracts["swansea"]}"' not in cluster.text
    assert _totals(cluster.text) == {
        "Committed": "£13,333.34",
        "Committed, not yet spent": "£2,499.97",
        "Actual": "£10,833.37",
    }


async def test_a_place_of_another_health_board_does_not_exist_to_its_finance_director(client_as):
    world = await support.build_spend_world()
    swansea, _ = await client_as("finance_director", health_board_name="Swansea Bay University Health Board")
    own = await swansea.get(PAGE, params={"year": "2027"})
    assert own.status_code == 200 and "Swansea Bay" in own.text and "Cardiff North" not in own.text
    board = await _ids("Cardiff and Vale University Health Board", HealthBoard)
    for params in (
        {"pcpg": str(await _ids("Cardiff"))},
        {"cluster": str(world.clusters["Cardiff North"])},
        {"health_board": str(board)},
    ):
        assert (await swansea.get(PAGE, params=params)).status_code == 404, params
    commissioner, _ = await client_as("commissioner", pcpg_names=("Swansea Bay",))
    assert (await commissioner.get(PAGE, params={"pcpg": str(await _ids("Cardiff"))})).status_code == 404
    mine = await commissioner.get(PAGE, params={"year": "2027"})
    assert mine.status_code == 200 and "Your PCPGs" in mine.text
    assert set(_table(mine.text, "places-caption")) == {"Name", "Swansea Bay"}
    swansea_bay = await _ids("Swansea Bay")
    down = await commissioner.get(PAGE, params={"year": "2027", "pcpg": str(swansea_bay)})
    assert _totals(down.text)["Actual"] == "£1,234.56"
    assert _crumbs(down.text)[1] == ("/finance/dashboard?year=2027", "Your PCPGs")
    provider, _ = await client_as("provider")
    assert (await provider.get(PAGE)).status_code == 403


async def test_a_national_administrator_sees_all_seven_health_boards_and_goes_down_from_there(client_as):
    await support.build_spend_world()
    admin, _ = await client_as("national_admin")
    wales = await admin.get(PAGE, params={"year": "2027"})
    assert wales.status_code == 200
    boards = _table(wales.text, "places-caption")
    assert len(boards) == 1 + 7
    assert boards["Cardiff and Vale University Health Board"][0] == "£111,000.00"
    assert boards["Swansea Bay University Health Board"][3] == "£1,234.56"
    assert boards["Powys Teaching Health Board"] == ["£0.00"] * 5
    assert _totals(wales.text)["Budget"] == "£188,777.77"
    assert "Spend by health board" in wales.text
    board = await _ids("Swansea Bay University Health Board", HealthBoard)
    assert f'href="/finance/dashboard?health_board={board}&amp;year=2027"' in wales.text
    one = await admin.get(PAGE, params={"year": "2027", "health_board": str(board)})
    assert _crumbs(one.text) == [("/dashboard", "Dashboard"), ("/finance/dashboard?year=2027", "Wales")]
    assert set(_table(one.text, "places-caption")) == {"Name", "Swansea Bay"}


async def test_an_empty_health_board_says_there_are_no_budget_lines_yet(client_as):
    finance, _ = await client_as("finance_director")
    response = await finance.get(PAGE, params={"year": "2027"})
    assert response.status_code == 200
    assert "There are no budget lines here for 2027-28 yet." in response.text
    assert 'class="app-chart"' not in response.text


async def test_the_dashboard_reads_in_welsh(client_as):
    await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    response = await finance.get(PAGE, params={"year": "2027", "lang": "cy"})
    assert response.status_code == 200
    for english in ("Show the figures as a table", "Totals for", "Spend by cluster", "Year on year", "Committed"):
        assert english not in response.text, english
    assert "Dangos y ffigurau fel tabl" in response.text
    assert _totals(response.text)["Gwirioneddol"] == "£29,366.69"


async def test_finance_is_one_link_in_the_header_and_the_dashboard_leads_to_budgets_ledger_and_spend(client_as):
    for role, shown in (
        ("finance_director", True),
        ("national_admin", True),
        ("commissioner", True),
        ("provider", False),
        ("evaluator", False),
    ):
        http, _ = await client_as(role)
        text = (await http.get("/dashboard")).text
        assert ('href="/finance/dashboard"' in text) is shown, role
        if shown:
            dashboard = await http.get("/finance/dashboard")
            for href in ("/budgets", "/finance/ledger", "/finance/spend"):
                assert f'href="{href}"' in dashboard.text, (role, href)
                assert (await http.get(href)).status_code == 200, (role, href)


async def test_the_dashboard_runs_as_many_statements_with_many_rows_as_with_few(client_as):
    world = await support.build_spend_world()
    finance, _ = await client_as("finance_director")
    cardiff = await _ids("Cardiff")

    added = []

    async def add(count: int) -> None:
        for _ in range(count):
            added.append(1)
            await support.commit_split(world, "cardiff_27", "weight", {"Cardiff North": 1_00, "Central Vale": 2_00})
            year = 2040 + len(added)  # a payment per contract quarter
            await support.pay(world, "cardiff_27", "falls", {"Cardiff East": 50}, quarter=2, year=year)

    admin, _ = await client_as("national_admin")
    pages = (
        (finance, f"{PAGE}?year=2027"),
        (finance, f"{PAGE}?year=2027&pcpg={cardiff}"),
        (finance, f"{PAGE}?year=2027&cluster={world.clusters['Cardiff North']}"),
        (admin, f"{PAGE}?year=2027"),
    )
    few = [await _statements(http, path) for http, path in pages]
    await add(30)
    many = [await _statements(http, path) for http, path in pages]
    assert [len(found) for found in few] == [len(found) for found in many]
    assert all(len(found) <= 12 for found in many), many


async def _statements(http, path: str) -> list[str]:
    """The statements one read of the page sends, caches warm, without the sign-in's record of its use (written at
    most once a minute, so it may fall in either read)."""
    with caches_kept():  # a cache's one-second lifetime may end between the two reads on a loaded machine
        assert (await http.get(path)).status_code == 200
        with count_queries() as counted:
            assert (await http.get(path)).status_code == 200
    return [sql for sql in counted.statements if "api_token" not in sql and "web_session" not in sql]
