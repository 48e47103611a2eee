"""Piccolo app: contracts."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="contracts",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=table_finder(modules=["contracts.tables"], exclude_imported=True),
    migration_dependencies=[
        "organisations.piccolo_app",
        "accounts.piccolo_app",
        "finance.piccolo_app",
        "commissioning.piccolo_app",
    ],
    commands=[],
)
