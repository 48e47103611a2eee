"""Errors that services raise; the API turns them into problem details, the pages into messages.

The message is an English msgid from the catalogue, with `params` for its placeholders, so each
edge translates it into the reader's language.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.params = params


class RuleBroken(DomainError):
    status_code = 422


class NotFound(DomainError):
    status_code = 404

    def __init__(self, message: str = "Not found", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)


class NotAllowed(DomainError):
    status_code = 403

    def __init__(self, message: str = "You do not have permission to do that", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)


class Conflict(DomainError):
    status_code = 409


class TooLarge(DomainError):
    """Content Too Large (RFC 9110, 15.5.14): a file past its limit, named by its field."""

    status_code = 413
