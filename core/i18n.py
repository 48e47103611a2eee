"""English and Welsh: the request's language lives in a context variable; gettext reads it.

The Welsh catalogue is `locale/cy/LC_MESSAGES/messages.po`, read at start-up with Babel (no
compile step to forget). English is the msgid itself.
"""

from __future__ import annotations

import gettext as _gettext
from contextvars import ContextVar
from enum import StrEnum
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

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


def _shown(language: str, params: dict[str, Any]) -> dict[str, Any]:
    """A lifecycle value (a StrEnum with a `label`) in a message shows as its translated label, not its stored code:
    "this specification is Under evaluation", not "under_evaluation"."""
    return {
        key: translations(language).gettext(value.label)
        if isinstance(value, StrEnum) and isinstance(getattr(value, "label", None), str)
        else value
        for key, value in params.items()
    }


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


def N_(message: str) -> str:
    """Mark a string for the catalogue without translating it yet."""
    return message


_ = gettext
