"""The load test's mix (issue 16, item 6): the public, providers, commissioners and finance directors using the service
at once, through its pages and its API, with a person's think time between requests. Run by bench/load/run, which
makes the data and the users (bench/load/users.py) and serves the app; or by hand:

    LOAD_USERS=bench/var/load-users.json locust -f bench/load/locustfile.py --host http://127.0.0.1:8000

Every request is named by its kind ("GET /specifications/[id]"), so the figures group per kind. Writes are designed to
succeed when repeated: each provider user is the one user of its delivery vehicle, bids once per specification and
then saves over that bid, and fills in its own returns; each commissioner accepts returns of their own PCPG only. So
any answer but the expected one is a failure, counted in the error figure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from datetime import date
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, between, events, task
from locust.env import Environment

PASSWORD = os.environ.get("BENCH_PASSWORD", "demo-password")
USERS_FILE = Path(os.environ.get("LOAD_USERS", "bench/var/load-users.json"))
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
SPEC_LINK = re.compile(r'href="/specifications/(\d+)"')


def _people() -> dict[str, list[str]]:
    """Usernames by role from bench/load/users.py; without that file, the demo's own users (a short run on the demo)."""
    if USERS_FILE.exists():
        return dict(json.loads(USERS_FILE.read_text()))
    return {
        "provider": ["provider", "provider2"],
        "commissioner": ["commissioner", "commissioner2"],
        "finance": ["finance"],
    }


MEASURED_SECONDS = float(os.environ.get("LOAD_MEASURED_SECONDS", "0"))
"""When set (bench/load/run), the run stops this long after every user has started: the time measured is fixed,
however long the sign-ins took."""

PEOPLE = _people()
_NEXT = {role: itertools.cycle(names) for role, names in PEOPLE.items()}
_TAKEN = {role: itertools.count(1) for role in PEOPLE}
_started: list[Environment] = []
_ready = itertools.count(1)


@events.init.add_listener
def _keep(environment: Environment, **_: Any) -> None:
    _started.append(environment)


def ready() -> None:
    """Called as each simulated user finishes starting (signing in): once every one has, the figures start again from
    nothing, so they are those of all the users at work, not of the sign-ins (password hashing, slow on purpose) and
    the first, cold requests."""
    environment = _started[0] if _started else None
    wanted = getattr(getattr(environment, "parsed_options", None), "num_users", None)
    if environment is not None and environment.runner is not None and next(_ready) == wanted:
        stats = environment.runner.stats
        for method, name in (("POST", "POST /sign-in"), ("POST", "POST /api/v1/auth/token")):
            entry = stats.get(name, method)
            print(
                f"while starting: {entry.num_requests} x {name}, median {entry.median_response_time:.0f} ms, "
                f"p95 {entry.get_response_time_percentile(0.95):.0f} ms, {entry.num_failures} errors",
                flush=True,
            )
        for error in stats.errors.values():
            print(f"error while starting: {error.occurrences} x {error.name}: {str(error.error)[:200]}", flush=True)
        print(
            f"all {wanted} users started, {stats.total.num_failures} errors so far: the figures count from here",
            flush=True,
        )
        stats.reset_all()
        if MEASURED_SECONDS > 0:
            gevent.spawn_later(MEASURED_SECONDS, environment.runner.quit)


