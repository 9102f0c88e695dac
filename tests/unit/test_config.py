"""Configuration in one place: every LETDOWN_* variable is a field of config.Settings, the
README's table is generated from it, and an empty value counts as unset."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from letdown import config
from letdown.config import Settings, database_url, settings, settings_table

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_documents_every_setting_as_the_code_has_it():
    assert settings_table() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_letdown_variable_the_code_names_is_a_setting():
    named = set()
    for path in (ROOT / "src" / "letdown").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                named |= set(re.findall(r"\bLETDOWN_[A-Z_]+[A-Z]\b", node.value))
    fields = {config.PREFIX + name.upper() for name in Settings.model_fields}
    assert named - fields == set()


def test_settings_are_read_from_the_environment_when_asked(monkeypatch, tmp_path):
    monkeypatch.setenv("LETDOWN_SIGNUP", "closed")
    monkeypatch.setenv("LETDOWN_HOME", str(tmp_path))
    monkeypatch.delenv("LETDOWN_DATABASE_URL", raising=False)
    assert settings().signup == "closed"
    assert database_url() == f"sqlite:///{tmp_path}/letdown.db"
    monkeypatch.setenv("LETDOWN_DATABASE_URL", "postgresql://me@db/letdown")
    assert database_url() == "postgresql+psycopg://me@db/letdown"
    assert database_url("other.db").startswith("sqlite:///") and database_url("other.db").endswith(
        "/other.db"
    )


def test_an_empty_variable_counts_as_unset(monkeypatch, tmp_path):
    monkeypatch.setenv("LETDOWN_DATABASE_URL", "")
    monkeypatch.setenv("LETDOWN_HOME", "")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert database_url() == f"sqlite:///{tmp_path}/letdown/letdown.db"
    monkeypatch.setenv("LETDOWN_SECURE_COOKIES", "")
    assert (settings().secure_cookies or "auto") == "auto"


def test_an_unknown_letdown_variable_is_ignored_not_fatal(monkeypatch):
    monkeypatch.setenv("LETDOWN_NOT_A_SETTING", "1")
    assert settings().signup in ("open", "closed")
