"""The error page, in the reader's language, for every status a page can answer with."""

from __future__ import annotations

from litestar import Request, Response

from web.templating import page


def error_page(request: Request, status: int, detail: str = "") -> Response:
    return page(request, "errors/error.html", {"status": status, "detail": detail}, status_code=status)
