"""Tables as CSV files, for reports (a situation report, a day's incident log).

UTF-8 with a byte-order mark, so that spreadsheet programs open Hangul correctly; written to a
temporary file beside the target and moved into place, so a failed export never leaves half a
file over an earlier one. Cells are data, never formulas: text typed at another console (a title
starting with '=') would otherwise run as a formula when the report is opened in a spreadsheet."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

# What spreadsheet programs read as the start of a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """The text as a spreadsheet shows it, never as a formula (a leading quote marks it as text)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Write the table to `path`; raises OSError (with the reason) if it cannot."""
    path = Path(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow([cell(str(h)) for h in headers])
            writer.writerows([cell(str(v)) for v in row] for row in rows)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
