"""Keeps the interpreter from pausing the GUI for long: GIL hand-over and garbage collection.

GIL: while worker threads run Python (a sync applying pages, the queue re-indexing), the GUI
thread needs the GIL for every slot and paint callback, and waits up to the switch interval
(5 ms by default) each time it asks; a timer tick needs several hand-overs, so ticks were seen
100+ ms apart. A 0.5 ms interval cut that to ~10 ms at a few per cent of worker throughput.

A full (generation 2) collection walks every tracked object while holding the GIL. With a
replica's worth of rows in memory that took 150-500 ms here, and it starts in whatever thread
happens to allocate (a sync worker), stalling the event loop. Reference counting frees the
console's data (plain dicts, tuples, dataclasses) without the collector; the collector is only
needed for reference cycles. So the pacer
- lets the young generations (0 and 1) run as usual: they only walk recent objects;
- stops automatic full collections (threshold 2 set out of reach);
- moves the objects alive after start-up out of the collector's reach (`gc.freeze()`);
- runs a full collection itself when the console has been quiet (no rows changed) for a while,
  at most every `full_every_s`, so cycles are still reclaimed, at a moment nobody waits."""

from __future__ import annotations

import gc
import sys
import time

from console.ui.qt import QObject, QTimer

SWITCH_INTERVAL_S = 0.0005
NEVER = 1_000_000  # generation-1 collections before an automatic full one: never, in practice


class GcPacer(QObject):
    def __init__(self, quiet_s: float = 60.0, full_every_s: float = 1800.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.quiet_s, self.full_every_s = quiet_s, full_every_s
        self.full_collections = 0
        self._last_activity = time.monotonic()
        self._last_full = time.monotonic()
        self._saved: tuple[int, int, int] | None = None
        self._saved_switch: float | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(10_000)
        self._timer.timeout.connect(self._maybe_collect)

    def start(self) -> None:
        self._saved_switch = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        self._saved = gc.get_threshold()
        t0, t1, _t2 = self._saved
        gc.set_threshold(t0, t1, NEVER)
        gc.freeze()  # O(1): what is alive now (modules, Qt wrappers, loaded rows) is left alone
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None
        if self._saved_switch is not None:
            sys.setswitchinterval(self._saved_switch)
            self._saved_switch = None

    def activity(self, *_args: object) -> None:
        """Something happened (rows changed, a sync ran): not a good moment for a pause."""
        self._last_activity = time.monotonic()

    def _maybe_collect(self) -> None:
        now = time.monotonic()
        if now - self._last_activity >= self.quiet_s and now - self._last_full >= self.full_every_s:
            gc.collect()
            self._last_full = now
            self.full_collections += 1
