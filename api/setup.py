"""Setting a database up: its tables (migrations, both databases) and the reference data and national menu every
install starts from. Used by `cdv migrate`, `cdv load-reference`, `cdv demo` and the test suite."""

from __future__ import annotations

import os

os.environ.setdefault("PICCOLO_CONF", "piccolo_conf")


async def migrate() -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    result = await run_forwards(app_name="all")
    if not result.success:
        raise SystemExit(f"migrations failed: {result.message}")


async def load_reference() -> dict[str, int]:
    """Wales reference data, the national menu of cluster services and the maturity matrix; running it again changes
    nothing."""
    from accounts.actor import SYSTEM
    from core.clock import SYSTEM_CLOCK
    from maturity.matrix import load_matrix
    from menu.services import load_menu
    from organisations.reference import load_reference as load

    counts = await load(actor=SYSTEM, now=SYSTEM_CLOCK.now())
    counts["menu_services_added"] = await load_menu(actor=SYSTEM, now=SYSTEM_CLOCK.now())
    counts["maturity_domains_added"] = await load_matrix(actor=SYSTEM, now=SYSTEM_CLOCK.now())
    return counts
