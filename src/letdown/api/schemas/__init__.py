"""What the OpenAPI document says about every operation, defined once for the routes:

- ``ErrorOut``: the one error shape (a shared component), and ``ERRORS``, the error statuses
  every ``/api/v1`` operation documents with it.
- Choices as enums (from ``domain/choices.py``) and bounds for numbers and text (from the
  domain's own limits), so a request valid by the document is one the API can read.

Rules the document cannot state (a time in the future, an end before its start, a container
that is not frozen) are refused by the domain with 4xx in the same shape.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from letdown.domain.limits import STORABLE_PATTERN, STORABLE_WORDS_PATTERN

# A time as people type it: ISO 8601, 'now' or '-30m' (domain/timeparse.py reads it).
MAX_TIME_CHARS = 64
# Ids are short tokens; anything longer can name nothing.
MAX_ID_CHARS = 64
# Labels, reasons and other short texts (the stash's label limit).
MAX_LABEL_CHARS = 200


class ErrorItem(BaseModel):
    field: str = Field(description="The field or parameter at fault ('body' for the whole body).")
    message: str


class ErrorOut(BaseModel):
    """Every error on /api/: the status again, one sentence, and the faults field by field."""

    ok: Literal[False] = False
    status: int = Field(ge=400, le=599)
    error: str = Field(description="What went wrong, in one sentence.")
    errors: list[ErrorItem]


_ERROR_TEXT = {
    400: "Bad request: the request could not be carried out as sent.",
    401: "No bearer token, or one that is unknown or revoked.",
    404: "No such thing in this household, or no such address.",
    405: "The address does not take this method; the Allow header lists those it takes.",
    409: "Refused: the request contradicts the data as it stands (for example, a container already used).",
    413: "The body is larger than the address takes.",
    422: "A field or parameter is missing, malformed, or outside its bounds; the errors say which.",
    500: "A fault on the server; nothing was changed.",
    503: "The database is busy; try again after Retry-After seconds.",
}


def _error(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {"model": ErrorOut, "description": _ERROR_TEXT[status]}
    if status == 405:
        response["headers"] = {
            "Allow": {"description": "The methods the address takes.", "schema": {"type": "string"}}
        }
    if status == 503:
        response["headers"] = {
            "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
        }
    if status == 401:
        response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    return response


#: The error statuses any /api/v1 operation may answer, each with the one shape.
ERRORS: dict[int | str, dict[str, Any]] = {status: _error(status) for status in _ERROR_TEXT}

TimeText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_TIME_CHARS,
        description="ISO 8601; without an offset it is read in the household's time zone; "
        "'now' and '-30m' work.",
        json_schema_extra={"pattern": STORABLE_WORDS_PATTERN},
    ),
]
IdText = Annotated[
    str, Field(min_length=1, max_length=MAX_ID_CHARS, json_schema_extra={"pattern": STORABLE_WORDS_PATTERN})
]


def text(most: int) -> dict[str, Any]:
    """JSON Schema for free text the domain checks itself: storable, at most ``most`` characters."""
    return {"maxLength": most, "pattern": STORABLE_PATTERN}


def bounded(low: float, high: float, *, exclusive_low: bool = False) -> dict[str, Any]:
    """JSON Schema bounds for a number the domain checks itself (with its own message)."""
    bounds: dict[str, Any] = {"maximum": high}
    bounds["exclusiveMinimum" if exclusive_low else "minimum"] = low
    return bounds
