"""What the situation report's HTML is made of: escaping, tables, times and names as the report
writes them, its style sheet (context "Report" for its words)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from console.domain.clock import in_operation_zone
from console.domain.duty import DutyLevel
from console.ui.i18n import is_korean
from console.ui.labels import label
from console.ui.qt import QCoreApplication, fmt
from console.ui.timefmt import age
from console.views.sitrep import SituationReport

CONTEXT = "Report"
ALERT = "#b00020"
STYLE = """
h1 { font-size: 17pt; margin: 0 0 4pt 0; }
h2 { font-size: 11.5pt; margin: 12pt 0 3pt 0; color: #0b3d91; }
table.grid { border-collapse: collapse; margin: 2pt 0 2pt 0; }
table.grid td, table.grid th { border: 1px solid #9aa3ad; padding: 2pt 4pt; }
table.grid th { background: #e8edf3; font-weight: bold; }
td.n { text-align: right; }
.alert { color: #b00020; font-weight: bold; }
.muted { color: #555; }
"""


translate = QCoreApplication.translate  # translate("Report", ...): the form lupdate reads


def e(text: object) -> str:
    return html.escape(str(text))


def wrap(open_tag: str, text: str, close_tag: str) -> str:
    """`text` (escaped) between the tags."""
    return f"{open_tag}{e(text)}{close_tag}"


def kst(moment: datetime | None) -> str:
    """'2025-06-03 20:50 KST'."""
    return in_operation_zone(moment).strftime("%Y-%m-%d %H:%M KST") if moment is not None else "—"


def hm(moment: datetime) -> str:
    return in_operation_zone(moment).strftime("%H:%M")


def num(n: int) -> str:
    return f"{n:,}"


def table(
    head: Sequence[str], rows: Iterable[Sequence[str]], numeric_from: int = 1, width: str = "100%"
) -> str:
    """A bordered table; cells are HTML; columns from `numeric_from` on are right-aligned."""
    out = [f'<table class="grid" width="{width}" cellspacing="0"><thead><tr>']
    out += [f"<th>{h}</th>" for h in head]
    out.append("</tr></thead>")
    for row in rows:
        out.append(
            "<tr>"
            + "".join(
                f'<td class="n">{c}</td>' if i >= numeric_from else f"<td>{c}</td>" for i, c in enumerate(row)
            )
            + "</tr>"
        )
    return "".join(out) + "</table>"


def office_name(report: SituationReport, code: str | None) -> str:
    if not code:
        return "—"
    return e(report.duty.office_name(code, is_korean()))


def level_text(level: DutyLevel | None) -> str:
    return e(label(level)) if level is not None else e(translate("Report", "No emergency duty level"))


def data_age_text(report: SituationReport) -> str:
    """'2025-06-03 20:49 KST (1m old)', in red when made offline or stale."""
    if report.data_as_of is None:
        text = translate("Report", "unknown: the data has not been synced with the server")
    else:
        text = fmt(
            translate("Report", "%1 (%2 old)"), kst(report.data_as_of), age(report.data_age or timedelta(0))
        )
    if report.offline:
        text += " — " + translate("Report", "made offline: the server could not be reached")
    return f'<span class="alert">{e(text)}</span>' if report.stale else e(text)
