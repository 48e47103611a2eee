"""Piccolo app: returns."""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="returns",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=table_finder(modules=["returns.tables"], exclude_imported=True),
    migration_dependencies=["organisations.piccolo_app", "finance.piccolo_app", "contracts.piccolo_app"],
    commands=[],
)
