"""Export a whole household to a file and import it back: versioned JSON, or one CSV per table.

- ``export_household`` gives the household as plain data; ``dumps`` writes it as JSON with a
  stable order (the same data always gives the same bytes). The household's own id is not
  written, so a file can be restored into any home; every other id is kept.
- ``import_household`` checks the whole file first (its format and version, every value, the
  domain's rules for sessions, babies, containers and their history, storage limits), then
  writes it in one transaction. A refusal writes nothing.
- Into a home that already holds data it refuses, unless ``merge``: then rows whose id is
  already there are skipped (and counted), and the home keeps its own settings.

Secrets (tokens, password hashes, share links, calendar feeds) are never exported.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, exists, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from letdown.domain import limits
from letdown.domain.errors import LetdownError, Refused
from letdown.files import private_dir, write_private
from letdown.services.portability import checks
from letdown.services.portability.rows import Spec, row_from_json, row_to_json, specs, to_text
from letdown.store.models import Household
from letdown.store.types import new_id

FORMAT = "letdown-export"
VERSION = 2
# Version 1 kept the longest night gap in its own "reminder_settings" section; version 2 has it
# in "household_settings" (one settings table, migration 0012_one_settings). Version 1 files
# are read by folding that section in (``_from_version_1``).


# --- export --------------------------------------------------------------------------------


def _select(spec: Spec, household_id: str) -> Any:
    table = spec.sa_table
    key = table.c.id if spec.table == "households" else table.c.household_id
    query = select(table).where(key == household_id)
    return query.order_by(*(table.c[name] for name in spec.order)) if spec.order else query


def export_household(db: Session, household_id: str) -> dict[str, Any]:
    """The household as plain data, in a fixed order; one query per table."""
    if db.get(Household, household_id) is None:
        from letdown.domain.errors import NotFound

        raise NotFound("household", household_id)
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    nested: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for spec in specs():
        rows = db.execute(_select(spec, household_id)).all()
        if spec.nested_in is not None:
            by_parent: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for row in rows:
                by_parent[row._mapping["container_id"]].append(row_to_json(spec, row))
            nested[spec.nested_in] = by_parent
        elif spec.single:
            data[spec.key] = row_to_json(spec, rows[0]) if rows else None
        else:
            data[spec.key] = [row_to_json(spec, row) for row in rows]
    for parent, children in nested.items():
        for item in data[parent]:
            item["events"] = children.get(item["id"], [])
    return data


def dumps(data: dict[str, Any]) -> str:
    """The export as JSON text: two-space indents, keys in a fixed order, a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def csv_tables(data: dict[str, Any]) -> dict[str, str]:
    """One CSV text per table (``sessions.csv``...); container events get a ``container_id``."""
    out: dict[str, str] = {}
    for spec in specs():
        if spec.nested_in is not None:
            rows = [
                {"container_id": parent["id"], **event}
                for parent in data[spec.nested_in]
                for event in parent["events"]
            ]
            headers = ["container_id", *(c.name for c in spec.columns)]
        elif spec.single:
            rows = [data[spec.key]] if data.get(spec.key) else []
            headers = [c.name for c in spec.columns]
        else:
            rows = [{k: v for k, v in r.items() if k != "events"} for r in data[spec.key]]
            headers = [c.name for c in spec.columns]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([to_text(row.get(h)) for h in headers])
        out[f"{spec.key}.csv"] = buffer.getvalue()
    return out


def write_csv(data: dict[str, Any], out: Path) -> list[str]:
    """Write the CSVs into a zip file (``out`` ends in ``.zip``) or else into the folder ``out``."""
    files = csv_tables(data)
    if out.suffix.lower() == ".zip":
        write_private(out, b"")  # created 0600 before the archive is written into it
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))  # stable bytes
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, text)
    else:
        if out.exists() and not out.is_dir():
            raise Refused(f"{out} is a file; give a folder, or a name ending in .zip")
        private_dir(out)
        for name, text in files.items():
            write_private(out / name, text)
    return list(files)


# --- import --------------------------------------------------------------------------------


@dataclass
class ImportResult:
    household_id: str
    merged: bool
    added: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "household_id": self.household_id,
            "merged": self.merged,
            "added": self.added,
            "skipped": self.skipped,
        }


