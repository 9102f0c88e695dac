"""Consistent copies of a SQLite database while letdown runs, and putting one back.

``backup`` uses SQLite's online backup API in one step: it reads one snapshot of the database
(WAL mode lets the server keep writing meanwhile) into a new file, which is then checked with
``PRAGMA integrity_check``. ``restore`` checks a copy the same way, keeps the current database
beside it, and copies the backup in with the same API, so a running server sees either the old
or the new database, never half of each. PostgreSQL is backed up with its own tools
(``pg_dump``/``pg_restore``); these functions refuse it and say so.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from letdown import files
from letdown.domain.errors import Refused

BACKUP_PREFIX = "letdown-"
BACKUP_SUFFIX = ".db"


def pg_guidance(url: str) -> str:
    return (
        "this database is PostgreSQL: back it up with PostgreSQL's own tools, for example "
        "`pg_dump --format=custom --file=letdown.dump DBNAME` (restore with "
        "`pg_restore --clean --if-exists --dbname=DBNAME letdown.dump`); see the README's backup section"
    )


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    revision: str | None


def _check(path: Path) -> str | None:
    """Raise Refused unless ``path`` is a healthy letdown SQLite database; returns its revision."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise Refused(f"{path} cannot be opened as a SQLite database ({exc})") from None
    try:
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise Refused(f"{path} is not a SQLite database ({exc})") from None
        if verdict != "ok":
            raise Refused(f"{path} failed SQLite's integrity check: {verdict}")
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            raise Refused(f"{path} is a SQLite database but not letdown's (no schema version)") from None
        return row[0] if row else None
    finally:
        conn.close()


def default_folder(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backup(db_path: Path, dest: Path | None, *, now: datetime) -> BackupResult:
    """Copy the SQLite database at ``db_path`` to ``dest`` (a file, or a folder to put it in).

    Without ``dest`` the copy goes to ``backups/`` beside the database. An existing file is
    never overwritten.
    """
    if not db_path.is_file():
        raise Refused(f"no database at {db_path}: nothing to back up")
    stem = f"{BACKUP_PREFIX}{now.strftime('%Y%m%d-%H%M%S')}"
    folder: Path | None = None
    if dest is None:
        folder = files.private_dir(default_folder(db_path))
    elif dest.is_dir():
        folder = dest
    if folder is not None:  # a name of our own: two backups in one second get -2, -3...
        dest = folder / f"{stem}{BACKUP_SUFFIX}"
        n = 2
        while dest.exists():
            dest = folder / f"{stem}-{n}{BACKUP_SUFFIX}"
            n += 1
    assert dest is not None
    if dest.exists():
        raise Refused(f"{dest} already exists; letdown never overwrites a backup")
    if dest.resolve() == db_path.resolve():
        raise Refused("the backup cannot be the database itself")
    if not dest.parent.is_dir():
        raise Refused(f"folder {dest.parent} does not exist")
    files.private_file(dest)
    source = sqlite3.connect(db_path, timeout=30)
    target = sqlite3.connect(dest)
    try:
        source.backup(target)  # one step: a single consistent snapshot
    except sqlite3.Error:
        target.close()
        dest.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    target.close()
    try:
        revision = _check(dest)
    except Refused:
        dest.unlink(missing_ok=True)
        raise
    return BackupResult(dest, dest.stat().st_size, revision)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest ``letdown-*.db`` backups in ``folder``; returns them."""
    found = sorted(folder.glob(f"{BACKUP_PREFIX}*{BACKUP_SUFFIX}"))
    gone = found[: max(len(found) - keep, 0)]
    for path in gone:
        path.unlink()
    return gone


def restore(backup_path: Path, db_path: Path, *, now: datetime, known_revisions: set[str]) -> Path | None:
    """Put ``backup_path`` in place of the database at ``db_path``; returns where the previous
    database was kept (None when there was none). The caller migrates the result afterwards."""
    if not backup_path.is_file():
        raise Refused(f"no file at {backup_path}")
    if db_path.exists() and backup_path.resolve() == db_path.resolve():
        raise Refused("that file is the database itself")
    revision = _check(backup_path)
    if revision is not None and revision not in known_revisions:
        raise Refused(f"{backup_path} was made by a newer letdown (schema {revision}); upgrade letdown first")
    kept: Path | None = None
    if db_path.exists() and db_path.stat().st_size > 0:
        kept = db_path.with_name(f"{db_path.name}.before-restore-{now.strftime('%Y%m%d-%H%M%S')}")
        backup(db_path, kept, now=now)
    files.private_file(db_path)
    source = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    target = sqlite3.connect(db_path, timeout=30)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    _check(db_path)
    return kept


def known_revisions() -> set[str]:
    """Every schema revision this letdown knows (read from the migration files)."""
    from letdown.store.db import _REVISION_LINE, MIGRATIONS

    found: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        match = _REVISION_LINE.search(path.read_text(encoding="utf-8"))
        if match:
            found.add(match.group(1))
    return found
