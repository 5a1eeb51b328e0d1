"""Personnel on duty against what the duty level requires, one horizontal bar per office."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from console.ui.charts.base import ChartWidget, as_float, pg
from console.ui.qt import QColor, QFont, QtGui, QWidget


class PersonnelChart(ChartWidget):
    """`set_data(labels, on_duty, required, total)`: the bar is the personnel on duty (green when
    it meets the requirement, red when short), the pale bar behind it the whole personnel and
    the vertical tick the number the level requires."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labels: list[str] = []
        self._on_duty = np.zeros(0)
        self._required = np.zeros(0)
        self._total = np.zeros(0)
        self.plot.setMouseEnabled(x=False, y=False)
        self.apply_theme("dark")

    def set_data(self, labels: Sequence[str], on_duty: np.ndarray, required: np.ndarray,
                 total: np.ndarray) -> None:
        on, req, tot = as_float(on_duty), as_float(required), as_float(total)
        if not (len(labels) == len(on) == len(req) == len(tot)):
            raise ValueError("labels, on_duty, required and total must have the same length")
        self._labels, self._on_duty, self._required, self._total = list(labels), on, req, tot
        self.redraw()

    @property
    def short(self) -> np.ndarray:
        """True per office whose personnel on duty falls short of the requirement."""
        return self._on_duty < self._required

    def redraw(self) -> None:
        if not hasattr(self, "_total"):
            return
        self.plot.clear()
        n = len(self._labels)
        # The first office at the top, as in a table.
        y = np.arange(n, dtype=np.float64)[::-1]
        c = self.colours
        if n:
            back = QColor(c.foreground)
            back.setAlpha(40)
            self.plot.addItem(pg.BarGraphItem(x0=0, y=y, height=0.7, width=self._total,
                                              brush=back, pen=pg.mkPen(None)))
            brushes = [pg.mkBrush(c.alert if s else c.ok) for s in self.short]
            self.plot.addItem(pg.BarGraphItem(x0=0, y=y, height=0.5, width=self._on_duty,
                                              brushes=brushes, pen=pg.mkPen(None)))
            ticks = pg.ScatterPlotItem(x=self._required, y=y, symbol="|", size=18,
                                       pen=pg.mkPen(c.foreground, width=1),
                                       brush=pg.mkBrush(c.foreground))
            self.plot.addItem(ticks)
        axis = self.plot.getAxis("left")
        axis.setTicks([[(float(y[i]), self._labels[i]) for i in range(n)]])
        # pyqtgraph hides labels that do not fit and widens the axis only on a later paint.
        metrics = QtGui.QFontMetrics(axis.style.get("tickFont") or QFont())
        axis.setWidth(max([40, *(metrics.horizontalAdvance(t) + 14 for t in self._labels)]))
        top = float(max(self._total.max(initial=0.0), self._required.max(initial=0.0)))
        self.plot.setXRange(0, max(10.0, top * 1.05), padding=0)
        self.plot.setYRange(-0.6, max(0.6, n - 0.4), padding=0)
