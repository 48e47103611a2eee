"""`cdv export-ocds FILE`: the whole release package written to a file as it is read, a page at a time."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import msgspec

from opendata.queries.ocds import all_releases, package


async def export_package(*, path: Path, prefix: str, uri: str, now: datetime) -> int:
    """The package the API pages through, as one file: its head, then each release as it comes. Written beside the
    target and moved into place at the end, so a failed export leaves no half-written file. Returns the releases."""
    head = msgspec.json.encode(package(uri=uri, releases=[], now=now))
    before, after = head.split(b'"releases":[]', 1)
    partial = path.with_name(path.name + ".partial")
    count = 0
    with partial.open("wb") as out:
        out.write(before + b'"releases":[')
        async for release in all_releases(prefix=prefix, now=now):
            if count:
                out.write(b",")
            out.write(msgspec.json.encode(release))
            count += 1
        out.write(b"]" + after)
    partial.replace(path)
    return count
