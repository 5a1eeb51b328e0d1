"""A fault-injecting HTTP proxy on loopback, between consoles and the server.

It forwards each request to the upstream server and, as configured, drops the request (the server
never sees it), drops the response after the server committed, sends a request twice, delays it,
answers 503 itself, or cuts everything ('partition'). Faults are drawn from a seeded random; a
test that must see a given fault happen scripts it for the next matching requests (`script`), as
which requests meet the random draws depends on thread timing.
"""

from __future__ import annotations

import contextlib
import http.client
import random
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate"}


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # cut connections are what this proxy is for


@dataclass
class Faults:
    drop_request: float = 0.0  # close without forwarding
    drop_response: float = 0.0  # forward (the server commits), then close without answering
    duplicate: float = 0.0  # forward twice, answer with the second response
    error: float = 0.0  # answer 503 without forwarding
    delay: float = 0.0  # probability of a delay ...
    delay_seconds: tuple[float, float] = (0.05, 0.3)  # ... of this many seconds
    only_paths: tuple[str, ...] = ()  # restrict faults to paths starting with these


@dataclass
class ProxyStats:
    forwarded: int = 0
    dropped_requests: int = 0
    dropped_responses: int = 0
    duplicated: int = 0
    errors: int = 0
    delayed: int = 0
    partitioned: int = 0


class FaultProxy:
    def __init__(self, upstream: str, seed: int = 0) -> None:
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.faults = Faults()
        self.stats = ProxyStats()
        self._partitioned = threading.Event()
        self._rng = random.Random(seed)
        self._rng_lock = threading.Lock()
        self._scripted: list[tuple[str, str]] = []  # (path prefix, fault name), served in order
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                proxy._handle(self)

            def do_POST(self) -> None:
                proxy._handle(self)

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fault-proxy", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def partition(self, on: bool = True) -> None:
        """While on, every request is cut: the connection closes without an answer."""
        if on:
            self._partitioned.set()
        else:
            self._partitioned.clear()

    def set_faults(self, **kw: Any) -> None:
        self.faults = Faults(**kw)

    def script(self, path_prefix: str, *faults: str) -> None:
        """The next requests whose path starts with `path_prefix` meet these faults, one each, in order
        ('drop_request', 'drop_response', 'duplicate', 'error'), before any random one."""
        known = {"drop_request", "drop_response", "duplicate", "error"}
        unknown = set(faults) - known
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}; known: {sorted(known)}")
        with self._rng_lock:
            self._scripted.extend((path_prefix, f) for f in faults)

    def scripted_left(self) -> int:
        with self._rng_lock:
            return len(self._scripted)

    def clear(self) -> None:
        self.faults = Faults()
        with self._rng_lock:
            self._scripted.clear()
        self.partition(False)

    def _next_scripted(self, path: str) -> str | None:
        with self._rng_lock:
            for i, (prefix, fault) in enumerate(self._scripted):
                if path.startswith(prefix):
                    del self._scripted[i]
                    return fault
        return None

    def _roll(self, p: float) -> bool:
        if p <= 0:
            return False
        with self._rng_lock:
            return self._rng.random() < p

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        f = self.faults
        faulty = not f.only_paths or any(h.path.startswith(p) for p in f.only_paths)
        if self._partitioned.is_set():
            self.stats.partitioned += 1
            return self._cut(h)
        scripted = self._next_scripted(h.path)
        if scripted is not None:
            f = Faults(**{scripted: 1.0})
            faulty = True
        if faulty and self._roll(f.delay):
            self.stats.delayed += 1
            with self._rng_lock:
                pause = self._rng.uniform(*f.delay_seconds)
            time.sleep(pause)
        if faulty and self._roll(f.error):
            self.stats.errors += 1
            payload = b'{"code":"unavailable","message":"injected 503","detail":null}'
            h.send_response(503)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(payload)))
            h.end_headers()
            h.wfile.write(payload)
            return None
        if faulty and self._roll(f.drop_request):
            self.stats.dropped_requests += 1
            return self._cut(h)
        times = 2 if faulty and (h.command == "POST" or scripted) and self._roll(f.duplicate) else 1
        if times == 2:
            self.stats.duplicated += 1
        answer: tuple[int, list[tuple[str, str]], bytes] | None = None
        for _ in range(times):
            try:
                answer = self._forward(h, body)
            except OSError:
                return self._cut(h)
        assert answer is not None
        self.stats.forwarded += 1
        if self._partitioned.is_set() or (faulty and self._roll(f.drop_response)):
            self.stats.dropped_responses += 1
            return self._cut(h)
        status, headers, data = answer
        try:
            h.send_response(status)
            for k, v in headers:
                if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                    h.send_header(k, v)
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
        except OSError:
            h.close_connection = True
        return None

    def _forward(self, h: BaseHTTPRequestHandler, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        conn = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=120)
        try:
            headers = {k: v for k, v in h.headers.items() if k.lower() not in HOP_BY_HOP}
            conn.request(h.command, h.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            return resp.status, resp.getheaders(), resp.read()
        finally:
            conn.close()

    @staticmethod
    def _cut(h: BaseHTTPRequestHandler) -> None:
        h.close_connection = True
        with contextlib.suppress(OSError):
            h.connection.shutdown(2)
