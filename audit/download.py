"""The trail's CSV as a download, for the page and the API alike."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

from litestar.response import Stream

from core.clock import LONDON


def csv_download(lines: AsyncIterator[str], now: datetime) -> Stream:
    """Streamed as it is read (never the whole trail in memory), named for the UK day it was made."""
    day = now.astimezone(LONDON).date().isoformat()
    return Stream(
        content=lines,
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="audit-trail-{day}.csv"'},
    )
