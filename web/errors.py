"""The error page, in the reader's language: its title and advice are decided here, by status, not in the template."""

from __future__ import annotations

from litestar import Request, Response

from core.i18n import N_, gettext
from core.logs import request_id
from web.templating import page

TITLES = {
    404: N_("Page not found"),
    403: N_("You do not have permission to see this page"),
    400: N_("The request could not be read"),
    409: N_("That conflicts with the current state"),
    503: N_("The service is busy: try again in a moment"),
    422: N_("That could not be done"),
}
SOMETHING_WRONG = N_("Sorry, there is a problem with the service")
ADVICE = {
    404: N_(
        "If you typed the web address, check it is correct. If you pasted it, check you copied the entire address."
    ),
    403: N_("Your role does not use this page, or it belongs to another organisation."),
    500: N_("Try again later. Nothing was saved from the request that failed."),
}


def error_page(request: Request, status: int, detail: str = "") -> Response:
    title = gettext(TITLES.get(status, SOMETHING_WRONG))
    advice = ADVICE.get(500 if status >= 500 else status)
    # A failure of the service (or a clash with someone else) is worth asking about: its reference finds its log lines.
    reference = request_id() if status >= 500 or status == 409 else None
    context = {
        "status": status,
        "title": title,
        "detail": detail,
        "advice": gettext(advice) if advice else "",
        "reference": reference,
    }
    return page(request, "errors/error.html", context, status_code=status)
