"""Reference lists are cached in the process and carry ETags; a change to the data changes the answer at once."""

from __future__ import annotations

import re
from typing import Any

from organisations.tables import Cluster
from tests.answers import REQUEST_ID_HEADER


async def test_a_reference_list_carries_an_etag_and_answers_304_when_it_matches(client):
    first = await client.get("/api/v1/clusters")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    again = await client.get("/api/v1/clusters", headers={"if-none-match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    other = await client.get("/api/v1/clusters", headers={"if-none-match": '"something-else"'})
    assert (other.status_code, other.json()) == (200, first.json())


async def test_each_reference_route_has_its_own_etag(client):
    tags = {
        (await client.get(path)).headers["etag"]
        for path in ("/api/v1/clusters", "/api/v1/clusters?limit=5", "/api/v1/health-boards", "/api/v1/pcpgs")
    }
    assert len(tags) == 4


async def test_a_changed_cluster_is_served_at_once_with_a_new_etag(client):
    first = await client.get("/api/v1/clusters?sort=number&limit=1")
    cluster = first.json()["items"][0]
    try:
        await Cluster.update({Cluster.name_cy: "Clwstwr newydd"}).where(Cluster.id == cluster["id"])
        changed = await client.get(
            "/api/v1/clusters?sort=number&limit=1", headers={"if-none-match": first.headers["etag"]}
        )
        assert changed.status_code == 200
        assert changed.json()["items"][0]["name_cy"] == "Clwstwr newydd"
        assert changed.headers["etag"] != first.headers["etag"]
        single = await client.get(f"/api/v1/clusters/{cluster['id']}")
        assert single.json()["name_cy"] == "Clwstwr newydd"
    finally:  # reference tables are not emptied between tests
        await Cluster.update({Cluster.name_cy: cluster["name_cy"]}).where(Cluster.id == cluster["id"])
    assert (await client.get(f"/api/v1/clusters/{cluster['id']}")).json()["name_cy"] == cluster["name_cy"]


async def test_an_unknown_cluster_is_still_404(client):
    assert (await client.get("/api/v1/clusters/999999")).status_code == 404


async def test_a_reference_list_asked_again_is_the_same_answer_headers_and_all(client):
    """The second ask is sent again from web/http_cache.py's kept answers: nothing but the CSP nonce may differ."""

    def seen(response: Any) -> tuple[int, bytes, list[tuple[str, str]]]:
        headers = [
            (name, re.sub(r"'nonce-[^']*'", "'nonce'", value))
            for name, value in response.headers.multi_items()
            if name != REQUEST_ID_HEADER  # every answer's own, kept or not
        ]
        return response.status_code, response.content, headers

    for path in ("/api/v1/clusters?sort=number", "/api/v1/health-boards"):
        first = await client.get(path)
        assert seen(await client.get(path)) == seen(first)
        matching = {"if-none-match": first.headers["etag"]}
        not_modified = await client.get(path, headers=matching)
        assert seen(await client.get(path, headers=matching)) == seen(not_modified)
        assert not_modified.status_code == 304
