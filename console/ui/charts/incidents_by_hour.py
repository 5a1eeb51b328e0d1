"""Incidents per hour of the day, stacked by category."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from console.ui.charts.base import ChartWidget, as_float, pg, series_colour
from console.ui.qt import QWidget


class IncidentsByHourChart(ChartWidget):
    """`set_data(counts, labels, now_hour, first_hour)`: counts[c, i] incidents of category c in
    the day's i-th hour, which is the hour `first_hour + i` (shown modulo 24: an operation day
    from 06:00 reads 06 .. 05). `now_hour` is on the same scale (06:30 next morning -> 30.5)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._counts = np.zeros((0, 24))
        self._labels: list[str] = []
        self._now_hour: float | None = None
        self._first_hour = -1
        self.plot.setLabel("bottom", "")
        self._set_hours(0)
        self.plot.setMouseEnabled(x=False, y=False)
        self.apply_theme("dark")

    def _set_hours(self, first_hour: int) -> None:
        if first_hour == self._first_hour:
            return
        self._first_hour = first_hour
        ticks = [(h, f"{h % 24:02d}") for h in range(first_hour, first_hour + 24, 2)]
        self.plot.getAxis("bottom").setTicks([ticks])
        self.plot.setXRange(first_hour - 0.6, first_hour + 23.6, padding=0)

    def set_data(self, counts: np.ndarray, labels: Sequence[str], now_hour: float | None = None,
                 first_hour: int = 0) -> None:
        counts = as_float(counts)
        if counts.ndim != 2 or counts.shape[0] != len(labels):
            raise ValueError("counts must be (categories, hours) with one label per category")
        self._counts, self._labels, self._now_hour = counts, list(labels), now_hour
        self._set_hours(first_hour)
        self.redraw()

    @property
    def totals(self) -> np.ndarray:
        """Incidents per hour over all categories (what the stacked bars add up to)."""
        return self._counts.sum(axis=0) if self._counts.size else np.zeros(24)

    def redraw(self) -> None:
        if not hasattr(self, "_counts"):
            return
        self.plot.clear()
        legend: list[tuple[str, str]] = []
        hours = self._first_hour + np.arange(self._counts.shape[1], dtype=np.float64)
        bottom = np.zeros_like(hours)
        for i, label in enumerate(self._labels):
            heights = self._counts[i]
            if not heights.any():
                continue  # an empty category would only clutter the legend
            colour = series_colour(i)
            bars = pg.BarGraphItem(x=hours, y0=bottom.copy(), height=heights, width=0.8,
                                   brush=colour, pen=pg.mkPen(colour.darker(140), width=0.5))
            self.plot.addItem(bars)
            legend.append((label, colour.name()))
            bottom = bottom + heights
        if self._now_hour is not None:
            self.plot.addItem(pg.InfiniteLine(self._now_hour, angle=90,
                                              pen=pg.mkPen(self.colours.accent, width=2)))
        top = float(bottom.max()) if bottom.size else 0.0
        self.plot.setYRange(0, max(5.0, top * 1.1), padding=0)
        self.set_legend(legend)
