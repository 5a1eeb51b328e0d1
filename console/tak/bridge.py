"""The TAK connection: publishes the replica's units and open incidents as CoT events, and hands
field devices' position reports to the PositionInbox. One asyncio task; reconnects with backoff.

While the TAK server is out of reach nothing queues: on each connection the whole picture is
sent again, then each change as it comes (a unit changed five times while away is sent once,
as it is now). Every HEARTBEAT the picture is sent again, so TAK devices never see it go stale.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import warnings
from collections.abc import Callable
from configparser import ConfigParser, SectionProxy
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlparse

from console.domain.clock import now_utc
from console.domain.records import RecordKind
from console.replica import Replica, RowsChanged
from console.sync.engine import Backoff
from console.tak.cot import (
    MAX_EVENT_BYTES,
    CotError,
    incident_event,
    incident_uid,
    position_report,
    unit_event,
    unit_uid,
)
from console.tak.positions import PositionInbox
from console.views.map_rows import OPEN_STATUS_VALUES

with warnings.catch_warnings():  # pytak warns at import that its optional aiohttp is missing
    warnings.simplefilter("ignore")
    import pytak

log = logging.getLogger(__name__)

HEARTBEAT = 60.0  # seconds between full re-sends of the picture
CONNECT_TIMEOUT = 15.0
FLUSH_INTERVAL = 1.0  # seconds between tries to hand held positions to the replica
Key = tuple[RecordKind, str]


class TakSettingsError(ValueError):
    """A TAK server address or certificate setting that cannot work; the message says which."""


@dataclass(frozen=True)
class TakSettings:
    url: str  # tcp://HOST:PORT or tls://HOST:PORT
    cert_file: str | None = None  # the client certificate (PEM, or .p12 with key_password)
    key_file: str | None = None
    ca_file: str | None = None  # the CA that signed the TAK server's certificate
    key_password: str | None = None
    check_hostname: bool = True

    def __post_init__(self) -> None:
        parsed = urlparse(self.url)
        if parsed.scheme not in ("tcp", "tls") or not parsed.hostname or not parsed.port:
            raise TakSettingsError(f"TAK server {self.url!r}: give tcp://HOST:PORT or tls://HOST:PORT")
        if parsed.scheme == "tls" and not self.cert_file:
            raise TakSettingsError("a tls:// TAK server needs a client certificate (--cert, and --key "
                                   "unless the certificate file holds it)")

    def pytak_config(self) -> SectionProxy:
        values = {"COT_URL": self.url}
        optional = {"PYTAK_TLS_CLIENT_CERT": self.cert_file, "PYTAK_TLS_CLIENT_KEY": self.key_file,
                    "PYTAK_TLS_CLIENT_CAFILE": self.ca_file, "PYTAK_TLS_CLIENT_PASSWORD": self.key_password,
                    "PYTAK_TLS_DONT_CHECK_HOSTNAME": None if self.check_hostname else "1"}
        values.update({k: v for k, v in optional.items() if v})
        parser = ConfigParser(interpolation=None)
        parser["tak"] = values
        return parser["tak"]


class TakBridge:
    """Call `run(stop)` in an event loop; set `stop` to end it."""

    def __init__(self, replica: Replica, settings: TakSettings, inbox: PositionInbox, *,
                 clock: Callable[[], datetime] = now_utc, heartbeat: float = HEARTBEAT,
                 backoff: Backoff | None = None) -> None:
        self.replica = replica
        self.settings = settings
        self.inbox = inbox
        self.clock = clock  # CoT times are real UTC (TAK devices compare them with their own)
        self.heartbeat = heartbeat
        self.backoff = backoff or Backoff(base=1.0, cap=60.0)
        self.connected = asyncio.Event()
        self.connections = 0  # connections made (a reconnect adds one)
        self.sent = 0  # events written
        self._dirty: set[Key] = set()
        self._wake = asyncio.Event()
        self._shown_open: set[str] = set()  # incidents sent as open, to send their closing
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- changes from the replica (any thread) -------------------------------------------------
    def _on_change(self, event: RowsChanged) -> None:
        keys = [(kind, rid) for kind in (RecordKind.UNIT, RecordKind.INCIDENT)
                for rid in event.changes.get(kind, ())]
        if keys and self._loop is not None:
            self._loop.call_soon_threadsafe(self._mark, keys)

    def _mark(self, keys: list[Key]) -> None:
        self._dirty.update(keys)
        self._wake.set()

    # -- the connection loop ---------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        self._loop = asyncio.get_running_loop()
        unsubscribe = self.replica.subscribe(self._on_change)
        flusher = asyncio.create_task(self._flush_positions(stop))
        try:
            while not stop.is_set():
                try:
                    opening = pytak.protocol_factory(self.settings.pytak_config())
                    reader, writer = await asyncio.wait_for(opening, CONNECT_TIMEOUT)
                except (OSError, ssl.SSLError, TimeoutError, SyntaxError, ValueError) as exc:
                    delay = self.backoff.next()
                    log.warning("TAK server %s not reached (%s); again in %.0f s", self.settings.url,
                                exc or type(exc).__name__, delay)
                    await _sleep_or_stop(stop, delay)
                    continue
                self.connections += 1
                self.backoff.reset()
                log.info("connected to TAK server %s", self.settings.url)
                try:
                    await self._session(reader, writer, stop)
                except (OSError, ssl.SSLError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
                    log.warning("TAK connection lost (%s)", exc or type(exc).__name__)
                finally:
                    self.connected.clear()
                    writer.close()
                    with contextlib.suppress(OSError, ssl.SSLError, TimeoutError):
                        await asyncio.wait_for(writer.wait_closed(), 2.0)
                if not stop.is_set():
                    await _sleep_or_stop(stop, self.backoff.next())
        finally:
            unsubscribe()
            flusher.cancel()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       stop: asyncio.Event) -> None:
        self._dirty.clear()
        self._shown_open.clear()
        await self._send(writer, await asyncio.to_thread(self._picture))
        self.connected.set()
        receiving = asyncio.create_task(self._receive(reader))
        stopping = asyncio.create_task(stop.wait())
        try:
            while True:
                waking = asyncio.create_task(self._wake.wait())
                done, _ = await asyncio.wait({receiving, stopping, waking}, timeout=self.heartbeat,
                                             return_when=asyncio.FIRST_COMPLETED)
                waking.cancel()
                if receiving in done:
                    receiving.result()  # raises what ended the connection
                    log.warning("the TAK server %s closed the connection", self.settings.url)
                    return
                if stopping in done:
                    return
                self._wake.clear()
                if waking in done:
                    keys, self._dirty = self._dirty, set()
                    await self._send(writer, await asyncio.to_thread(self._changed, keys))
                else:  # the heartbeat
                    await self._send(writer, await asyncio.to_thread(self._picture))
        finally:
            receiving.cancel()
            stopping.cancel()

    async def _send(self, writer: asyncio.StreamWriter, events: list[bytes]) -> None:
        for event in events:
            writer.write(event + b"\n")
            self.sent += 1
        await writer.drain()

    async def _receive(self, reader: asyncio.StreamReader) -> None:
        while True:
            try:
                raw = await reader.readuntil(b"</event>")
            except asyncio.IncompleteReadError as exc:
                if exc.partial.strip():
                    log.info("TAK connection closed inside an event")
                return
            except asyncio.LimitOverrunError:
                raise asyncio.LimitOverrunError(f"an event longer than {MAX_EVENT_BYTES:,} bytes",
                                                0) from None
            try:
                report = position_report(raw)
            except CotError as exc:
                log.info("TAK event ignored: %s", exc)
                continue
            if report is not None:
                await asyncio.to_thread(self.inbox.offer, report)

    async def _flush_positions(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await _sleep_or_stop(stop, FLUSH_INTERVAL)
            if self.inbox.held():
                await asyncio.to_thread(self.inbox.flush)

    # -- events from the replica (on a worker thread) --------------------------------------------
    def _picture(self) -> list[bytes]:
        now = self.clock()
        events = [e for r in self.replica.rows(RecordKind.UNIT) if (e := self._unit(r.id, r.data, now))]
        for r in self.replica.rows(RecordKind.INCIDENT):
            if r.data.get("status") in OPEN_STATUS_VALUES and (e := incident_event(r.id, r.data, now)):
                events.append(e)
                self._shown_open.add(r.id)
        return events

    def _changed(self, keys: set[Key]) -> list[bytes]:
        now = self.clock()
        events = []
        for kind, rid in sorted(keys):
            row = self.replica.row(kind, rid)
            if kind is RecordKind.UNIT:
                event = self._unit(rid, row.data, now) if row is not None else None
            else:
                is_open = row is not None and row.data.get("status") in OPEN_STATUS_VALUES
                if not is_open and rid not in self._shown_open:
                    continue
                event = incident_event(rid, row.data if row is not None else {}, now, still_open=is_open)
                (self._shown_open.add if is_open else self._shown_open.discard)(rid)
            if event is not None:
                events.append(event)
        return events

    def _unit(self, rid: str, data: dict[str, object], now: datetime) -> bytes | None:
        if self.inbox.tracked(rid):
            return None  # its TAK device shows it as itself
        return unit_event(rid, data, now)


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


__all__ = ["TakBridge", "TakSettings", "TakSettingsError", "incident_uid", "unit_uid"]
