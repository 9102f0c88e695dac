"""Errors the domain and services raise; interfaces map them to exit codes and HTTP statuses.

- ``InvalidInput`` (a value is malformed or out of range): CLI exit 2, HTTP 422.
- ``NotFound`` (no such record in this household): CLI exit 2, HTTP 404.
- ``Refused`` (a well-formed action that is unsafe or impossible now): CLI exit 2, HTTP 409.
"""

from __future__ import annotations


class LetdownError(Exception):
    """Base class of every error a user may see."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidInput(LetdownError):
    """A value a user gave is malformed or out of range; ``field`` names it."""

    def __init__(self, field: str, message: str, *, over_ml: float | None = None) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.detail = message
        self.over_ml = over_ml  # a volume over this bound (ml): forms say it in the user's unit


class NotFound(LetdownError):
    """No record with that id exists in this household (another household's id looks the same)."""

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"No {kind} with id '{ident}'")
        self.kind = kind
        self.ident = ident


class Refused(LetdownError):
    """The action is understood but refused (unsafe or impossible); nothing was changed."""
