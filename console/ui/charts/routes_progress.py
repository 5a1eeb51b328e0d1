"""Ballot boxes over the evening: departed and arrived, cumulative, against the number of routes."""

from __future__ import annotations

import numpy as np

from console.ui.charts.base import ChartWidget, as_float, pg
from console.ui.qt import QWidget


class RoutesProgressChart(ChartWidget):
    """`set_data(departed_hours, arrived_hours, total)`: the times (hours since midnight of
    election day, may exceed 24) at which each box departed / arrived; drawn as cumulative steps."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._departed = np.zeros(0)
        self._arrived = np.zeros(0)
        self._total = 0
        self._now_hour: float | None = None
        self.plot.getAxis("bottom").setTicks([[(h, f"{h % 24:02d}:00") for h in range(18, 31)]])
        self.plot.setMouseEnabled(x=False, y=False)
        self.departed_name = "Departed"
        self.arrived_name = "Arrived"
        self.total_name = "Routes"
        self.apply_theme("dark")

    def set_names(self, departed: str, arrived: str, total: str) -> None:
        self.departed_name, self.arrived_name, self.total_name = departed, arrived, total
        self.redraw()

    def set_data(self, departed_hours: np.ndarray, arrived_hours: np.ndarray, total: int,
                 now_hour: float | None = None) -> None:
        self._departed = np.sort(as_float(departed_hours))
        self._arrived = np.sort(as_float(arrived_hours))
        self._total = int(total)
        self._now_hour = now_hour
        self.redraw()

    @staticmethod
    def cumulative(times: np.ndarray, start: float, end: float) -> tuple[np.ndarray, np.ndarray]:
        """Step-plot arrays (x of n+1 edges, y of n counts) for the cumulative count of `times`."""
        inside = times[(times >= start) & (times <= end)]
        before = int((times < start).sum())
        x = np.concatenate(([start], inside, [end]))
        y = before + np.arange(len(inside) + 1, dtype=np.float64)
        return x, y

    def redraw(self) -> None:
        if not hasattr(self, "_total"):
            return
        self.plot.clear()
        c = self.colours
        start = 19.5
        latest = max([start + 2.5, *(self._arrived[-1:] + 0.25), *(self._departed[-1:] + 0.25)])
        end = max(latest, self._now_hour or 0.0) if self._now_hour and self._now_hour > start else latest
        for times, colour in ((self._departed, c.warn), (self._arrived, c.ok)):
            x, y = self.cumulative(times, start, end)
            self.plot.addItem(pg.PlotDataItem(x, y, stepMode="center", pen=pg.mkPen(colour, width=2)))
        dash = pg.QtCore.Qt.PenStyle.DashLine
        self.plot.addItem(pg.PlotDataItem([start, end], [self._total, self._total],
                                          pen=pg.mkPen(c.foreground, width=1, style=dash)))
        self.set_legend([
            (f"{self.departed_name} {len(self._departed)}", c.warn),
            (f"{self.arrived_name} {len(self._arrived)}", c.ok),
            (f"{self.total_name} {self._total}", c.foreground),
        ])
        if self._now_hour is not None and start <= self._now_hour <= end:
            self.plot.addItem(pg.InfiniteLine(self._now_hour, angle=90, pen=pg.mkPen(c.accent, width=2)))
        self.plot.setXRange(start, end, padding=0.01)
        self.plot.setYRange(0, max(1.0, self._total * 1.1), padding=0)
