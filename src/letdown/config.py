"""Configuration in one place: every ``LETDOWN_*`` variable letdown reads is a field of
``Settings`` (pydantic-settings), read from the environment when asked for, so a change (a test,
``letdown serve``) is seen at once. The README's configuration table is ``settings_table()``;
a test keeps the two the same.

Where the data lives: ``--db`` wins, then ``LETDOWN_DATABASE_URL``, then SQLite in LETDOWN_HOME.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PREFIX = "LETDOWN_"


class Settings(BaseSettings):
    """letdown's settings, each from ``LETDOWN_<NAME>``; an empty value counts as unset."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, case_sensitive=False, extra="ignore")

    home: str = Field(
        "",
        description="The folder of the SQLite database `letdown.db` "
        "(default: `$XDG_DATA_HOME/letdown`, else `~/.local/share/letdown`).",
    )
    database_url: str = Field(
        "",
        description="The database: a PostgreSQL URL (`postgresql://user:password@host/db`), "
        "any SQLAlchemy URL or a file path; wins over `LETDOWN_HOME`, and `--db` wins over it.",
    )
    signup: str = Field(
        "open", description="`closed` closes open sign-up on the web app; invite links still work."
    )
    secure_cookies: str = Field(
        "auto",
        description="`1` or `0` makes the web app's cookies `Secure` or not; `auto` makes them "
        "`Secure` except over plain HTTP to a loopback address (`127.0.0.1`, `localhost`).",
    )
    forwarded_allow_ips: str = Field(
        "",
        description="The proxies whose `X-Forwarded-*` headers are believed: comma-separated "
        "addresses or networks, `*` for any (`letdown serve --forwarded-allow-ips` sets it).",
    )
    base_url: str = Field(
        "",
        description="The web app's address, for the QR code on a container's label "
        "(`letdown stash label --base-url` wins over it).",
    )
    access_log: str = Field(
        "",
        description="`1` makes `letdown serve` print one line per request (client, method, path, "
        "status); `letdown serve --access-log` sets it.",
    )
    log_level: str = Field(
        "",
        description="How much `letdown serve` itself says (`info` when unset; "
        "`letdown serve --log-level` sets it).",
    )


def settings() -> Settings:
    """The settings as the environment has them now."""
    return Settings()


def settings_table() -> str:
    """The README's configuration table, one row a variable."""
    rows = ["| Variable | Default | What it does |", "| --- | --- | --- |"]
    for name, field in Settings.model_fields.items():
        default = f"`{field.default}`" if field.default else "unset"
        rows.append(f"| `{PREFIX}{name.upper()}` | {default} | {field.description} |")
    return "\n".join(rows) + "\n"


def home_dir() -> Path:
    """``$LETDOWN_HOME``, else the XDG data folder (``~/.local/share/letdown``)."""
    explicit = settings().home
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg).expanduser() / "letdown"


def normalize_url(url: str) -> str:
    """Accept a plain file path as SQLite and use psycopg 3 for ``postgresql://`` URLs."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def database_url(cli_url: str | None = None) -> str:
    """The database to use: the ``--db`` flag, else ``LETDOWN_DATABASE_URL``, else the home file."""
    chosen = cli_url or settings().database_url
    if chosen:
        return normalize_url(chosen)
    return f"sqlite:///{home_dir() / 'letdown.db'}"
