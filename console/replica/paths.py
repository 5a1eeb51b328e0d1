"""Where a user profile's replica lives on disk, and how its file is created (owner only)."""

from __future__ import annotations

import logging
import os
import re
import stat
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

REPLICA_FILE = "replica.sqlite3"

log = logging.getLogger("sitroom.replica")


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", text) or "_"


def profile_name(server_url: str, username: str) -> str:
    """'<host>-<port>_<username>' with anything unsafe for a file name replaced."""
    parts = urlsplit(server_url if "//" in server_url else f"http://{server_url}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{_safe(parts.hostname or 'localhost')}-{port}_{_safe(username)}"


def profile_dir(server_url: str, username: str, base: Path | None = None) -> Path:
    """platformdirs user_data_dir('sitroom')/profiles/<host>-<port>_<username>/ (not created)."""
    root = base if base is not None else Path(platformdirs.user_data_dir("sitroom"))
    return root / "profiles" / profile_name(server_url, username)


def replica_path(server_url: str, username: str, base: Path | None = None) -> Path:
    return profile_dir(server_url, username, base) / REPLICA_FILE


def create_private_file(path: Path) -> None:
    """Create the replica's file readable by its owner only (0600; SQLite gives its -wal and
    -shm files the same mode), in folders made 0700 where this creates them. An existing file
    is left as it is, with a logged warning if others may read it (it holds the user's data,
    token and offline verifier)."""
    missing: list[Path] = []
    folder = path.parent
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir(mode=0o700, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        _warn_if_shared(path)
        return
    os.close(fd)
    if os.name == "posix":
        os.chmod(path, 0o600)  # whatever the umask left


def _warn_if_shared(path: Path) -> None:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return
    if os.name == "posix" and mode & 0o077:
        log.warning("the console replica %s can be read by other users (mode %04o); leaving it as "
                    "it is: restrict it with `chmod 600 %s`", path, mode, path)
