"""Field positions into the replica: a device's PLI is matched to a unit by call sign and becomes
the unit's `unit.status` position mutation, the same path a console's edit takes (replica and
outbox in one transaction, pushed by the sync engine).

A device reports every few seconds, and the sitroom server may be out of reach for hours: only
the latest position of each unit is kept, and a unit has at most one position mutation waiting
for the server at a time (the next one is made from the latest report once that is answered).
So the outbox never grows with stale positions, however long the outage.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from console.domain.errors import DomainError
from console.domain.records import RecordKind
from console.replica import Replica
from console.tak.cot import PositionReport

log = logging.getLogger(__name__)

TRACKED_FOR = 600.0  # seconds a unit counts as carried by a TAK device after its last report
MIN_MOVE_DEGREES = 1e-6  # about 0.1 m: a report where the unit already is changes nothing
CALLSIGNS_FOR = 10.0  # seconds the call sign table is used before it is read again


def callsign_key(callsign: str) -> str:
    """Call signs match whatever their case and spacing ('Jongno 21' = 'jongno  21')."""
    return " ".join(callsign.split()).casefold()


@dataclass
class _Held:
    report: PositionReport
    received: float


class PositionInbox:
    """Latest field position per unit, handed to the replica when it can take it. Thread-safe."""

    def __init__(self, replica: Replica, online: Callable[[], bool],
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.replica = replica
        self.online = online
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._flushing = threading.Lock()  # one flush at a time: a held position is submitted once
        self._callsigns: tuple[float, dict[str, str]] | None = None  # (read at, call sign -> unit id)
        self._held: dict[str, _Held] = {}  # unit id -> its latest report not yet in the replica
        self._seen: dict[str, float] = {}  # unit id -> when a device last reported it
        self.unmatched: dict[str, str] = {}  # device uid -> call sign no unit has (for the log)

    def units_by_callsign(self) -> dict[str, str]:
        """Call sign -> unit id, read again every CALLSIGNS_FOR seconds (a device reports every few
        seconds; a national scope has thousands of units)."""
        cached = self._callsigns
        now = self._monotonic()
        if cached is not None and now - cached[0] < CALLSIGNS_FOR:
            return cached[1]
        units = self.replica.rows(RecordKind.UNIT)
        by_callsign = {callsign_key(str(r.data.get("callsign", ""))): r.id for r in units}
        self._callsigns = (now, by_callsign)
        return by_callsign

    def offer(self, report: PositionReport) -> str | None:
        """Take a device's report; the id of the unit it moves, or None when no unit matches."""
        unit_id = self.units_by_callsign().get(callsign_key(report.callsign)) if report.callsign else None
        if unit_id is None:
            if self.unmatched.get(report.uid) != report.callsign:
                log.info("TAK device %s (call sign %r) matches no unit in this scope", report.uid,
                         report.callsign)
            self.unmatched[report.uid] = report.callsign
            return None
        with self._lock:
            now = self._monotonic()
            self._held[unit_id] = _Held(report, now)
            self._seen[unit_id] = now
        self.flush()
        return unit_id

    def held(self) -> dict[str, PositionReport]:
        with self._lock:
            return {uid: h.report for uid, h in self._held.items()}

    def tracked(self, unit_id: str) -> bool:
        """Whether a TAK device carries this unit now (it is on TAK as itself: not published again)."""
        with self._lock:
            seen = self._seen.get(unit_id)
            return seen is not None and self._monotonic() - seen < TRACKED_FOR

    def flush(self) -> list[str]:
        """Submit the held positions the replica can take now; the units moved."""
        if not self.online():
            return []
        with self._flushing:
            return self._flush()

    def _flush(self) -> list[str]:
        moved = []
        with self._lock:
            held = dict(self._held)
        for unit_id, h in held.items():
            row = self.replica.row(RecordKind.UNIT, unit_id)
            if row is None:
                self._drop(unit_id, h)
                continue
            if row.pending:
                continue  # its last position is still on the way: the latest goes after it
            lat, lon = row.data.get("lat"), row.data.get("lon")
            r = h.report
            if (lat is not None and lon is not None and abs(float(lat) - r.lat) < MIN_MOVE_DEGREES
                    and abs(float(lon) - r.lon) < MIN_MOVE_DEGREES):
                self._drop(unit_id, h)
                continue
            try:
                self.replica.submit("unit.status", RecordKind.UNIT, unit_id, {"lat": r.lat, "lon": r.lon})
            except DomainError as exc:
                log.warning("position of %s from TAK device %s refused: %s", unit_id, r.uid, exc)
            else:
                moved.append(unit_id)
            self._drop(unit_id, h)
        return moved

    def _drop(self, unit_id: str, h: _Held) -> None:
        with self._lock:
            if self._held.get(unit_id) is h:  # a newer report that came meanwhile stays
                del self._held[unit_id]
