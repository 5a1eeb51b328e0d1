"""What every chart shares: pyqtgraph on the UI's Qt binding, theme colours, category colours."""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg  # uses PySide6, the only Qt binding the project installs

from console.ui.qt import QColor, QFont, QLabel, QVBoxLayout, QWidget

pg.setConfigOptions(antialias=True, foreground="#e6e9ef", background="#171c24")

# Distinguishable on dark and light backgrounds (Okabe-Ito based, extended).
SERIES_COLOURS: tuple[str, ...] = (
    "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7",
    "#8c8c8c", "#e41a1c", "#4daf4a", "#984ea3", "#ff7f00", "#a6761d",
)


@dataclass(frozen=True)
class ChartColours:
    background: str
    foreground: str
    grid_alpha: float
    accent: str
    ok: str
    warn: str
    alert: str


DARK_COLOURS = ChartColours("#171c24", "#e6e9ef", 0.25, "#4f8cff", "#3fb950", "#ff9f1a", "#ff4d4f")
LIGHT_COLOURS = ChartColours("#ffffff", "#111827", 0.2, "#1f5fd6", "#1a7f37", "#d35400", "#c8102e")


def colours_for(theme_name: str) -> ChartColours:
    return LIGHT_COLOURS if theme_name == "light" else DARK_COLOURS


def series_colour(i: int) -> QColor:
    return QColor(SERIES_COLOURS[i % len(SERIES_COLOURS)])


class ChartWidget(QWidget):
    """A QWidget holding one PlotWidget, with a title and theme switching."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot_widget = pg.PlotWidget()
        self.plot_widget.setMinimumHeight(160)
        self.plot: pg.PlotItem = self.plot_widget.getPlotItem()
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.plot_widget, 1)
        # A Qt legend under the plot: it never covers bars and wraps with the dock's width.
        self.legend_label = QLabel()
        self.legend_label.setWordWrap(True)
        self.legend_label.setVisible(False)
        layout.addWidget(self.legend_label)
        self._legend: list[tuple[str, str]] = []
        self.colours = DARK_COLOURS
        self._title = ""
        self.apply_theme("dark")

    def set_title(self, text: str) -> None:
        self._title = text
        self.plot.setTitle(text, color=self.colours.foreground, size="11pt")

    def apply_theme(self, theme_name: str) -> None:
        self.colours = colours_for(theme_name)
        c = self.colours
        self.plot_widget.setBackground(c.background)
        font = QFont()
        font.setPointSize(9)
        for name in ("left", "bottom", "right", "top"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen(c.foreground))
            axis.setTextPen(pg.mkPen(c.foreground))
            axis.setTickFont(font)
        self.plot.showGrid(x=True, y=True, alpha=c.grid_alpha)
        self.set_title(self._title)
        self.redraw()

    def set_legend(self, entries: list[tuple[str, str]]) -> None:
        """(label, colour) pairs shown as coloured squares under the plot."""
        self._legend = entries
        self._render_legend()

    def _render_legend(self) -> None:
        parts = [
            f'<span style="color:{colour}">&#9632;</span>&nbsp;{html.escape(label)}'
            for label, colour in self._legend
        ]
        self.legend_label.setText("&nbsp;&nbsp; ".join(parts))
        self.legend_label.setStyleSheet(f"color: {self.colours.foreground}; font-size: 11px;")
        self.legend_label.setVisible(bool(parts))

    def redraw(self) -> None:
        """Draw the current data again (after a theme change)."""


def as_float(values: object) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)
