"""The `cdv` command: migrate, load-reference, create-user, demo, serve, notify, remind, audit verify, check,
contracts expire, export-ocds."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import signal
import sys
from collections.abc import Sequence

os.environ.setdefault("PICCOLO_CONF", "piccolo_conf")

from api.setup import load_reference, migrate

GRACEFUL_SHUTDOWN_SECONDS = 25  # within the 30 s a container platform usually waits before SIGKILL


async def _with_pool(coroutine_factory):  # type: ignore[no-untyped-def]
    from core.db import engine, is_postgres

    if is_postgres():
        await engine().start_connection_pool(min_size=1, max_size=4)  # type: ignore[attr-defined]
    try:
        return await coroutine_factory()
    finally:
        if is_postgres():
            await engine().close_connection_pool()  # type: ignore[attr-defined]


def _cmd_migrate(_: argparse.Namespace) -> int:
    asyncio.run(_with_pool(migrate))
    print("migrations applied")
    return 0


def _cmd_load_reference(_: argparse.Namespace) -> int:
    counts = asyncio.run(_with_pool(load_reference))
    print(", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in counts.items()))
    return 0


def _cmd_create_user(args: argparse.Namespace) -> int:
    from accounts.actor import SYSTEM, Role
    from accounts.services.users import NewUser, create_user
    from core.clock import SYSTEM_CLOCK
    from core.errors import DomainError
    from core.i18n import gettext

    password = args.password or getpass.getpass("Password: ")
    user = NewUser(
        username=args.username,
        full_name=args.full_name,
        password=password,
        role=Role(args.role),
        email=args.email or "",
        language=args.language,
        pcpg_names=tuple(args.pcpg or ()),
        health_board_name=args.health_board,
    )
    try:
        user_id = asyncio.run(_with_pool(lambda: create_user(actor=SYSTEM, user=user, now=SYSTEM_CLOCK.now())))
    except DomainError as exc:
        print(f"cdv create-user: {gettext(exc.message, **exc.params)}", file=sys.stderr)
        return 2
    print(f"created user {args.username} (id {user_id})")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from api.settings import load_settings

    if load_settings().is_production:
        print("cdv demo: refused, CDV_ENV=production", file=sys.stderr)
        return 2
    from api.demo import make_demo

    if args.scale is None:
        summary = asyncio.run(_with_pool(lambda: make_demo(password=args.password, reset=args.reset)))
        print(summary)
        return 0
    return _demo_at_scale(args)


def _demo_at_scale(args: argparse.Namespace) -> int:
    """The demo, then the scale's synthetic data in bulk (api/scale), progress on stderr; with --check, the
    invariants the finance reports rely on (api/scale/check.py) checked afterwards."""
    from api.demo import make_demo
    from api.scale.check import check_invariants
    from api.scale.generate import AlreadyGenerated, generate
    from api.scale.profiles import PROFILES
    from core.clock import SYSTEM_CLOCK

    async def run() -> tuple[str, str, list[str]]:
        demo = await make_demo(password=args.password, reset=args.reset)
        made = await generate(PROFILES[args.scale], now=SYSTEM_CLOCK.now(), stream=sys.stderr)
        problems = await check_invariants() if args.check else []
        return demo, made.line(), problems

    try:
        demo, made, problems = asyncio.run(_with_pool(run))
    except AlreadyGenerated:
        print(f"cdv demo: the {args.scale} scale data is already there; --reset starts again", file=sys.stderr)
        return 2
    print(demo)
    print(made)
    if args.check:
        for problem in problems:
            print(f"invariant broken: {problem}", file=sys.stderr)
        print("invariants hold" if not problems else f"{len(problems)} invariants broken")
    return 1 if problems else 0


def _cmd_serve(args: argparse.Namespace) -> int:
    import logging.config

    import uvicorn

    from api.settings import UnsafeConfiguration, check_secret, load_settings
    from core.logs import LOG_CONFIG

    logging.config.dictConfig(LOG_CONFIG)  # the start-up checks' warnings are JSON lines too

    os.environ["CDV_HOST"] = args.host  # the app, in each worker, checks its secret against where it listens
    try:
        check_secret(load_settings())
    except UnsafeConfiguration as exc:
        print(f"cdv serve: {exc}", file=sys.stderr)
        return 2
    _stopping_is_success()
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info",
        log_config=LOG_CONFIG,
        # On SIGTERM uvicorn stops listening and lets requests in flight finish; this long at most (a large export
        # on a busy server), then it cancels what is left and the lifespans close the pool.
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    return 0


def _stopping_is_success() -> None:
    """Once it has finished the requests in flight after SIGTERM (or Ctrl-C), uvicorn puts back the signal handlers it
    found and raises the signal again, so the process would end "killed by SIGTERM". A stop asked for and carried out
    is a success: with these handlers found, the raised signal is spent and `cdv serve` exits 0."""
    for stop in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop, lambda *_: None)


def _mailer():  # type: ignore[no-untyped-def]
    from api.settings import load_settings
    from notifications.outbox import Mailer

    settings = load_settings()
    return Mailer(host=settings.smtp_host, port=settings.smtp_port, sender=settings.mail_from)


def _cmd_notify(args: argparse.Namespace) -> int:
    """Run from cron every few minutes: deadline reminders, then email what is due, then say how the outbox stands."""
    from datetime import UTC, datetime, time
    from zoneinfo import ZoneInfo

    from accounts.actor import SYSTEM
    from administration.services import current_clock
    from api.settings import load_settings
    from audit.operation import operation
    from core.clock import SYSTEM_CLOCK
    from notifications.outbox import deliver_all_due, retry_held
    from notifications.queries import outbox_report
    from notifications.rules import MAX_ATTEMPTS, OutboxStatus
    from notifications.services import remind_deadlines

    settings = load_settings()
    mailer = _mailer()
    london = ZoneInfo("Europe/London")

    async def run():  # type: ignore[no-untyped-def]
        clock = await current_clock() if settings.clock_can_move else SYSTEM_CLOCK
        retried = await retry_held(now=datetime.now(UTC)) if args.retry else 0
        async with operation("notifications.reminded", actor=SYSTEM, now=clock.now()):
            reminded = await remind_deadlines(now=clock.now())
        sent = await deliver_all_due(mailer)
        midnight = datetime.combine(datetime.now(london).date(), time(), tzinfo=london)
        return retried, reminded, sent, await outbox_report(since=midnight)

    retried, reminded, sent, report = asyncio.run(_with_pool(run))
    if args.retry:
        print(f"held emails to try again: {retried}")
    print(f"deadline reminders: {reminded}; emails sent: {sent}")
    counts = report.counts
    print(
        f"emails waiting: {counts[OutboxStatus.WAITING]}; failing: {counts[OutboxStatus.FAILING]}; "
        f"held after {MAX_ATTEMPTS} attempts: {counts[OutboxStatus.HELD]}; sent today: {counts[OutboxStatus.SENT]}"
    )
    for summary in report.errors:
        print(f"  last error of {summary.notices} not sent: {summary.error}")
    if not mailer.host and (counts[OutboxStatus.WAITING] or counts[OutboxStatus.FAILING]):
        print("no mail server set (CDV_SMTP_HOST): emails wait until one is")
    return 0


def _cmd_remind(_: argparse.Namespace) -> int:
    """Run from cron once a day: delivery return reminders (7 days before the due day, and on each of the first 3
    days overdue; never twice for one return and day), then email what is due."""
    from administration.services import current_clock
    from api.settings import load_settings
    from core.clock import SYSTEM_CLOCK
    from notifications.outbox import deliver_all_due
    from returns.services.reminders import send_return_reminders

    settings = load_settings()
    mailer = _mailer()

    async def run() -> tuple[int, int, int]:
        clock = await current_clock() if settings.clock_can_move else SYSTEM_CLOCK
        reminded = await send_return_reminders(now=clock.now())
        sent = await deliver_all_due(mailer)
        return reminded.returns, reminded.notices, sent

    returns, notices, sent = asyncio.run(_with_pool(run))
    print(f"delivery return reminders: {notices} about {returns} returns; emails sent: {sent}")
    return 0


def _cmd_audit_verify(_: argparse.Namespace) -> int:
    from audit.queries import verify_chain

    report = asyncio.run(_with_pool(verify_chain))
    if report.intact:
        print(f"audit chain intact: {report.events} events")
        return 0
    print(f"audit chain broken at event {report.first_bad_sequence}: {report.problem}", file=sys.stderr)
    return 1


def _cmd_check(_: argparse.Namespace) -> int:
    """After a crash, a restore or a bulk load: every invariant the data must hold (api/scale/check.py), each broken
    one named; exit 1 if any is."""
    from api.scale.check import check_invariants

    problems = asyncio.run(_with_pool(check_invariants))
    for problem in problems:
        print(f"invariant broken: {problem}", file=sys.stderr)
    print("invariants hold" if not problems else f"{len(problems)} invariants broken")
    return 1 if problems else 0


def _cmd_contracts_expire(_: argparse.Namespace) -> int:
    """Contracts whose term has ended become expired (the app also does this hourly)."""
    from api.settings import load_settings
    from contracts.expiry import expire_now

    settings = load_settings()
    expired = asyncio.run(_with_pool(lambda: expire_now(settings.clock_can_move)))
    print(f"contracts expired: {expired}")
    return 0


def _cmd_autonomy_recompute(_: argparse.Namespace) -> int:
    """The quarter's recompute of delivery vehicles' autonomy tiers (the app also does it from its hourly job); a
    second run in the same quarter changes nothing."""
    from api.settings import load_settings
    from contracts.expiry import clock_for
    from returns.autonomy.services import recompute_tiers

    settings = load_settings()

    async def run() -> int:
        return await recompute_tiers(now=(await clock_for(settings.clock_can_move)).now())

    changed = asyncio.run(_with_pool(run))
    print(f"autonomy tiers changed: {changed}")
    return 0


def _cmd_export_ocds(args: argparse.Namespace) -> int:
    """The open data (GET /api/v1/open-data/ocds) as one OCDS release package file."""
    from pathlib import Path

    from administration.services import current_clock
    from api.settings import load_settings
    from core.clock import SYSTEM_CLOCK
    from opendata.export import export_package

    settings = load_settings()
    path = Path(args.file).resolve()

    async def run() -> int:
        clock = await current_clock() if settings.clock_can_move else SYSTEM_CLOCK
        return await export_package(
            path=path, prefix=settings.ocid_prefix, uri=args.uri or path.as_uri(), now=clock.now()
        )

    count = asyncio.run(_with_pool(run))
    print(f"OCDS release package written to {path}: {count} releases")
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    """A consistent copy of the live database (SQLite's backup API; pg_dump on PostgreSQL), safe while the app runs."""
    from pathlib import Path

    from core.backup import BackupRefused, backup

    target = Path(args.file).resolve()
    try:
        asyncio.run(_with_pool(lambda: backup(target)))
    except BackupRefused as exc:
        print(f"cdv backup: {exc}", file=sys.stderr)
        return 2
    print(f"backup written to {target}")
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    """A backup into an empty database, then the audit trail's chain and the finance invariants checked: exit 1 if
    either fails, so a restore test in cron or CI says so."""
    from pathlib import Path

    from api.scale.check import check_invariants
    from audit.queries import verify_chain
    from core.backup import BackupRefused, restore

    source = Path(args.file).resolve()
    try:
        asyncio.run(_with_pool(lambda: restore(source)))
    except BackupRefused as exc:
        print(f"cdv restore: {exc}", file=sys.stderr)
        return 2
    print(f"restored from {source}")

    async def check():  # type: ignore[no-untyped-def]
        return await verify_chain(), await check_invariants()

    chain, problems = asyncio.run(_with_pool(check))
    if chain.intact:
        print(f"audit chain intact: {chain.events} events")
    else:
        print(f"audit chain broken at event {chain.first_bad_sequence}: {chain.problem}", file=sys.stderr)
    for problem in problems:
        print(f"invariant broken: {problem}", file=sys.stderr)
    print("invariants hold" if not problems else f"{len(problems)} invariants broken")
    return 0 if chain.intact and not problems else 1


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="cdv", description="cdv-commissioning: commissioning cluster services")
    commands = root.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="create or update every table").set_defaults(run=_cmd_migrate)
    commands.add_parser("load-reference", help="load Wales reference data (idempotent)").set_defaults(
        run=_cmd_load_reference
    )
    create = commands.add_parser("create-user", help="add a user")
    create.add_argument("--username", required=True)
    create.add_argument(
        "--role",
        required=True,
        choices=["national_admin", "commissioner", "evaluator", "provider", "finance_director"],
    )
    create.add_argument("--password", help="prompted for when left out")
    create.add_argument("--full-name", required=True, help="the person's name, shown wherever they appear")
    create.add_argument("--email")
    create.add_argument("--language", default="en", choices=["en", "cy"])
    create.add_argument("--pcpg", action="append", help="a PCPG's name, for commissioners (repeatable)")
    create.add_argument("--health-board", help="a health board's name, for finance directors")
    create.set_defaults(run=_cmd_create_user)
    demo = commands.add_parser("demo", help="a demo database with realistic data and the demo users")
    demo.add_argument("--password", default="demo-password")
    demo.add_argument("--reset", action="store_true", help="start from an empty database")
    demo.add_argument(
        "--scale",
        choices=["tiny", "wales", "england"],
        help="add synthetic data in bulk: tiny (5 clusters, 30 contracts), wales (the 60 clusters, 3,000 contracts) "
        "or england (1,250 synthetic clusters, 60,000 contracts)",
    )
    demo.add_argument("--check", action="store_true", help="with --scale: check the finance invariants afterwards")
    demo.set_defaults(run=_cmd_demo)
    serve = commands.add_parser("serve", help="serve the app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(run=_cmd_serve)
    notify = commands.add_parser(
        "notify", help="deadline reminders, then email what is due and say how many are waiting and failing (cron)"
    )
    notify.add_argument("--retry", action="store_true", help="try again the emails held after too many failed attempts")
    notify.set_defaults(run=_cmd_notify)
    commands.add_parser(
        "remind", help="delivery return reminders and the email outbox (run from cron daily)"
    ).set_defaults(run=_cmd_remind)
    audit = commands.add_parser("audit", help="audit trail tasks")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    audit_commands.add_parser("verify", help="check the hash chain; exit 1 naming the first bad event").set_defaults(
        run=_cmd_audit_verify
    )
    commands.add_parser(
        "check", help="check every invariant the data must hold (the ledger, contracts, bids, returns, the audit trail)"
    ).set_defaults(run=_cmd_check)
    contracts = commands.add_parser("contracts", help="contract tasks")
    contract_commands = contracts.add_subparsers(dest="contracts_command", required=True)
    contract_commands.add_parser("expire", help="expire every contract whose term has ended").set_defaults(
        run=_cmd_contracts_expire
    )
    autonomy = commands.add_parser("autonomy", help="earned autonomy tasks")
    autonomy_commands = autonomy.add_subparsers(dest="autonomy_command", required=True)
    autonomy_commands.add_parser(
        "recompute", help="work out every delivery vehicle's autonomy tier, once a quarter"
    ).set_defaults(run=_cmd_autonomy_recompute)
    export = commands.add_parser("export-ocds", help="write the open data as an OCDS 1.1.5 release package")
    export.add_argument("file", help="the JSON file to write")
    export.add_argument("--uri", help="where the file will be published (the package's uri); its path if left out")
    export.set_defaults(run=_cmd_export_ocds)
    backup = commands.add_parser("backup", help="write a consistent backup of the database to a new file")
    backup.add_argument("file", help="the file to write (it must not exist yet)")
    backup.set_defaults(run=_cmd_backup)
    restore = commands.add_parser(
        "restore", help="restore a backup into an empty database, then check the audit trail and the invariants"
    )
    restore.add_argument("file", help="a file `cdv backup` wrote")
    restore.set_defaults(run=_cmd_restore)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
