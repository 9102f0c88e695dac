"""What an export holds, table by table, and how a row goes to JSON and back.

Columns are read from the models, so a column another feature adds travels in exports without
a change here. A table is either exported (``TABLES``) or left out on purpose (``LEFT_OUT``:
secrets and accounts); ``tests/service/test_portability.py`` fails when a new table is neither.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, Float, Integer, String, Table

from letdown.domain import limits
from letdown.domain.errors import InvalidInput
from letdown.store.models import load_all
from letdown.store.types import UTCDateTime


@dataclass(frozen=True)
class Spec:
    """One exported table: its key in the file, its table, and the order rows are written in."""

    key: str
    table: str
    order: tuple[str, ...]
    single: bool = False  # one object per household (settings) instead of a list
    nested_in: str | None = None  # container events travel inside their container

    @property
    def sa_table(self) -> Table:
        return load_all().tables[self.table]

    @property
    def columns(self) -> list[Column[Any]]:
        """The columns written to the file: never the household id (nor the parent's key)."""
        skip = {"household_id"}
        if self.table == "households":
            skip = {"id"}
        if self.nested_in is not None:
            skip |= {"container_id"}
        return [c for c in self.sa_table.columns if c.name not in skip]


#: Written in this order; imported in this order too (parents before children).
TABLES: tuple[Spec, ...] = (
    Spec("household", "households", (), single=True),
    Spec("household_settings", "household_settings", (), single=True),
    Spec("storage_limits", "storage_limits", ("case_name",)),
    Spec("babies", "babies", ("created_at", "id")),
    Spec("sessions", "expression_sessions", ("started_at", "id")),
    Spec("coach_runs", "coach_runs", ("session_id",)),
    Spec("containers", "containers", ("expressed_at", "id")),
    Spec("events", "container_events", ("container_id", "seq"), nested_in="containers"),
    Spec("babybuddy_links", "babybuddy_links", ("server", "remote_kind", "remote_id")),
)

#: Tables an export leaves out on purpose, and why.
LEFT_OUT: dict[str, str] = {
    "users": "accounts (password hashes) are not household data",
    "memberships": "who may sign in belongs to the accounts, not to the data",
    "api_tokens": "secrets",
    "calendar_feeds": "secrets",
    "web_sessions": "secrets",
    "login_attempts": "security log, not household data",
    "invites": "secrets",
    "share_links": "secrets",
    "idempotency_keys": "replay records of recent writes (services/idempotency.py), not household data",
}


def specs() -> list[Spec]:
    """The exported tables (every one must exist: a missing table is an error, never a silent gap)."""
    tables = load_all().tables
    missing = [s.table for s in TABLES if s.table not in tables]
    if missing:
        raise RuntimeError(f"export names tables the schema lacks: {', '.join(missing)}")
    return list(TABLES)


# --- values ---------------------------------------------------------------------------------


def to_json(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        return value.astimezone(UTC).isoformat()
    if isinstance(column.type, Date):
        return value.isoformat()
    if isinstance(column.type, Float):
        return float(value)
    return value


def row_to_json(spec: Spec, row: Any) -> dict[str, Any]:
    return {c.name: to_json(c, row._mapping[c.name]) for c in spec.columns}


def to_text(value: Any) -> str:
    """A JSON value as one CSV cell: empty for null, JSON for lists and objects."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def from_json(column: Column[Any], value: Any, field: str) -> Any:
    """A file value for ``column``; InvalidInput names the field and the value."""
    if value is None:
        if not column.nullable and column.server_default is None and column.default is None:
            raise InvalidInput(field, "is required")
        return None
    kind = column.type
    if isinstance(kind, UTCDateTime):
        if not isinstance(value, str):
            raise InvalidInput(field, f"must be an ISO 8601 time, got {value!r}")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidInput(field, f"cannot read {value!r} as a time") from None
        if moment.tzinfo is None:
            raise InvalidInput(field, f"{value!r} has no UTC offset")
        try:
            return limits.check_moment(moment.astimezone(UTC), field)
        except OverflowError:
            raise limits.outside(field, repr(value)) from None
    if isinstance(kind, Date):
        try:
            day = date.fromisoformat(value)
        except (TypeError, ValueError):
            raise InvalidInput(field, f"cannot read {value!r} as a date (YYYY-MM-DD)") from None
        return limits.check_date(day, field)
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise InvalidInput(field, f"must be true or false, got {value!r}")
        return value
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(field, f"must be a whole number, got {value!r}")
        if not -(2**31) <= value < 2**31:
            raise InvalidInput(field, f"{value} is too large a number")
        return value
    if isinstance(kind, Float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInput(field, f"must be a number, got {value!r}")
        return limits.finite(value, field)
    if isinstance(kind, JSON):
        if not isinstance(value, list | dict):
            raise InvalidInput(field, f"must be a list or an object, got {value!r}")
        return value
    if isinstance(kind, String):
        if not isinstance(value, str):
            raise InvalidInput(field, f"must be text, got {value!r}")
        if kind.length is not None and len(value) > kind.length:
            raise InvalidInput(field, f"is {len(value)} characters; the most is {kind.length}")
        return value
    return value


def row_from_json(spec: Spec, data: Any, where: str) -> dict[str, Any]:
    """A file row as column values; unknown fields and wrong types are refused, naming them."""
    if not isinstance(data, dict):
        raise InvalidInput(where, f"must be an object, got {type(data).__name__}")
    columns = {c.name: c for c in spec.columns}
    allowed = set(columns) | ({"events"} if spec.key == "containers" else set())
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidInput(where, f"unknown field {unknown[0]!r}")
    out: dict[str, Any] = {}
    for name, column in columns.items():
        if name not in data:
            needed = column.primary_key or (not column.nullable and column.default is None)
            if needed and column.server_default is None:
                raise InvalidInput(f"{where}.{name}", "is required")
            continue
        out[name] = from_json(column, data[name], f"{where}.{name}")
    return out
