"""Every table has a factory-boy factory, and each builds a row that saves (with its parents)."""

import factory as factory_boy

from accounts.actor import Role
from piccolo_conf import APP_REGISTRY
from tests import factories

ALL_FACTORIES = [
    value
    for value in vars(factories).values()
    if isinstance(value, type) and issubclass(value, factory_boy.Factory) and value is not factory_boy.Factory
]


def test_every_table_has_a_factory():
    tables = {table for app in APP_REGISTRY.app_configs.values() for table in app.table_classes}
    covered = {f._meta.model for f in ALL_FACTORIES}
    missing = sorted(table.__name__ for table in tables - covered)
    assert not missing, f"add factories to tests/factories.py for: {missing}"


async def test_every_factory_builds_a_row_that_saves():
    for factory_class in ALL_FACTORIES:
        row = await factories.save(factory_class())
        assert row.id is not None
        assert await type(row).exists().where(type(row).id == row.id)
    user = await factories.create_user(role=Role.PROVIDER, with_vehicle=True)
    assert user.delivery_vehicle is not None
