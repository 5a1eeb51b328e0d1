"""The per-office roll-up of an HQ panel (ballot-box routes, deployment): a table of the offices
directly below the viewer's, named in the console's language; a click on an office filters the
panel to it, a second click shows every office again. The figures come from the read models
(`console.views.routes`, `console.views.deployment`); which office a row belongs to and the
names, from `console.views.offices`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from console.ui.i18n import is_korean
from console.ui.record_model import RecordTableModel
from console.views.offices import office_name
from console.views.record_index import RecordSnapshot


class OfficeRollup:
    """Mixed into a panel that has `office_model` (rows with an `office` code), `office_names`
    (code -> (Korean, English)), `office_filter` and its own `_apply_filter`."""

    office_model: RecordTableModel[Any]
    office_names: dict[str, tuple[str, str]]
    office_filter: str | None

    def _apply_filter(self) -> None:
        raise NotImplementedError

    def _show_offices(self, offices: Sequence[Any]) -> None:
        self.office_model.set_snapshot(RecordSnapshot.of(offices, lambda o: o.office))

    def _office_name(self, office: Any) -> str:
        return office_name(self.office_names, office.office, is_korean())

    def _station_name(self, code: str) -> str:
        """A station (or any office) by name in the console's language; its code if not known."""
        return office_name(self.office_names, code, is_korean())

    def _office_colour(self, office: Any) -> str | None:
        return "accent" if office.office == self.office_filter else None

    def _pick_office(self, row: int, _col: int) -> None:
        office = self.office_model.id_at(row)
        # Clicking the chosen office again shows every office's rows.
        self.office_filter = None if office == self.office_filter else office
        self.office_model.repaint_all()
        self._apply_filter()
