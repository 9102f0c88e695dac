"""Alembic environment: the engine comes from ``letdown.store.db.alembic_config``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from letdown.config import database_url
from letdown.store.models import load_all

target_metadata = load_all()
config = context.config


def run() -> None:
    engine = config.attributes.get("engine") or create_engine(database_url())
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            compare_type=True,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        context.run_migrations()


run()
