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

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")
_REVISION_LINE = re.compile(r"^revision = [\"']([^\"']+)[\"']", re.MULTILINE)


def head_revision() -> str:
    """The newest migration's revision id, read from the file with the highest number
    (``0001_initial.py``) and its ``revision = ...`` line, without importing Alembic.

    A test checks that this agrees with Alembic's own idea of the head.
    """
    found = [p for p in (MIGRATIONS / "versions").iterdir() if _REVISION_FILE.match(p.name)]
    newest = max(found, key=lambda p: p.name)
    match = _REVISION_LINE.search(newest.read_text("utf-8"))
    if match is None:
        raise RuntimeError(f"Migration {newest.name} has no 'revision = ...' line")
    return match.group(1)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder, foreign keys and WAL."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


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
