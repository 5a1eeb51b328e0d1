"""IncidentQueueModel: the incident queue's columns over the record table model (112 code
colours, language-dependent titles, ticking ages, overdue rows, urgent rows in bold)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from console.domain.incidents import IncidentCategory, IncidentStatus
from console.ui.labels import in_language, label_of
from console.ui.qt import QT_TRANSLATE_NOOP, QCoreApplication, QObject
from console.ui.record_model import RecordColumn, RecordTableModel, Runner
from console.ui.timefmt import age as age_of
from console.views.incidents import from_epoch
from console.views.queue_index import SORT_KEYS, Column, QueueItem, most_urgent_first

CONTEXT = "IncidentQueue"
HEADERS: dict[Column, str] = {
    Column.CODE: QT_TRANSLATE_NOOP("IncidentQueue", "112"),
    Column.CATEGORY: QT_TRANSLATE_NOOP("IncidentQueue", "Category"),
    Column.PLACE: QT_TRANSLATE_NOOP("IncidentQueue", "Place"),
    Column.STATUS: QT_TRANSLATE_NOOP("IncidentQueue", "Status"),
    Column.AGE: QT_TRANSLATE_NOOP("IncidentQueue", "Age"),
    Column.UNITS: QT_TRANSLATE_NOOP("IncidentQueue", "Units"),
    Column.STATION: QT_TRANSLATE_NOOP("IncidentQueue", "Station"),
}
CODE_COLOURS = tuple(f"code{c}" for c in range(5))


def title_of(item: QueueItem) -> str:
    """The incident's title in the console's language (its English title in an English console)."""
    return in_language(item.title, item.title_en)


class IncidentQueueModel(RecordTableModel[QueueItem]):
    """The queue's table: incidents by id, most urgent first, cells formatted lazily (the age
    column ticks, so it is formatted on each paint of a visible row; the rest is cached).

    `now` gives the shown moment as epoch seconds; the panel gives the console's ShownNow, so
    the queue's ages are those of every other panel."""

    def __init__(self, now: Callable[[], float], *, runner: Runner | None = None,
                 parent: QObject | None = None, station_name: Callable[[str], str] = str) -> None:
        def pending(item: QueueItem) -> str | None:
            return "pending" if item.pending else None

        def column(col: Column, text: Callable[[QueueItem], str], **kw: Any) -> RecordColumn[QueueItem]:
            return RecordColumn(HEADERS[col], text, SORT_KEYS[col], **{"colour": pending, **kw})

        super().__init__(CONTEXT, [
            column(Column.CODE, lambda i: str(i.code), colour=lambda i: CODE_COLOURS[max(0, min(4, i.code))],
                   center=True, bold=True, chip=True),
            column(Column.CATEGORY, lambda i: label_of(IncidentCategory, i.category)),
            column(Column.PLACE, lambda i: i.place or title_of(i)),
            column(Column.STATUS,
                   lambda i: label_of(IncidentStatus, i.status) + ("  ⚑" if i.escalated else "")),
            column(Column.AGE, self._age, center=True, live=True),
            column(Column.UNITS, lambda i: ", ".join(self._callsigns.get(u, u) for u in i.units)),
            column(Column.STATION, lambda i: station_name(i.station)),
        ], row_colour=self._row_colour, row_bold=lambda i: i.urgent and i.status == "new",
            tooltip=self._tooltip, runner=runner, parent=parent)
        self.set_order(most_urgent_first)
        self._now = now
        # "now" is read once a second (tick), not once per painted cell.
        self._now_value = now()
        self._now_at = from_epoch(self._now_value)
        self._ages: dict[int, str] = {}  # seconds -> localised age text
        self._callsigns: dict[str, str] = {}  # unit id -> call sign (the detail panel names units so)
        self.evaluated.connect(self._read_clock)  # new rows: ages from now, not from the last tick

    def _read_clock(self) -> None:
        self._now_value = self._now()
        self._now_at = from_epoch(self._now_value)

    def now(self) -> float:
        return self._now_value

    def now_at(self) -> datetime:
        """The moment the ages and overdue marks are shown as of."""
        return self._now_at

    def tick(self) -> None:
        """Time moved: ages and overdue highlighting change (the views repaint visible rows only)."""
        self._read_clock()
        self.repaint_all(live_only=True)

    def set_callsigns(self, callsigns: dict[str, str]) -> None:
        """Units by call sign, as everywhere else, not by id (re-formats the cells)."""
        if callsigns != self._callsigns:
            self._callsigns = dict(callsigns)
            self.repaint_all()

    def retranslate(self) -> None:
        self._ages.clear()
        super().retranslate()

    @property
    def total(self) -> int:
        """Incidents in the queue before filtering."""
        return len(self.snapshot)

    def _age(self, item: QueueItem) -> str:
        seconds = int(item.age(self._now_at).total_seconds())
        text = self._ages.get(seconds)
        if text is None:
            if len(self._ages) > 20_000:
                self._ages.clear()
            text = self._ages[seconds] = age_of(seconds)
        return text

    def _row_colour(self, item: QueueItem) -> str | None:
        return "overdue_bg" if item.overdue(self._now_at) else None

    def _tooltip(self, item: QueueItem) -> str:
        tip = f"{title_of(item)}\n{item.place}"
        if item.overdue(self._now_at):
            tip += "\n" + QCoreApplication.translate("IncidentQueue", "Overdue: not acknowledged in time")
        if item.pending:
            tip += "\n" + QCoreApplication.translate(
                "IncidentQueue", "Local change not yet confirmed by the server")
        return tip
