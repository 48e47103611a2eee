"""Database: PostgreSQL when DATABASE_URL is set, else an SQLite file under var/ (created on demand).

Both engines are Piccolo's with two additions (core/engines.py): SQLite reads outside a transaction reuse
one connection, and every write tells the in-process caches which tables changed.
"""

import os
from pathlib import Path

from piccolo.conf.apps import AppRegistry
from piccolo.engine.base import Engine

from core.engines import CdvPostgresEngine, CdvSQLiteEngine

DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()

DB: Engine
if DATABASE_URL.startswith(("postgres://", "postgresql://")):
    # JIT off: the app's statements are short; at Wales scale PostgreSQL spent 2.2 s of 2.6 s compiling one spend
    # report (bench/README.md, "Scale"). The documentation advises it for such work.
    DB = CdvPostgresEngine(config={"dsn": DATABASE_URL, "server_settings": {"jit": "off"}}, log_queries=False)
else:
    _path = Path(os.environ.get("CDV_SQLITE_PATH", Path(__file__).resolve().parent / "var" / "cdv.sqlite3"))
    _path.parent.mkdir(parents=True, exist_ok=True)
    # How long a write waits for another process's write lock before it answers 503 (core/db.py `Failure.BUSY`).
    DB = CdvSQLiteEngine(path=str(_path), timeout=float(os.environ.get("CDV_SQLITE_BUSY_TIMEOUT", "30")))

APP_REGISTRY = AppRegistry(
    apps=[
        "organisations.piccolo_app",
        "accounts.piccolo_app",
        "audit.piccolo_app",
        "administration.piccolo_app",
        "menu.piccolo_app",
        "finance.piccolo_app",
        "commissioning.piccolo_app",
        "contracts.piccolo_app",
        "returns.piccolo_app",
        "notifications.piccolo_app",
        "maturity.piccolo_app",
        "needs.piccolo_app",
    ]
)