class Public(FastHttpUser):
    """Anyone, not signed in: the open opportunities, a specification, the menu, reference data and the open data."""

    weight = 4
    wait_time = between(1, 5)
    spec_ids: list[int]

    def on_start(self) -> None:
        self.spec_ids = []
        self.opportunities()
        ready()

    @task(4)
    def opportunities(self) -> None:
        offset = random.choice(["", "", "?offset=20", "?offset=40"])
        with self.client.get(f"/opportunities{offset}", name="GET /opportunities", catch_response=True) as answer:
            found = [int(i) for i in SPEC_LINK.findall(answer.text or "")]
            if answer.status_code == 200 and found:
                self.spec_ids = found
            elif answer.status_code == 200:
                answer.failure("no specification listed")

    @task(4)
    def specification(self) -> None:
        if self.spec_ids:
            spec_id = random.choice(self.spec_ids)
            self.client.get(f"/specifications/{spec_id}", name="GET /specifications/[id]")
            if random.random() < 0.3:
                self.client.get(f"/api/v1/specifications/{spec_id}", name="GET /api/v1/specifications/[id]")
            elif random.random() < 0.1:
                self.client.get(
                    f"/specifications/{spec_id}/specification.pdf", name="GET /specifications/[id]/specification.pdf"
                )

    @task(2)
    def open_list_api(self) -> None:
        self.client.get("/api/v1/specifications?open=true&limit=50", name="GET /api/v1/specifications?open=true")

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="GET /")

    @task(1)
    def menu(self) -> None:
        self.client.get("/menu", name="GET /menu")

    @task(1)
    def reference(self) -> None:
        self.client.get("/reference/clusters", name="GET /reference/clusters")
        self.client.get("/api/v1/clusters", name="GET /api/v1/clusters")

    @task(1)
    def open_data(self) -> None:
        offset = random.choice([0, 0, 50, 500, 1500])
        self.client.get(f"/api/v1/open-data/ocds?limit=50&offset={offset}", name="GET /api/v1/open-data/ocds")


