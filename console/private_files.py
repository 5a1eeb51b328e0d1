"""Files that hold a user's data, tokens or password hashes: created readable by their owner only.

Used by the console's replica and the server's SQLite database (both layers may import it: it
knows no storage, only the file system)."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path


def create_private_file(path: Path, what: str, log: logging.Logger) -> None:
    """Create `path` readable by its owner only (0600; SQLite gives its -wal and -shm files the
    same mode), in folders made 0700 where this creates them. An existing file is left as it is,
    with a logged warning if others may read it. A file that cannot be made is left to the
    caller's open, which says why."""
    missing: list[Path] = []
    folder = path.parent
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    try:
        for made in reversed(missing):
            made.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        warn_if_shared(path, what, log)
        return
    except OSError:
        return
    os.close(fd)
    if os.name == "posix":
        os.chmod(path, 0o600)  # whatever the umask left


def warn_if_shared(path: Path, what: str, log: logging.Logger) -> bool:
    """Log a warning (and return True) if users other than the owner may read or write the
    file; the file is not changed."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return False
    if os.name != "posix" or not mode & 0o077:
        return False
    log.warning(f"{what} {path} can be read by other users (mode {mode:04o}); leaving it as it "
                f"is: restrict it with `chmod 600 {path}`",
                extra={"fields": {"event": "file_mode", "path": str(path), "mode": f"{mode:04o}"}})
    return True
