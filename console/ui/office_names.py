"""Offices by name: every office's Korean and English names, read on the database worker once per
console and again when an org row changes, shared by the panels that name stations."""

from __future__ import annotations

from typing import Any

from console.domain.records import RecordKind
from console.ui.i18n import is_korean
from console.ui.panels.base import PanelContext
from console.ui.qt import QObject, QTimer, Signal
from console.views.offices import OfficeNames, office_name, org_names

OFFICE_NAMES = "office_names"


class OfficeNameBook(QObject):
    """`name(code)`: the office's name in the console's language (its code until known)."""

    changed = Signal()  # names arrived or changed: re-format the cells that show them

    def __init__(self, ctx: PanelContext) -> None:
        super().__init__(ctx.changes)
        self.setObjectName(OFFICE_NAMES)
        self._ctx = ctx
        self._names: OfficeNames = {}
        ctx.changes.rows_changed.connect(self._on_rows_changed)
        # Read once the event loop runs: the console's names, not a read of the panel that
        # happened to ask first (the console benchmark waits on each panel's own reads).
        QTimer.singleShot(0, self.read)

    def name(self, code: str) -> str:
        return office_name(self._names, code, is_korean())

    def read(self) -> None:
        replica = self._ctx.replica
        self._ctx.ops.query(lambda: {r.id: org_names(r) for r in replica.rows(RecordKind.ORG)},
                            self._loaded, key="office_names")

    def _loaded(self, names: OfficeNames) -> None:
        if names != self._names:
            self._names = names
            self.changed.emit()

    def _on_rows_changed(self, changes: dict[Any, set[str]]) -> None:
        if RecordKind.ORG in changes:
            self.read()  # a few hundred rows; a keyed read drops one still waiting


def office_names(ctx: PanelContext) -> OfficeNameBook:
    """The console's OfficeNameBook (made on first use, a child of the change bus)."""
    found = ctx.changes.findChild(OfficeNameBook, OFFICE_NAMES)
    return found if isinstance(found, OfficeNameBook) else OfficeNameBook(ctx)