class SignedIn(FastHttpUser):
    """Signs in once, both ways: a session for the pages (and the CSRF token for their forms), a token for the API."""

    abstract = True
    wait_time = between(1, 5)
    role = ""
    username: str
    token: str

    def on_start(self) -> None:
        self.username = next(_NEXT[self.role])
        if next(_TAKEN[self.role]) == len(PEOPLE[self.role]) + 1:
            print(
                f"more {self.role} users than {self.role} accounts ({len(PEOPLE[self.role])}): two simulated users now "
                "share an account, and their writes may meet (a 409 counted as an error)",
                flush=True,
            )
        form = self.client.get("/sign-in", name="GET /sign-in")
        with self.client.post(
            "/sign-in",
            data={
                "username": self.username,
                "password": PASSWORD,
                "_csrf_token": self.csrf(form.text),
                "next": "/dashboard",
            },
            name="POST /sign-in",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code not in (302, 303):
                answer.failure(f"{answer.status_code}: not signed in")
        issued = self.client.post(
            "/api/v1/auth/token",
            json={"username": self.username, "password": PASSWORD},
            name="POST /api/v1/auth/token",
        )
        self.token = issued.json()["access_token"] if issued.status_code == 201 else ""
        if self.role != "provider":
            ready()

    @staticmethod
    def csrf(html: str | None) -> str:
        found = CSRF.search(html or "")
        return found.group(1) if found else ""

    def api(self, method: str, path: str, name: str, body: Any = None, expect: int = 200) -> Any:
        """An API call with the bearer token; any status but `expect` is a failure. Answers the JSON, or None."""
        with self.client.request(
            method,
            path,
            name=name,
            json=body,
            headers={"authorization": f"Bearer {self.token}"},
            catch_response=True,
        ) as answer:
            if answer.status_code != expect:
                answer.failure(f"{answer.status_code}: {(answer.text or '')[:300]}")
                return None
            return answer.json()


class Provider(SignedIn):
    """A delivery vehicle's manager: reads the opportunities, bids (a draft saved over, then submitted) on those its
    vehicle serves, and fills in and submits its delivery returns."""

    weight = 3
    role = "provider"
    open_ids: list[int]
    serving: list[int]
    biddable: dict[int, dict[str, Any]]
    bids: dict[int, str]
    not_biddable: set[int]

    def on_start(self) -> None:
        super().on_start()
        self.biddable, self.not_biddable, self.bids = {}, set(), {}
        listed = self.api("GET", "/api/v1/specifications?open=true&limit=200", "GET /api/v1/specifications?open=true")
        self.open_ids = [item["id"] for item in (listed or {}).get("items", [])]
        dashboard = self.client.get("/dashboard", name="GET /dashboard")
        self.serving = [int(i) for i in SPEC_LINK.findall(dashboard.text or "")]  # open ones its vehicle serves
        ready()
        for bid in self.api("GET", "/api/v1/bids/mine", "GET /api/v1/bids/mine") or []:
            self.bids[bid["specification_id"]] = bid["id"]

    @task(3)
    def opportunities(self) -> None:
        self.client.get("/opportunities", name="GET /opportunities")

    @task(3)
    def read_specification(self) -> None:
        """Opens an open specification, first those the dashboard listed as in its vehicle's clusters; one the vehicle
        may bid for (the answer's actions say so) is kept for bidding."""
        unseen = [i for i in self.serving + self.open_ids if i not in self.not_biddable and i not in self.biddable]
        candidates = unseen[:1] if unseen and unseen[0] in self.serving else unseen
        if not candidates:
            return
        spec_id = random.choice(candidates)
        self.client.get(f"/specifications/{spec_id}", name="GET /specifications/[id]")
        spec = self.api("GET", f"/api/v1/specifications/{spec_id}", "GET /api/v1/specifications/[id]")
        if spec is None:
            return
        if spec["actions"]["bid"] or spec["actions"]["change_bid"]:
            self.biddable[spec_id] = spec
        else:
            self.not_biddable.add(spec_id)

    @task(4)
    def bid(self) -> None:
        """The bid form, then the bid through the API: made once (201), then saved over (PUT); a draft until, one time
        in four, it is submitted (a submitted bid saved again stays submitted, so every save is complete)."""
        if not self.biddable:
            self.read_specification()
            return
        spec_id, spec = random.choice(list(self.biddable.items()))
        self.client.get(f"/specifications/{spec_id}/bid", name="GET /specifications/[id]/bid")
        body = {
            "prices": [
                {"financial_year": year["financial_year"], "price_pence": year["max_value_pence"] * 9 // 10}
                for year in spec["years"]
            ],
            "staff": "Two practice nurses, a pharmacist and a care coordinator, already in post",
            "start_on": date(spec["start_financial_year"], 4, 1).isoformat(),
            "answers": [
                {"criterion": position, "answer": f"How we meet criterion {position + 1}, with examples."}
                for position in range(len(spec["criteria"]))
            ],
            "submit": random.random() < 0.25,
        }
        bid_id = self.bids.get(spec_id)
        if bid_id is None:
            made = self.api(
                "POST", f"/api/v1/specifications/{spec_id}/bids", "POST /api/v1/specifications/[id]/bids", body, 201
            )
            if made is not None:
                self.bids[spec_id] = made["id"]
        else:
            self.api("PUT", f"/api/v1/bids/{bid_id}", "PUT /api/v1/bids/[id]", body)

    @task(2)
    def own_pages(self) -> None:
        self.client.get("/dashboard", name="GET /dashboard")
        self.client.get("/bids", name="GET /bids")

    @task(4)
    def fill_in_return(self) -> None:
        """A return still with the vehicle, its quarter over: its page, then the figures saved (the draft), and one
        time in three submitted."""
        self.client.get("/returns", name="GET /returns")
        status = random.choice(["draft", "not_started", "queried"])
        listed = self.api("GET", f"/api/v1/returns?status={status}&limit=50", "GET /api/v1/returns?status=[status]")
        due = [item for item in (listed or {}).get("items", []) if item["period_to"] < date.today().isoformat()]
        if not due:
            return
        return_id = random.choice(due)["id"]
        self.client.get(f"/returns/{return_id}", name="GET /returns/[id]")
        whole = self.api("GET", f"/api/v1/returns/{return_id}", "GET /api/v1/returns/[id]")
        if whole is None or "edit" not in {action["action"] for action in whole["actions"]}:
            return
        light = whole["summary"]["light"]
        figures: dict[str, Any] = {
            "activity": [{"cluster_id": c["cluster_id"], "units": random.randint(20, 400)} for c in whole["activity"]],
            "spend_pence": whole["quarter_share_pence"],
            "kpi_values": [  # a KPI with no target (some demo contracts) is given a number all the same
                {"contract_kpi_id": k["contract_kpi_id"], "value": k["target"] or "10"} for k in whole["kpis"]
            ],
        }
        if not light:
            figures |= {
                "narrative": "Delivered as planned; clinics ran in every cluster.",
                "risks": "None new this quarter.",
                "workforce": [{"staff_group": w["staff_group"], "wte": "1.5"} for w in whole["workforce"]],
            }
        saved = self.api("PUT", f"/api/v1/returns/{return_id}/figures", "PUT /api/v1/returns/[id]/figures", figures)
        if saved is not None and random.random() < 0.33:
            self.api("POST", f"/api/v1/returns/{return_id}/submit", "POST /api/v1/returns/[id]/submit")


class Commissioner(SignedIn):
    """A PCPG's commissioner: the dashboard, their specifications, contracts and returns; accepts a submitted return."""

    weight = 2
    role = "commissioner"

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/dashboard", name="GET /dashboard")

    @task(3)
    def specifications(self) -> None:
        answer = self.client.get("/specifications", name="GET /specifications")
        found = SPEC_LINK.findall(answer.text or "")
        if found:
            self.client.get(f"/specifications/{random.choice(found)}", name="GET /specifications/[id]")

    @task(3)
    def contracts(self) -> None:
        self.client.get("/contracts", name="GET /contracts")
        listed = self.api("GET", "/api/v1/contracts?limit=50", "GET /api/v1/contracts")
        items = (listed or {}).get("items", [])
        if items:
            contract_id = random.choice(items)["id"]
            self.client.get(f"/contracts/{contract_id}", name="GET /contracts/[id]")
            self.api("GET", f"/api/v1/contracts/{contract_id}", "GET /api/v1/contracts/[id]")

    @task(3)
    def returns(self) -> None:
        self.client.get("/returns", name="GET /returns")
        self.api("GET", "/api/v1/returns?limit=50", "GET /api/v1/returns")

    @task(2)
    def review(self) -> None:
        """The returns waiting for review; one is opened, and one time in two accepted through its page's form."""
        self.client.get("/returns/review", name="GET /returns/review")
        listed = self.api("GET", "/api/v1/returns?status=submitted&limit=50", "GET /api/v1/returns?status=[status]")
        items = (listed or {}).get("items", [])
        if not items:
            return
        return_id = random.choice(items)["id"]
        self.client.get(f"/returns/{return_id}/review", name="GET /returns/[id]/review")
        if random.random() < 0.5:
            form = self.client.get(f"/returns/{return_id}/accept", name="GET /returns/[id]/accept")
            with self.client.post(
                f"/returns/{return_id}/accept",
                data={"_csrf_token": self.csrf(form.text)},
                name="POST /returns/[id]/accept",
                allow_redirects=False,
                catch_response=True,
            ) as answer:
                if answer.status_code not in (302, 303):
                    answer.failure(f"{answer.status_code}: not accepted")

    @task(1)
    def finance(self) -> None:
        self.client.get("/finance/dashboard", name="GET /finance/dashboard")


class FinanceDirector(SignedIn):
    """A health board's finance director: the finance dashboard, the ledger, the spend report and their downloads."""

    weight = 1
    role = "finance"

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/finance/dashboard", name="GET /finance/dashboard")

    @task(2)
    def ledger(self) -> None:
        self.client.get("/finance/ledger", name="GET /finance/ledger")
        self.api("GET", "/api/v1/finance/ledger", "GET /api/v1/finance/ledger")

    @task(2)
    def spend(self) -> None:
        grouping = random.choice(["cluster", "pcpg", "menu_service", "financial_year"])
        self.client.get(f"/finance/spend?group_by={grouping}", name="GET /finance/spend")
        self.api("GET", f"/api/v1/finance/spend?group_by={grouping}", "GET /api/v1/finance/spend")

    @task(2)
    def downloads(self) -> None:
        kind = random.choice(
            [
                ("/finance/ledger.csv", "GET /finance/ledger.csv"),
                ("/finance/ledger.xlsx", "GET /finance/ledger.xlsx"),
                ("/finance/spend.csv?group_by=cluster", "GET /finance/spend.csv"),
                ("/finance/spend.xlsx?group_by=cluster", "GET /finance/spend.xlsx"),
                ("/finance/spend.pdf", "GET /finance/spend.pdf"),
            ]
        )
        self.client.get(kind[0], name=kind[1])
