from accounts.actor import Role
from tests import factories


async def test_every_factory_builds_a_row_that_saves():
    for factory_class in [
        factories.HealthBoardFactory,
        factories.RegionalPartnershipBoardFactory,
        factories.PcpgFactory,
        factories.LocalAuthorityFactory,
        factories.ClusterFactory,
        factories.DeliveryVehicleFactory,
        factories.DeliveryVehicleClusterFactory,
        factories.UserFactory,
        factories.UserPcpgFactory,
        factories.WebSessionFactory,
        factories.ApiTokenFactory,
        factories.AuditEventFactory,
        factories.ClockSettingFactory,
    ]:
        row = await factories.save(factory_class())
        assert row.id is not None
        assert await type(row).exists().where(type(row).id == row.id)
    user = await factories.create_user(role=Role.PROVIDER, with_vehicle=True)
    assert user.delivery_vehicle is not None
