"""The scale benchmark's load generator: consoles as asyncio long-pollers speaking the real HTTP
API (GET /api/v1/changes with a session token, gzip, Retry-After), many per OS process, on
loopback. A console here is its protocol only: no replica, no Qt.

Each process runs one `Plan` and reports to the benchmark through a multiprocessing queue:
("ready", n) once its consoles have sent their first request, then at the end ("done", Report).
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import threading
import time
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from console.protocol.schema import API_PREFIX

LIVE = "live"  # long-poll and note when each feed seq arrived
STORM = "storm"  # come back at an old cursor, catch up to `target`, note when done

_CURSOR = re.compile(rb'"cursor":(\d+)')


@dataclass(frozen=True)
class Plan:
    host: str
    port: int
    mode: str
    tokens: list[str]
    since: int
    epoch: str
    target: int = 0  # STORM: the head to reach
    spread: float = 1.0  # STORM: consoles come back at random within this many seconds
    behind: int = 0  # STORM: each console's cursor is up to this many changes before `since`
    wait: float = 25.0  # seconds a long-poll asks to wait
    page: int = 5000


@dataclass
class Report:
    arrivals: dict[int, list[float]] = field(default_factory=dict)  # LIVE: seq -> wall times
    finished: list[float] = field(default_factory=list)  # STORM: wall time each caught up
    statuses: dict[int, int] = field(default_factory=dict)  # answers by HTTP status
    errors: list[str] = field(default_factory=list)  # failures other than a 503 retried
    wire_bytes: int = 0  # bodies as sent (compressed)
    started: float = 0.0


class Connection:
    """One keep-alive HTTP/1.1 connection (a console's pull connection)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, token: str) -> tuple[int, dict[str, str], bytes]:
        reused = self.writer is not None
        try:
            return await self._get(path, token)
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            if not reused or (isinstance(exc, asyncio.IncompleteReadError) and exc.partial):
                raise
            # The server closed the idle keep-alive connection (as HTTP clients do, try once
            # more on a new one).
            return await self._get(path, token)

    async def _get(self, path: str, token: str) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write((f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                           f"Authorization: Bearer {token}\r\nAccept-Encoding: gzip\r\n\r\n").encode())
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            headers = {k.lower(): v.strip() for k, _, v in
                       (line.partition(":") for line in lines[1:] if line)}
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            self.close()
            raise
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _head(body: bytes, headers: dict[str, str], size: int = 160) -> bytes:
    """The first bytes of a page (where its cursor is), inflating no more than that."""
    if headers.get("content-encoding") == "gzip":
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, size)
    return body[:size]


def _page(body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    if headers.get("content-encoding") == "gzip":
        body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
    page: dict[str, Any] = json.loads(body)
    return page


async def _console(plan: Plan, token: str, report: Report, stop: asyncio.Event,
                   sent: asyncio.Event, rng: random.Random) -> None:
    conn = Connection(plan.host, plan.port)
    since = max(0, plan.since - rng.randint(0, plan.behind))
    first = True
    if plan.mode == STORM:
        await asyncio.sleep(rng.uniform(0, plan.spread))
    while not stop.is_set():
        caught_up = plan.mode == STORM and not first and since >= plan.target
        if caught_up:
            report.finished.append(time.time())
            break
        wait = plan.wait if (plan.mode == LIVE or first) else 0
        query = urlencode({"since": since, "wait": wait, "epoch": plan.epoch, "limit": plan.page,
                           "data_as_text": "true"})
        request = asyncio.ensure_future(conn.get(f"{API_PREFIX}/changes?{query}", token))
        if first:
            sent.set()
        try:
            status, headers, body = await request
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            if stop.is_set():
                break
            report.errors.append(f"{type(exc).__name__}: {exc}")
            await asyncio.sleep(rng.uniform(0.5, 1.0))
            continue
        now = time.time()
        report.statuses[status] = report.statuses.get(status, 0) + 1
        report.wire_bytes += len(body)
        if status == 503:
            told = float(headers.get("retry-after", "1") or 1)
            await asyncio.sleep(told * rng.uniform(1.0, 1.5))
            continue
        if status != 200:
            report.errors.append(f"{status}: {body[:200]!r}")
            await asyncio.sleep(1.0)
            continue
        first = False
        if plan.mode == LIVE:
            page = _page(body, headers)
            for change in page["changes"]:
                report.arrivals.setdefault(int(change["seq"]), []).append(now)
            since = int(page["cursor"])
        else:
            found = _CURSOR.search(_head(body, headers))
            if found is None:
                report.errors.append(f"no cursor in {body[:80]!r}")
                break
            since = int(found.group(1))
    conn.close()


async def _run(plan: Plan, events: Any, control: Any) -> Report:
    report = Report()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def listen() -> None:
        control.get()
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=listen, daemon=True).start()
    rng = random.Random()
    report.started = time.time()
    sent = [asyncio.Event() for _ in plan.tokens]
    tasks = [asyncio.ensure_future(_console(plan, token, report, stop, s, rng))
             for token, s in zip(plan.tokens, sent, strict=True)]
    for s in sent:
        await s.wait()
    events.put(("ready", len(plan.tokens)))
    if plan.mode == STORM:
        await asyncio.gather(*tasks)
    else:
        await stop.wait()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return report


def run_consoles(plan: Plan, events: Any, control: Any) -> None:
    """A load-generator process: run `plan`, report, exit. Exits too when its benchmark dies."""
    from console.bench.sync_bench import parent_gone

    def watchdog() -> None:
        import os

        while True:
            time.sleep(1.0)
            if parent_gone():
                os._exit(1)

    threading.Thread(target=watchdog, daemon=True).start()
    report = asyncio.run(_run(plan, events, control))
    events.put(("done", report))
