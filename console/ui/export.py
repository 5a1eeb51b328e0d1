"""Tables as CSV files, for reports (a situation report, a day's incident log).

UTF-8 with a byte-order mark, so that spreadsheet programs open Hangul correctly; written to a
temporary file beside the target and moved into place, so a failed export never leaves half a
file over an earlier one."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path


def write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Write the table to `path`; raises OSError (with the reason) if it cannot."""
    path = Path(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(headers)
            writer.writerows(rows)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
