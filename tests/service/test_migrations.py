from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from letdown.store.db import alembic_config, current_revision, head_revision, make_engine, upgrade
from letdown.store.models import load_all


def test_head_from_file_names_matches_alembic(store):
    script = ScriptDirectory.from_config(alembic_config(store.engine))
    assert head_revision() == script.get_current_head()


def test_migrated_database_has_every_model_table(store):
    assert current_revision(store.engine) == head_revision()
    tables = set(inspect(store.engine).get_table_names())
    assert {t.name for t in load_all().sorted_tables} <= tables


def test_every_table_but_users_leads_its_key_and_indexes_with_household(store):
    insp = inspect(store.engine)
    for table in load_all().sorted_tables:
        # users and households are the roots; web_sessions and login_attempts are found from a
        # cookie or an email before any household is known (see store/models/accounts.py).
        if table.name in ("users", "households", "web_sessions", "login_attempts"):
            continue
        assert insp.get_pk_constraint(table.name)["constrained_columns"][0] == "household_id", table.name
        for index in insp.get_indexes(table.name):
            assert index["column_names"][0] == "household_id", (table.name, index["name"])


def test_downgrade_to_empty_and_upgrade_again(store):
    from alembic import command

    cfg = alembic_config(store.engine)
    command.downgrade(cfg, "base")
    assert current_revision(store.engine) is None
    upgrade(store.engine)
    assert current_revision(store.engine) == head_revision()


def test_a_new_sqlite_file_is_migrated_on_first_use(tmp_path):
    from letdown.store.db import Store

    s = Store(f"sqlite:///{tmp_path}/new/letdown.db")
    assert current_revision(s.engine) == head_revision()
    s.dispose()
    assert make_engine(f"sqlite:///{tmp_path}/new/letdown.db") is not None


def _model_migration_diff(engine, metadata=None):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": False}
        )
        return compare_metadata(context, metadata if metadata is not None else load_all())


def test_the_models_and_the_migrations_agree(store):
    # Alembic's autogenerate compare of the migrated database against the models: a column,
    # index, constraint or type added to one but not the other shows here (SQLite and PostgreSQL).
    assert _model_migration_diff(store.engine) == []


def test_the_compare_sees_a_column_and_an_index_the_migrations_lack(store):
    from sqlalchemy import Column, Index, Integer, MetaData

    metadata = MetaData()
    for table in load_all().sorted_tables:
        table.to_metadata(metadata)
    sessions = metadata.tables["expression_sessions"]
    sessions.append_column(Column("not_migrated", Integer, nullable=True))
    Index("ix_not_migrated", sessions.c.household_id, sessions.c.not_migrated)
    kinds = sorted(change[0] for change in _model_migration_diff(store.engine, metadata))
    assert kinds == ["add_column", "add_index"]


def test_the_night_gap_moves_into_the_one_settings_table_and_back(store):
    # 0012_one_settings: a reminder row joins the household's settings row, or makes one.
    from datetime import datetime

    from alembic import command
    from sqlalchemy import text

    cfg = alembic_config(store.engine)
    command.downgrade(cfg, "0009_storage_warm")
    when = datetime(2026, 11, 1, 8, 0)
    with store.engine.begin() as conn:
        for hid in ("h1", "h2", "h3"):
            conn.execute(
                text(
                    "INSERT INTO households (id, name, timezone, units, storage_profile, created_at) "
                    "VALUES (:id, 'Home', 'UTC', 'ml', 'cdc', :at)"
                ),
                {"id": hid, "at": when},
            )
        conn.execute(
            text(
                "INSERT INTO household_settings (household_id, share_log, session_interval_minutes, updated_at) "
                "VALUES ('h1', :yes, 180, :at), ('h3', :no, NULL, :at)"
            ),
            {"yes": True, "no": False, "at": when},
        )
        conn.execute(
            text(
                "INSERT INTO reminder_settings (household_id, night_gap_minutes, updated_at) "
                "VALUES ('h1', 300, :at), ('h2', 240, :at)"
            ),
            {"at": when},
        )
    upgrade(store.engine)
    with store.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT household_id, share_log, session_interval_minutes, night_gap_minutes "
                "FROM household_settings ORDER BY household_id"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("h1", True, 180, 300),
        ("h2", False, None, 240),
        ("h3", False, None, None),
    ]
    assert "reminder_settings" not in inspect(store.engine).get_table_names()

    command.downgrade(cfg, "0009_storage_warm")
    with store.engine.connect() as conn:
        gaps = conn.execute(
            text("SELECT household_id, night_gap_minutes FROM reminder_settings ORDER BY household_id")
        ).all()
    assert [tuple(g) for g in gaps] == [("h1", 300), ("h2", 240)]
    upgrade(store.engine)
