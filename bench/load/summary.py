"""The load test's figures from locust's CSV files (bench/load/run): requests per second, p50/p95/p99 per kind of
request, the errors, and the verdict against issue 16's goals (0 errors; p95 under 500 ms for every page and API
route). Also counts, in the server's log, answers of 500 or more and "database is locked", and adds the errors made
while the users were starting, which locust's figures no longer hold (the locustfile starts them again from nothing).

    python bench/load/summary.py bench/var/load [bench/var/load-serve.log [bench/var/load-locust.log]]
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

GOAL_P95_MS = 500.0
NOT_JUDGED = {"POST /sign-in", "POST /api/v1/auth/token"}
"""Signing in hashes the password, slow on purpose (accounts.services.sign_in): shown, not held to the goal. Each
simulated user signs in once, while the users are being started."""

STARTED = re.compile(r"^all \d+ users started, (\d+) errors so far", re.MULTILINE)
SERVER_ERROR = re.compile(r'" 5\d\d\b|status[=:" ]+5\d\d\b')


def _float(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def summarise(prefix: str, server_log: Path | None, locust_log: Path | None = None) -> bool:
    """Prints the table and the verdict; answers whether every goal was met."""
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kinds = [row for row in rows if row["Name"] != "Aggregated" and _float(row["Request Count"]) > 0]
    total = next(row for row in rows if row["Name"] == "Aggregated")
    kinds.sort(key=lambda row: -_float(row["Request Count"]))
    heading = f"{'kind of request':<46} {'requests':>8} {'errors':>6} {'req/s':>7}"
    print(f"{heading} {'p50':>6} {'p95':>6} {'p99':>6}  p95 goal")
    slow: list[str] = []
    for row in kinds:
        name, p95 = row["Name"], _float(row["95%"])
        judged = name not in NOT_JUDGED
        if judged and p95 >= GOAL_P95_MS:
            slow.append(name)
        verdict = ("met" if p95 < GOAL_P95_MS else "NOT met") if judged else "not judged (sign-in)"
        print(
            f"{name[:46]:<46} {row['Request Count']:>8} {row['Failure Count']:>6} {_float(row['Requests/s']):>7.2f} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6}  {verdict}"
        )
    print(
        f"{'all requests':<46} {total['Request Count']:>8} {total['Failure Count']:>6} "
        f"{_float(total['Requests/s']):>7.2f} {total['50%']:>6} {total['95%']:>6} {total['99%']:>6}  (ms)"
    )
    errors = int(total["Failure Count"])
    failures = Path(f"{prefix}_failures.csv")
    if errors and failures.exists():
        print("\nerrors by kind:")
        with open(failures, newline="") as handle:
            for row in csv.DictReader(handle):
                print(f"  {row['Occurrences']:>5} x {row['Name']}: {row['Error'][:200]}")
    server_errors = locked = 0
    if server_log is not None and server_log.exists():
        for line in server_log.read_text(errors="replace").splitlines():
            server_errors += bool(SERVER_ERROR.search(line))
            locked += "database is locked" in line
        print(f"\nserver log: {server_errors} answers of 500 or more, {locked} 'database is locked'")
    started = True
    if locust_log is not None and locust_log.exists():
        found = STARTED.search(locust_log.read_text(errors="replace"))
        started = found is not None
        starting_errors = int(found.group(1)) if found else 0
        print(
            f"while the users were starting: {starting_errors} errors"
            if found
            else "the users did not all start: the figures include the sign-ins"
        )
        errors += starting_errors
    met = errors == 0 and not slow and server_errors == 0 and locked == 0 and started
    timing = f"p95 at or over {GOAL_P95_MS:.0f} ms: {', '.join(slow)}" if slow else "every p95 under 500 ms"
    print(f"\n{_float(total['Requests/s']):.1f} requests per second over {total['Request Count']} requests")
    print(f"verdict: {errors} errors (goal 0); {timing}; {'all goals met' if met else 'goals NOT met'}")
    return met


if __name__ == "__main__":
    logs = [Path(name) for name in sys.argv[2:4]]
    raise SystemExit(0 if summarise(sys.argv[1], *logs) else 1)
