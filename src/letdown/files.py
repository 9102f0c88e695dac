"""Files letdown writes are private: its data folder 0700, the database and everything written
from it (exports, reports, labels, backups) 0600.

They hold body data, password hashes and token hashes; other accounts on the machine have no
business reading them. An existing file or folder letdown owns is tightened, never loosened.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as 0700; tighten it to 0700 if it already exists.

    Only folders letdown creates, and ``path`` itself, are touched: an existing parent such as
    the home folder keeps its mode.
    """
    missing: list[Path] = []
    here = path
    while not here.exists():
        missing.append(here)
        if here.parent == here:
            break
        here = here.parent
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask
    _tighten(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Make sure ``path`` exists as a file only its owner reads and writes (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    os.close(fd)
    _tighten(path, FILE_MODE)
    return path


def write_private(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` (replacing what was there) as a 0600 file."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(raw)
    _tighten(path, FILE_MODE)


def _tighten(path: Path, mode: int) -> None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return  # not ours (a shared folder named by --db): leave it
    if stat.S_IMODE(info.st_mode) & ~mode:
        os.chmod(path, stat.S_IMODE(info.st_mode) & mode)


def sqlite_path(url: str) -> Path | None:
    """The file behind a ``sqlite:///`` URL, or None (memory, another database)."""
    if not url.startswith("sqlite") or "///" not in url:
        return None
    path = url.split("///", 1)[-1].split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return Path(path)
