"""A TAK-like server on loopback (what a TAK server does for a client: take its events, relay
other devices' events to it), an ATAK device's PLI, and the CoT base-event schema."""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from lxml import etree

DATA = Path(__file__).parent / "data"
COT_XSD = etree.XMLSchema(etree.parse(str(DATA / "cot-base-event.xsd")))


def assert_valid_cot(raw: bytes) -> etree._Element:
    doc = etree.fromstring(raw.strip())
    assert COT_XSD.validate(doc), (raw, COT_XSD.error_log)
    return doc


def pli(uid: str, callsign: str, lat: float, lon: float, at: datetime | None = None) -> bytes:
    """A position report as ATAK sends it every few seconds."""
    t = (at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    stale = ((at or datetime.now(UTC)) + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return (f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>"
            f"<event version='2.0' uid='{uid}' type='a-f-G-U-C' time='{t}' start='{t}' stale='{stale}' how='m-g'>"
            f"<point lat='{lat}' lon='{lon}' hae='38.2' ce='4.9' le='9999999'/>"
            f"<detail><takv os='34' version='4.10.0' device='SAMSUNG SM-G991N' platform='ATAK-CIV'/>"
            f"<contact endpoint='*:-1:stcp' callsign='{callsign}'/><uid Droid='{callsign}'/>"
            f"<__group role='Team Member' name='Cyan'/><status battery='88'/>"
            f"<track course='92.5' speed='0.0'/></detail></event>").encode()


class FakeTakServer:
    """Accepts TAK clients, keeps every event they write, and sends them what a test gives it."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self.ssl_context = ssl_context
        self.received: list[bytes] = []
        self.writers: list[asyncio.StreamWriter] = []
        self.peer_names: list[str] = []
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self, port: int = 0) -> None:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", port, ssl=self.ssl_context)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        cert: Any = writer.get_extra_info("peercert")
        if cert:
            self.peer_names.append(dict(x[0] for x in cert["subject"]).get("commonName", ""))
        self.writers.append(writer)
        try:
            while True:
                self.received.append(await reader.readuntil(b"</event>"))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass

    async def send(self, data: bytes) -> None:
        for w in self.writers:
            if not w.is_closing():
                w.write(data)
                await w.drain()

    def drop_clients(self) -> None:
        for w in self.writers:
            w.close()
        self.writers.clear()

    async def close(self) -> None:
        self.drop_clients()
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    def events(self, cot_type: str) -> list[etree._Element]:
        docs = [etree.fromstring(r.strip()) for r in self.received]
        return [d for d in docs if d.get("type") == cot_type]


async def until(condition: Callable[[], bool], timeout: float = 20.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
