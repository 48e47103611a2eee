"""English and Welsh: the request's language lives in a context variable; gettext reads it.

The Welsh catalogue is `locale/cy/LC_MESSAGES/messages.po`, read at start-up with Babel (no
compile step to forget). English is the msgid itself.
"""

from __future__ import annotations

import gettext as _gettext
from contextvars import ContextVar
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from piccolo.columns import Column
from piccolo.querystring import QueryString

from core.clock import LONDON

LANGUAGES = ("en", "cy")
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

current_language: ContextVar[str] = ContextVar("current_language", default=DEFAULT_LANGUAGE)


def normalise_language(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().lower()[:2]
    return value if value in LANGUAGES else None


@lru_cache(maxsize=4)
def translations(language: str) -> _gettext.NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return _gettext.NullTranslations()
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return _gettext.NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


def _babel_locale(language: str) -> str:
    return "cy_GB" if language == "cy" else "en_GB"


def day_in_words(value: date | datetime, language: str) -> str:
    """A day as people write it, in UK time: "22 December 2026", "22 Rhagfyr 2026"."""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return format_date(value, "d MMMM yyyy", locale=_babel_locale(language))


def period_in_words(value: str, language: str) -> str:
    """A day, month or year written the ISO way with the precision a source gave it ("2020-01-01", "2018-10",
    "2018") as people write it: "1 January 2020", "October 2018" ("Hydref 2018"), "2018". Other text is shown as
    it is."""
    parts = value.split("-")
    try:
        numbers = [int(part) for part in parts]
        if len(numbers) == 3:
            return day_in_words(date(*numbers), language)
        if len(numbers) == 2:
            return format_date(date(numbers[0], numbers[1], 1), "LLLL yyyy", locale=_babel_locale(language))
    except ValueError:
        return value
    return value


def time_in_words(value: datetime, language: str) -> str:
    """A moment as people write it, in UK time whatever the season: "22 December 2026 at 19:23"."""
    at = "'am'" if language == "cy" else "'at'"
    return format_datetime(
        value.astimezone(LONDON), f"d MMMM yyyy {at} HH:mm", tzinfo=LONDON, locale=_babel_locale(language)
    )


def shown_value(language: str, value: Any) -> Any:
    """How a value reads in a message: a lifecycle value (a StrEnum with a `label`) as its translated label, not its
    stored code ("Under evaluation", not "under_evaluation"); a moment or a day in words, in UK time."""
    if isinstance(value, StrEnum) and isinstance(getattr(value, "label", None), str):
        return translations(language).gettext(value.label)
    if isinstance(value, datetime):
        return time_in_words(value, language)
    if isinstance(value, date):
        return day_in_words(value, language)
    return value


def _shown(language: str, params: dict[str, Any]) -> dict[str, Any]:
    return {key: shown_value(language, value) for key, value in params.items()}


def gettext(message: str, **params: Any) -> str:
    language = current_language.get()
    text = translations(language).gettext(message)
    return text % _shown(language, params) if params else text


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    text = translations(current_language.get()).ngettext(singular, plural, n)
    params.setdefault("num", n)
    return text % params


def translate_in(language: str, message: str, **params: Any) -> str:
    """Translate into a given language regardless of the request (notices, documents for a user)."""
    text = translations(language).gettext(message)
    return text % _shown(language, params) if params else text


def in_every_language(message: str) -> set[str]:
    """A message as each language says it, casefolded (and as written): how a file made in Welsh is read as one made
    in English, a heading or a label in a cell matched whichever language the reader used."""
    return {translations(language).gettext(message).casefold() for language in LANGUAGES} | {message.casefold()}


def N_(message: str) -> str:
    """Mark a string for the catalogue without translating it yet."""
    return message


_ = gettext


# The empty text is part of the SQL, not a parameter, so that a compiled select (core/prepared.py) can hold it.
_WELSH_FIRST = "COALESCE(NULLIF({}, ''), {})"


def in_reading_language(english: Column, welsh: Column, *, alias: str) -> Column | QueryString:
    """A name as the reader reads it, decided in SQL (so sorting by it sorts by what the reader sees): on a Welsh
    page the Welsh name where one is stored (empty counts as none: clusters have no published Welsh names), else
    the English name. Issue 10, bullet 17: every cluster, PCPG and health board name, and KPI names and units."""
    if current_language.get() == "cy":
        return QueryString(_WELSH_FIRST, welsh, english, alias=alias)
    return english.as_alias(alias)


def order_in_reading_language(english: Column, welsh: Column) -> Column | QueryString:
    """The same choice, for ORDER BY (an expression there, not an alias: both databases accept it)."""
    return QueryString(_WELSH_FIRST, welsh, english) if current_language.get() == "cy" else english


def name_in_reading_language(english: str, welsh: str | None) -> str:
    """in_reading_language for a row already read (a compiled select cannot change with the reader's language)."""
    return welsh if current_language.get() == "cy" and welsh else english
