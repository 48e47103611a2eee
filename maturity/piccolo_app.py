"""Piccolo app: maturity."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="maturity",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=table_finder(modules=["maturity.tables"], exclude_imported=True),
    migration_dependencies=["organisations.piccolo_app", "accounts.piccolo_app"],
    commands=[],
)
