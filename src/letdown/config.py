"""Where the data lives: ``--db`` wins, then ``LETDOWN_DATABASE_URL``, then SQLite in LETDOWN_HOME."""

from __future__ import annotations

import os
from pathlib import Path


def home_dir() -> Path:
    """``$LETDOWN_HOME``, else the XDG data folder (``~/.local/share/letdown``)."""
    explicit = os.environ.get("LETDOWN_HOME")
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
    chosen = cli_url or os.environ.get("LETDOWN_DATABASE_URL")
    if chosen:
        return normalize_url(chosen)
    return f"sqlite:///{home_dir() / 'letdown.db'}"
