"""The default dock layout as data (columns of cells, each cell a tab stack) and its placement."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from console.ui.qt import QDockWidget, QMainWindow, Qt


@dataclass(frozen=True)
class Cell:
    """One split of a column: the docks listed share a tab stack, the first one in front."""

    docks: tuple[str, ...]
    height: float  # share of the column's height


@dataclass(frozen=True)
class Column:
    area: str  # "left" | "right": the QMainWindow dock area the column lives in
    width: float  # share of the window's width
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class DockLayout:
    """A layout in the spirit of Spyder's: which docks go where, in what proportions. A dock not
    named here goes to its PanelSpec's area (tabbed with its spec's group)."""

    name: str
    columns: tuple[Column, ...]

    def names(self) -> list[str]:
        return [d for col in self.columns for cell in col.cells for d in cell.docks]


# A situation-room wall (1920x1080): the map large on the left with the record tabs under it;
# on the right the duty level on top, the incident queue and the open incident under it.
WALL_LAYOUT = DockLayout(
    name="wall",
    columns=(
        Column("left", 0.58, (
            Cell(("map",), 0.70),
            Cell(("units", "routes", "deployment", "charts", "sync", "directives", "reports",
                  "handover", "external_alerts"), 0.30),
        )),
        Column("right", 0.42, (
            Cell(("duty_level",), 0.23),
            Cell(("incident_queue",), 0.42),
            Cell(("incident_detail",), 0.35),
        )),
    ),
)
DEFAULT_LAYOUT = WALL_LAYOUT

AREAS = {"left": Qt.DockWidgetArea.LeftDockWidgetArea, "right": Qt.DockWidgetArea.RightDockWidgetArea,
         "top": Qt.DockWidgetArea.TopDockWidgetArea, "bottom": Qt.DockWidgetArea.BottomDockWidgetArea}


def place_docks(window: QMainWindow, layout: DockLayout, docks: Mapping[str, QDockWidget]) -> set[str]:
    """Add the layout's docks to `window` (cells top to bottom, tabs within a cell, the first
    tab raised); returns the names placed. Docks absent from `docks` are skipped."""
    placed: set[str] = set()
    for col in layout.columns:
        area = AREAS[col.area]
        for cell in col.cells:
            present = [docks[n] for n in cell.docks if n in docks]
            if not present:
                continue
            window.addDockWidget(area, present[0], Qt.Orientation.Vertical)
            for dock in present[1:]:
                window.tabifyDockWidget(present[0], dock)
            placed.update(n for n in cell.docks if n in docks)
    return placed


def raise_fronts(layout: DockLayout, docks: Mapping[str, QDockWidget]) -> None:
    for col in layout.columns:
        for cell in col.cells:
            front = next((docks[n] for n in cell.docks if n in docks and not docks[n].isHidden()), None)
            if front is not None:
                front.raise_()


def apply_sizes(window: QMainWindow, layout: DockLayout, docks: Mapping[str, QDockWidget]) -> None:
    """Size the columns and cells to the layout's proportions of the window's current size."""
    w, h = max(window.width(), 800), max(window.height(), 600)
    firsts: list[QDockWidget] = []
    widths: list[int] = []
    for col in layout.columns:
        cells: list[QDockWidget] = []
        heights: list[int] = []
        for cell in col.cells:
            shown = [docks[n] for n in cell.docks if n in docks and docks[n].isVisible()
                     and not docks[n].isFloating()]
            if shown:
                cells.append(shown[0])
                heights.append(int(h * cell.height))
        if cells:
            window.resizeDocks(cells, heights, Qt.Orientation.Vertical)
            firsts.append(cells[0])
            widths.append(int(w * col.width))
    if len(firsts) > 1:
        window.resizeDocks(firsts, widths, Qt.Orientation.Horizontal)
