"""`sitroom server --workers N`: N server processes on one listening socket and one PostgreSQL.

The parent binds the socket and checks everything an operator can get wrong (settings file,
certificate, database), then starts N workers (multiprocessing "spawn": a fresh interpreter each,
nothing inherited but the socket) and watches them: a worker that dies is started again, SIGTERM
or Ctrl-C stops them all gracefully (each answers its waiting long-polls first). The workers
share nothing in memory: sessions, throttles, the feed and the escalator's lease live in
PostgreSQL, wake-ups travel by LISTEN/NOTIFY (console.server.notifier), and the metrics of all
workers are added up through prometheus-client's multiprocess folder (console.server.metrics).

The kernel spreads new connections over the workers (they accept on the same socket); a console
keeps its keep-alive connection, so its requests stay on one worker until it reconnects.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import shutil
import signal
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("sitroom.server.workers")

STOP_GRACE = 10.0  # seconds a worker has to finish its requests after SIGTERM
QUICK_DEATH = 10.0  # a worker that dies this soon after its start counts as failing to start
MAX_QUICK_DEATHS = 3


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker needs to build the same server as the parent checked (picklable)."""

    args: argparse.Namespace
    # The scenario clock: every worker runs the clock from the same wall-clock moment.
    clock_start_iso: str | None
    anchor_wall: float


def worker_main(spec: WorkerSpec, sock: socket.socket) -> None:
    """A worker process: build the app on the shared socket and serve until told to stop."""
    from datetime import datetime, timedelta

    from console.server import logs
    from console.server.app import StoppingServer, create_app
    from console.server.cli import build_settings, uvicorn_config
    from console.server.clock import ServerClock
    from console.server.database import Database
    from console.server.tls import load_server_tls

    args = spec.args
    logs.configure(args.log_level)
    clock = ServerClock()
    if spec.clock_start_iso is not None:
        elapsed = (time.time() - spec.anchor_wall) * args.clock_speed
        clock = ServerClock(datetime.fromisoformat(spec.clock_start_iso) + timedelta(seconds=elapsed),
                            args.clock_speed)
    settings = build_settings(args, clock)
    tls = (load_server_tls(args.tls_cert, args.tls_key, datetime.now().astimezone())
           if args.tls_cert else None)
    database = Database(settings.db_url)
    try:
        app = create_app(settings, database)
        config = uvicorn_config(app, args, tls.context if tls is not None else None)
        StoppingServer(config).run(sockets=[sock])
    finally:
        database.dispose()


class Supervisor:
    """Starts, restarts and stops the workers."""

    def __init__(self, spec: WorkerSpec, sock: socket.socket, count: int) -> None:
        self.spec = spec
        self.sock = sock
        self.count = count
        self.context = multiprocessing.get_context("spawn")
        self.workers: list[Any] = []
        self.started_at: dict[int | None, float] = {}
        self.stopping = False
        self.quick_deaths = 0

    def _start(self) -> Any:
        process = self.context.Process(target=worker_main, args=(self.spec, self.sock),
                                       name="sitroom-server-worker", daemon=False)
        process.start()
        self.started_at[process.pid] = time.monotonic()
        log.info("worker started", extra={"fields": {"event": "worker", "pid": process.pid}})
        return process

    def _stop(self, *_: Any) -> None:
        self.stopping = True

    def run(self) -> int:
        """Serve until SIGTERM/SIGINT; returns the exit status."""
        old = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        metrics_dir, made = _metrics_folder()
        status = 0
        try:
            self.workers = [self._start() for _ in range(self.count)]
            while not self.stopping:
                time.sleep(0.2)
                for index, process in enumerate(self.workers):
                    if process.is_alive() or self.stopping:
                        continue
                    lived = time.monotonic() - self.started_at.pop(process.pid, 0.0)
                    log.warning("worker died; starting another", extra={"fields": {
                        "event": "worker", "pid": process.pid, "exitcode": process.exitcode,
                        "lived_s": round(lived, 1)}})
                    _forget_worker(process.pid, metrics_dir)
                    self.quick_deaths = self.quick_deaths + 1 if lived < QUICK_DEATH else 0
                    if self.quick_deaths >= MAX_QUICK_DEATHS:
                        log.error("workers keep dying as they start: stopping (see the errors "
                                  "above)", extra={"fields": {"event": "worker"}})
                        self.stopping, status = True, 1
                        break
                    self.workers[index] = self._start()
        finally:
            self._terminate_all()
            for sig, handler in old.items():
                signal.signal(sig, handler)
            if made:
                shutil.rmtree(metrics_dir, ignore_errors=True)
        return status

    def _terminate_all(self) -> None:
        for process in self.workers:
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for process in self.workers:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(5)


def _metrics_folder() -> tuple[str, bool]:
    """The multiprocess metrics folder (PROMETHEUS_MULTIPROC_DIR if the operator set one, its old
    files removed; else a private temporary folder), set in the environment the workers inherit.
    Returns it and whether it was made here."""
    from console.server.metrics import MULTIPROC_ENV

    given = os.environ.get(MULTIPROC_ENV)
    if given:
        Path(given).mkdir(parents=True, exist_ok=True)
        for old in Path(given).glob("*.db"):
            old.unlink(missing_ok=True)
        return given, False
    folder = tempfile.mkdtemp(prefix="sitroom-metrics-")
    os.environ[MULTIPROC_ENV] = folder
    return folder, True


def _forget_worker(pid: int | None, folder: str) -> None:
    if pid is None:
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(pid, folder)
