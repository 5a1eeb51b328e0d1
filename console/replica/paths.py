"""Where a user profile's replica lives on disk."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

REPLICA_FILE = "replica.sqlite3"



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
