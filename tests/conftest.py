"""Shared fixtures: a fresh database per test on SQLite and, when configured, PostgreSQL.

PostgreSQL runs when ``LETDOWN_TEST_POSTGRES_URL`` names a server where the role may create
databases (``.ci/run`` starts one); each xdist worker gets its own database.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from letdown.config import normalize_url
from letdown.store.db import Store, make_engine, upgrade
from letdown.store.models import load_all

PG_ENV = "LETDOWN_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgres"]
FIXED_NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated from empty; each test copies it."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this worker, migrated from empty."""
    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("LETDOWN_REQUIRE_POSTGRES"):
            pytest.fail(f"LETDOWN_REQUIRE_POSTGRES is set but {PG_ENV} is not")
        pytest.skip(f"PostgreSQL not configured (set {PG_ENV})")
    url = make_url(normalize_url(base))
    name = f"letdown_test_{_worker()}_{os.getpid()}"  # unique: parallel runs must not collide
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    test_url = url.set(database=name).render_as_string(hide_password=False)
    engine = make_engine(test_url)
    upgrade(engine)
    engine.dispose()
    yield test_url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_all(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in load_all().sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database: a copied SQLite file, or a truncated PostgreSQL database."""
    if request.param == "sqlite":
        target = tmp_path / "letdown.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        return f"sqlite:///{target}"
    url = request.getfixturevalue("postgres_url")
    _truncate_all(url)
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    yield s
    s.dispose()


@pytest.fixture
def db(store: Store) -> Iterator[Any]:
    with store.session() as session:
        yield session


@pytest.fixture
def now() -> datetime:
    return FIXED_NOW


@pytest.fixture
def household(db: Any, now: datetime) -> Any:
    from letdown.services.accounts import households

    return households.create(db, now=now, name="Test home", timezone="Europe/London")


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(store: Store) -> Iterator[QueryCounter]:
    """Counts the SQL statements the store's engine runs while the test is inside ``with``."""
    counter = QueryCounter()

    def listener(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        counter.statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", listener)
    yield counter
    event.remove(store.engine, "before_cursor_execute", listener)
