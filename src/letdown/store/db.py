"""Engines, sessions and keeping the schema at the latest migration."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from letdown import files
from letdown.config import home_dir

MIGRATIONS = Path(__file__).parent / "migrations"
# How long a statement waits for a lock another writer holds before giving up (SQLite's busy
# timeout, PostgreSQL's lock_timeout); the web and the API then answer 503 with Retry-After.
LOCK_TIMEOUT_MS = 10000
RETRY_AFTER_S = 5
_PG_LOCK_STATES = {"55P03", "40P01"}  # lock_not_available, deadlock_detected


def is_busy(exc: BaseException) -> bool:
    """Whether a database error means "another writer holds the lock; try again shortly"."""
    orig = getattr(exc, "orig", None)
    if orig is None:
        return False
    if getattr(orig, "sqlstate", None) in _PG_LOCK_STATES:
        return True
    text = str(orig).lower()
    return "database is locked" in text or "database table is locked" in text


_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")
_REVISION_LINE = re.compile(r'^revision = "([^"]+)"$', re.M)


def head_revision() -> str:
    """The newest migration's revision id, read from the file with the highest number
    (``0001_initial.py``) and its ``revision = ...`` line, without importing Alembic.

    A test checks that this agrees with Alembic's own idea of the head.
    """
    found = [
        (m.group(1), p) for p in (MIGRATIONS / "versions").iterdir() if (m := _REVISION_FILE.match(p.name))
    ]
    _, newest = max(found)
    # The id is the file's own `revision = "..."` (``0005``, or a named one like ``0007_feeding_mode``).
    line = _REVISION_LINE.search(newest.read_text(encoding="utf-8"))
    return line.group(1) if line else newest.name.split("_", 1)[0]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={LOCK_TIMEOUT_MS}")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder, foreign keys and WAL."""
    if url.startswith("sqlite"):
        path = files.sqlite_path(url)
        if path is not None:
            # Private by default: a new folder is 0700; the file and its -wal/-shm are 0600.
            if path.parent == home_dir() or not path.parent.exists():
                files.private_dir(path.parent)
            files.private_file(path)
            for extra in ("-wal", "-shm"):
                sidecar = path.with_name(path.name + extra)
                if sidecar.exists():
                    files.private_file(sidecar)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        connect_args={"options": f"-c lock_timeout={LOCK_TIMEOUT_MS}"},
    )


def alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def current_revision(engine: Engine) -> str | None:
    """The schema revision, or None for an empty database (no schema inspection: start-up is hot)."""
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            return None


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def ensure_schema(engine: Engine) -> bool:
    """Migrate to the head if needed (a new database included). True when it migrated."""
    if current_revision(engine) == head_revision():
        return False
    upgrade(engine)
    return True


class Store:
    """One database: an engine and a session factory."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        if migrate:
            ensure_schema(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose uncommitted work is rolled back when the block ends."""
        with self._sessions() as db:
            yield db

    def dispose(self) -> None:
        self.engine.dispose()
