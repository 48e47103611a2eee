"""A commissioner's list of specifications holds their own PCPGs' only, and its count says so."""

from __future__ import annotations

from organisations.tables import Pcpg
from tests import factories


async def test_the_specifications_list_shows_only_the_commissioners_pcpgs(client_as):
    http, _ = await client_as("commissioner")
    cardiff = await factories.reference_id(Pcpg, "Cardiff")
    swansea = await factories.reference_id(Pcpg, "Swansea Bay")
    own = await factories.save(factories.SpecificationFactory(pcpg=cardiff, status="published", reference="CDV-OWN-1"))
    await factories.save(factories.SpecificationFactory(pcpg=swansea, status="published", reference="CDV-OTHER-1"))
    page = (await http.get("/specifications")).text
    assert f"/specifications/{own.id}" in page and "CDV-OWN-1" in page
    assert "CDV-OTHER-1" not in page
    assert "1 to 1 of 1" in page
