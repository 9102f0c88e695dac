"""``letdown export`` and ``letdown import`` as a person runs them."""

from __future__ import annotations

import json
import zipfile

import pytest

from letdown.cli.main import cli  # noqa: F401  (the runner fixture uses it)
from tests.cli.conftest import Cli


@pytest.fixture
def seeded(run):
    assert run("init", "--name", "Okafors", "--timezone", "Europe/London").exit_code == 0
    assert run("baby", "add", "--name", "Ada", "--born", "2026-11-01").exit_code == 0
    assert run("demo").exit_code == 0
    return run


def fresh(tmp_path, name="other.db") -> Cli:
    return Cli(f"sqlite:///{tmp_path / name}")


def test_export_then_import_into_a_new_database_then_export_gives_the_same_file(seeded, tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    result = seeded("export", "--out", str(first))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {first} (1 baby, ")

    other = fresh(tmp_path)
    result = other("import", str(first))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Imported {first} into household ")
    assert other("export", "--out", str(second)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_import_into_a_home_with_data_refuses_and_merge_reports_counts(seeded, tmp_path):
    path = tmp_path / "a.json"
    seeded("export", "--out", str(path))
    sessions = len(json.loads(path.read_text())["sessions"])

    refused = seeded("import", str(path))
    assert refused.exit_code == 2
    assert "already holds data" in refused.stderr and "--merge" in refused.stderr

    merged = seeded("import", str(path), "--merge", "--json")
    body = json.loads(merged.stdout)
    assert merged.exit_code == 0 and body["merged"] is True
    assert body["added"]["sessions"] == 0 and body["skipped"]["sessions"] == sessions


def test_a_corrupt_file_is_refused_with_exit_2_and_nothing_is_written(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "letdown-export", "version": 1, "household": ')
    other = fresh(tmp_path)
    result = other("import", str(bad))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {bad} is not a letdown export: it is not valid JSON (line 1, column 57: Expecting value)\n"
    )
    assert other.json("log", "list") == []


def test_csv_export_writes_one_file_per_table_into_a_folder_or_a_zip(seeded, tmp_path):
    folder = tmp_path / "csv"
    result = seeded("export", "--format", "csv", "--out", str(folder))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folder.iterdir())
    assert {"household.csv", "sessions.csv", "containers.csv", "events.csv", "babies.csv"} <= set(names)
    header = (folder / "sessions.csv").read_text().splitlines()[0]
    assert header.startswith("id,baby_id,started_at,ended_at,method,left_ml,right_ml,passive_ml,let_downs")

    archive = tmp_path / "csv.zip"
    assert seeded("export", "--format", "csv", "--out", str(archive)).exit_code == 0
    with zipfile.ZipFile(archive) as z:
        assert sorted(z.namelist()) == names
        assert z.read("sessions.csv").decode() == (folder / "sessions.csv").read_text()
