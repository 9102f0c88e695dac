"""Private files, ``letdown backup`` while the server writes, and ``letdown restore``."""

from __future__ import annotations

import json
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from letdown.cli.main import cli


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class Run:
    def __init__(self, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("LETDOWN_HOME", str(home))
        monkeypatch.delenv("LETDOWN_DATABASE_URL", raising=False)
        self.home = home
        self.db = home / "letdown.db"

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    def ok(self, *args: str) -> Result:
        result = self(*args)
        assert result.exit_code == 0, result.output
        return result


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setattr("os.umask", lambda _m: 0o022)  # as on a usual machine: files 0644 unless set
    r = Run(tmp_path / "data" / "letdown", monkeypatch)
    r.ok("init", "--name", "Okafor", "--timezone", "Europe/London")
    return r


def sessions(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM expression_sessions").fetchone()[0]


# --- private by default --------------------------------------------------------------------------


def test_the_data_folder_is_0700_and_the_database_0600(run: Run) -> None:
    assert mode(run.home) == 0o700
    assert mode(run.home.parent) == 0o700  # created by letdown too
    assert mode(run.db) == 0o600
    for sidecar in run.home.glob("letdown.db-*"):
        assert mode(sidecar) == 0o600, sidecar


def test_an_existing_open_data_folder_and_database_are_tightened(run: Run) -> None:
    run.home.chmod(0o755)
    run.db.chmod(0o644)
    run.ok("log", "add", "--start", "-40m", "--minutes", "20", "--method", "hand")
    assert mode(run.home) == 0o700 and mode(run.db) == 0o600


def test_a_database_named_elsewhere_leaves_its_existing_folder_alone(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    result = CliRunner().invoke(cli, ["--db", str(shared / "demo.db"), "init", "--name", "Demo"])
    assert result.exit_code == 0, result.output
    assert mode(shared) == 0o755
    assert mode(shared / "demo.db") == 0o600


def test_exports_reports_and_labels_are_written_0600(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    run.ok("log", "add", "--start", "-40m", "--minutes", "20", "--method", "hand", "--left-ml", "40")
    run.ok("export", "--out", str(out / "all.json"))
    run.ok("export", "--format", "csv", "--out", str(out / "csv"))
    run.ok("export", "--format", "csv", "--out", str(out / "all.zip"))
    run.ok("report", "--format", "pdf", "--out", str(out / "report.pdf"))
    added = json.loads(
        run.ok("stash", "add", "--ml", "60", "--location", "fridge", "--expressed-at", "-1h", "--json").stdout
    )
    run.ok("stash", "label", added["id"], "--out", str(out / "label.svg"))
    written = [p for p in out.rglob("*") if p.is_file()]
    assert len(written) >= 6
    for path in written:
        assert mode(path) == 0o600, path
    assert mode(out / "csv") == 0o700


def test_an_export_over_an_old_world_readable_file_is_tightened(run: Run, tmp_path: Path) -> None:
    old = tmp_path / "all.json"
    old.write_text("old")
    old.chmod(0o644)
    run.ok("export", "--out", str(old))
    assert mode(old) == 0o600 and old.read_text().startswith("{")


# --- backup ----------------------------------------------------------------------------------------


def test_backup_while_another_connection_writes_is_consistent_and_private(run: Run) -> None:
    run.ok("log", "add", "--start", "-40m", "--minutes", "20", "--method", "hand", "--left-ml", "40")
    stop = threading.Event()
    written = [0]

    def writer() -> None:
        conn = sqlite3.connect(run.db, timeout=30)
        conn.execute("CREATE TABLE IF NOT EXISTS churn (n INTEGER, pad TEXT)")
        while not stop.is_set():
            with conn:
                conn.executemany("INSERT INTO churn VALUES (?, ?)", [(written[0], "x" * 500)] * 50)
                written[0] += 1
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written[0] < 20:
            pass
        copies = [run.ok("backup") for _ in range(3)]
    finally:
        stop.set()
        thread.join()
    folder = run.home / "backups"
    assert mode(folder) == 0o700
    made = sorted(folder.glob("letdown-*.db"))
    assert len(made) >= 1
    assert "integrity check ok" in copies[0].output
    for copy in made:
        assert mode(copy) == 0o600
        with sqlite3.connect(copy) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            # Whole transactions only: each batch of 50 rows is all there or not at all.
            counts = conn.execute("SELECT count(*) FROM churn GROUP BY n").fetchall()
            assert {c for (c,) in counts} <= {50}
        assert sessions(copy) == 1


def test_backup_never_overwrites_and_keep_prunes_old_ones(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "one.db"
    run.ok("backup", "--out", str(target))
    again = run("backup", "--out", str(target))
    assert again.exit_code == 2
    assert f"Error: {target} already exists; letdown never overwrites a backup" in again.output
    folder = tmp_path / "nightly"
    folder.mkdir()
    for day in range(1, 6):
        (folder / f"letdown-202611{day:02d}-031500.db").write_bytes(target.read_bytes())
    result = run.ok("backup", "--out", str(folder), "--keep", "3")
    assert "Deleted 3 older backups, kept 3" in result.output
    left = sorted(p.name for p in folder.glob("letdown-*.db"))
    assert len(left) == 3 and left[0] == "letdown-20261104-031500.db"


def test_backup_of_postgresql_says_to_use_pg_dump(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", "postgresql://u@localhost/letdown", "backup"])
    assert result.exit_code == 2
    assert "Error: this database is PostgreSQL: back it up with PostgreSQL's own tools" in result.output
    assert "pg_dump --format=custom" in result.output


# --- restore --------------------------------------------------------------------------------------


def test_restore_puts_the_backup_back_keeps_the_current_database_and_asks_first(
    run: Run, tmp_path: Path
) -> None:
    run.ok("log", "add", "--start", "-3h", "--minutes", "20", "--method", "hand")
    copy = tmp_path / "before.db"
    run.ok("backup", "--out", str(copy))
    run.ok("log", "add", "--start", "-40m", "--minutes", "20", "--method", "pump")
    assert sessions(run.db) == 2

    declined = run("restore", str(copy), input="n\n")
    assert declined.exit_code == 1 and sessions(run.db) == 2

    result = run("restore", str(copy), input="y\n")
    assert result.exit_code == 0, result.output
    assert sessions(run.db) == 1
    kept = list(run.home.glob("letdown.db.before-restore-*"))
    assert len(kept) == 1 and sessions(kept[0]) == 2 and mode(kept[0]) == 0o600
    assert f"The database as it was is kept at {kept[0]}" in result.output
    assert mode(run.db) == 0o600
    assert run.ok("log", "list", "--json").stdout.count('"method"') == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a database at all, just some text" * 200, "is not a SQLite database"),
        (None, "is a SQLite database but not letdown's (no schema version)"),
    ],
)
def test_restore_refuses_what_is_not_a_letdown_backup_and_changes_nothing(
    run: Run, tmp_path: Path, content: bytes | None, message: str
) -> None:
    bad = tmp_path / "bad.db"
    if content is None:
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE notes (x TEXT)")
    else:
        bad.write_bytes(content)
    before = run.db.read_bytes()
    result = run("restore", str(bad), "--yes")
    assert result.exit_code == 2
    assert message in result.output
    assert run.db.read_bytes() == before
    assert not list(run.home.glob("letdown.db.before-restore-*"))


def test_restore_refuses_a_backup_from_a_newer_letdown(run: Run, tmp_path: Path) -> None:
    copy = tmp_path / "future.db"
    run.ok("backup", "--out", str(copy))
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    result = run("restore", str(copy), "--yes")
    assert result.exit_code == 2
    assert "was made by a newer letdown (schema 9999_future); upgrade letdown first" in result.output


def test_restore_of_a_missing_file_is_refused(run: Run, tmp_path: Path) -> None:
    result = run("restore", str(tmp_path / "nope.db"), "--yes")
    assert result.exit_code == 2 and "Error: no file at" in result.output