def loads(text: str | bytes, name: str) -> dict[str, Any]:
    """Parse a file's text and check it is a letdown export this version can read."""
    if len(text) > limits.MAX_IMPORT_BYTES:
        raise Refused(
            f"{name} is larger than {limits.MAX_IMPORT_BYTES // (1024 * 1024)} MB, the most an import takes"
        )
    try:
        data = json.loads(text)
    except RecursionError:
        raise Refused(
            f"{name} is not a letdown export: it is nested more than {limits.MAX_JSON_DEPTH} levels deep"
        ) from None
    except UnicodeDecodeError:
        raise Refused(f"{name} is not a letdown export: it is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise Refused(
            f"{name} is not a letdown export: it is not valid JSON "
            f"(line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    problem = limits.json_problem(data)
    if problem is not None:
        where, why = problem
        raise Refused(f"{name}: {where} {why}")
    if not isinstance(data, dict) or "format" not in data:
        raise Refused(f'{name} is not a letdown export: it has no "format": "{FORMAT}"')
    if data["format"] != FORMAT:
        raise Refused(f"{name} is not a letdown export: its format is {data['format']!r}, not {FORMAT!r}")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise Refused(f"{name}: the export version must be a whole number, got {version!r}")
    if version > VERSION:
        raise Refused(
            f"{name} was written by a newer letdown (export version {version}); "
            f"this one reads version {VERSION}: upgrade letdown first"
        )
    if version < 1:
        raise Refused(f"{name}: unknown export version {version}")
    return data


def _from_version_1(data: dict[str, Any], name: str) -> dict[str, Any]:
    """A version 1 export read as version 2: its "reminder_settings" (the night gap and when it
    was set) folded into "household_settings"; a file without a settings section gets one with
    the defaults and the reminder section's time."""
    data = dict(data)
    reminder = data.pop("reminder_settings", None)
    if reminder is None:
        return data
    if not isinstance(reminder, dict):
        raise Refused(f"{name}: reminder_settings: must be an object, got {type(reminder).__name__}")
    unknown = sorted(set(reminder) - {"night_gap_minutes", "updated_at"})
    if unknown:
        raise Refused(f"{name}: reminder_settings: unknown field {unknown[0]!r}")
    settings = data.get("household_settings")
    if settings is None:
        if "updated_at" not in reminder:
            raise Refused(f"{name}: reminder_settings.updated_at: is required")
        settings = {"share_log": False, "updated_at": reminder["updated_at"]}
    elif not isinstance(settings, dict):
        return data  # refused with its own message when the sections are read
    data["household_settings"] = {**settings, "night_gap_minutes": reminder.get("night_gap_minutes")}
    return data


def read_file(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > limits.MAX_IMPORT_BYTES:
            megabytes = limits.MAX_IMPORT_BYTES // (1024 * 1024)
            raise Refused(f"{path} is larger than {megabytes} MB, the most an import takes")
        raw = path.read_bytes()
    except OSError as exc:
        raise Refused(f"cannot read {path}: {exc.strerror}") from None
    return loads(raw, str(path))


def _parse(data: dict[str, Any], name: str) -> dict[str, Any]:
    """Every table of the file as column values (container events by container id)."""
    if data.get("version") == 1:
        data = _from_version_1(data, name)
    known = {"format", "version", *(s.key for s in specs() if s.nested_in is None)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise Refused(f"{name}: unknown section {unknown[0]!r}")
    if not isinstance(data.get("household"), dict):
        raise Refused(f'{name}: the "household" section is missing')
    parsed: dict[str, Any] = {}
    try:
        for spec in specs():
            if spec.nested_in is not None:
                parsed[spec.key] = {
                    parent["id"]: [
                        row_from_json(spec, event, f"{spec.nested_in}[{i}].events[{j}]")
                        for j, event in enumerate(
                            _list(raw.get("events", []), f"{spec.nested_in}[{i}].events")
                        )
                    ]
                    for i, (raw, parent) in enumerate(
                        zip(data[spec.nested_in], parsed[spec.nested_in], strict=True)
                    )
                }
            elif spec.single:
                value = data.get(spec.key)
                parsed[spec.key] = None if value is None else row_from_json(spec, value, spec.key)
            else:
                rows = _list(data.get(spec.key, []), spec.key)
                parsed[spec.key] = [
                    row_from_json(spec, row, f"{spec.key}[{i}]") for i, row in enumerate(rows)
                ]
    except LetdownError as exc:
        raise Refused(f"{name}: {exc}") from None
    return parsed


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        from letdown.domain.errors import InvalidInput

        raise InvalidInput(where, f"must be a list, got {type(value).__name__}")
    return value


def _has_data(db: Session, household_id: str) -> bool:
    for spec in specs():
        if spec.single or spec.nested_in is not None:
            continue
        table = spec.sa_table
        if db.scalar(select(exists().where(table.c.household_id == household_id))):
            return True
    return False


def _existing_keys(db: Session, spec: Spec, household_id: str) -> set[tuple[Any, ...]]:
    table = spec.sa_table
    key_columns = [c for c in table.primary_key.columns if c.name != "household_id"]
    rows = db.execute(select(*key_columns).where(table.c.household_id == household_id))
    return {tuple(r) for r in rows}


def _key(spec: Spec, row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[c.name] for c in spec.sa_table.primary_key.columns if c.name != "household_id")


def import_household(
    db: Session,
    data: dict[str, Any],
    *,
    now: datetime,
    household_id: str | None = None,
    merge: bool = False,
    name: str = "the file",
) -> ImportResult:
    """Restore an export into the home ``household_id`` (None: a new household). All or nothing."""
    parsed = _parse(data, name)
    home = db.get(Household, household_id) if household_id else None
    if household_id and home is None:
        from letdown.domain.errors import NotFound

        raise NotFound("household", household_id)
    full = home is not None and _has_data(db, home.id)
    if full and not merge:
        raise Refused(
            f"Household {home.id} already holds data; import into an empty home, "  # type: ignore[union-attr]
            "or add --merge to add what is new and skip what is already there"
        )
    target = home.id if home is not None else new_id()
    try:
        settings = checks.check_all(db, parsed, target, now=now, merging=full, name=name)
    except LetdownError as exc:
        raise Refused(f"{name}: {exc}") from None
    result = ImportResult(household_id=target, merged=full)
    try:
        _write(db, parsed, target, home is None, full, settings, result)
        db.commit()
    except (IntegrityError, DBAPIError) as exc:
        db.rollback()
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise Refused(f"{name} breaks a database rule, nothing was imported: {reason}") from None
    except BaseException:
        db.rollback()
        raise
    return result


def _insert(db: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        db.execute(insert(table), rows)


def _write(
    db: Session,
    parsed: dict[str, Any],
    target: str,
    new_home: bool,
    merging: bool,
    settings: checks.Settings,
    result: ImportResult,
) -> None:
    for spec in specs():
        table = spec.sa_table
        if spec.nested_in is not None:
            continue
        if spec.table == "households":
            values = {**parsed["household"], **settings.household}
            if new_home:
                db.execute(insert(table).values(id=target, **values))
            elif not merging:
                db.execute(update(table).where(table.c.id == target).values(**values))
            (result.skipped if merging else result.added)[spec.key] = 1
            continue
        if spec.single:
            row = parsed.get(spec.key)
            if row is None or merging:
                if row is not None:
                    result.skipped[spec.key] = 1
                continue
            db.execute(delete(table).where(table.c.household_id == target))
            db.execute(insert(table).values(household_id=target, **row))
            result.added[spec.key] = 1
            continue
        existing = _existing_keys(db, spec, target) if merging else set()
        rows = [r for r in parsed[spec.key] if _key(spec, r) not in existing]
        result.added[spec.key] = len(rows)
        result.skipped[spec.key] = len(parsed[spec.key]) - len(rows)
        _insert(db, table, [{**r, "household_id": target} for r in rows])
        child = next((s for s in specs() if s.nested_in == spec.key), None)
        if child is not None:
            events = [
                {**event, "household_id": target, "container_id": r["id"]}
                for r in rows
                for event in parsed[child.key].get(r["id"], [])
            ]
            _insert(db, child.sa_table, events)
            result.added[child.key] = len(events)
            skipped = sum(len(parsed[child.key].get(r["id"], [])) for r in parsed[spec.key]) - len(events)
            result.skipped[child.key] = skipped
