"""The server's Prometheus metrics (`GET /metrics`, text format) and who may scrape them.

Single process: prometheus-client's default registry. With `sitroom server --workers N` the
supervisor sets PROMETHEUS_MULTIPROC_DIR before it starts the workers, each worker writes its
values there, and a scrape of any worker answers for the whole instance (multiprocess mode;
gauges of workers that died are dropped at the next scrape).

Who may scrape: a request from this machine's loopback that no proxy forwarded (no
X-Forwarded-For / Forwarded header: HAProxy on the same host connects from 127.0.0.1 too), or
anyone presenting the metrics token (`sitroom server --metrics-token-file`) as a bearer token.
Everyone else gets 404, as if there were no such page: the numbers show the traffic of a police
network.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST

REQUESTS = Counter("sitroom_http_requests", "HTTP requests answered, by endpoint and status",
                   ["method", "endpoint", "status"])
LATENCY = Histogram("sitroom_http_request_duration_seconds",
                    "Time from request to the end of the answer, by endpoint (long-polls include "
                    "their wait)", ["method", "endpoint"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
LONG_POLLS_OPEN = Gauge("sitroom_long_polls_open", "Long-polls (GET /changes with wait) waiting now",
                        multiprocess_mode="livesum")
PUSH_BATCH = Histogram("sitroom_push_batch_size", "Mutations per push request",
                       buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000))
MUTATIONS = Counter("sitroom_mutations", "Results of pushed mutations (applied, duplicate, "
                    "conflict, rejected)", ["status"])
LOGINS = Counter("sitroom_logins", "Login answers: ok, failed (401), throttled (429), refused "
                 "(other)", ["outcome"])
DB_CONNECTIONS_IN_USE = Gauge("sitroom_db_connections_in_use",
                              "Database connections checked out of the pool now",
                              multiprocess_mode="livesum")
DB_POOL_CAPACITY = Gauge("sitroom_db_pool_capacity", "Connections the pool may open (size + overflow)",
                         multiprocess_mode="livesum")
FEED_NOTIFICATIONS = Counter("sitroom_feed_notifications_received",
                             "PostgreSQL NOTIFYs of feed commits received by this server")
ESCALATOR_LEADER = Gauge("sitroom_escalator_leader", "1 in the process that runs the escalator",
                         multiprocess_mode="livesum")

_LOGIN_OUTCOMES = {200: "ok", 401: "failed", 429: "throttled"}
_PID_FILE = re.compile(r"_(\d+)\.db$")


def login_answered(status: int) -> None:
    LOGINS.labels(_LOGIN_OUTCOMES.get(status, "refused")).inc()


def push_answered(results: list[Any]) -> None:
    """A push's batch size and each result's status (values of MutationStatus)."""
    PUSH_BATCH.observe(len(results))
    for result in results:
        status = getattr(result, "status", None)
        MUTATIONS.labels(str(getattr(status, "value", status))).inc()


def watch_pool(engine: Any) -> Callable[[], None]:
    """Keep the connections-in-use gauge current from the engine's pool events."""
    from sqlalchemy import event

    pool = engine.pool
    size = getattr(pool, "size", None)
    overflow = getattr(pool, "_max_overflow", 0)
    if callable(size):
        DB_POOL_CAPACITY.set(size() + max(overflow, 0))

    def update(*_args: Any) -> None:
        checked_out = getattr(pool, "checkedout", None)
        if callable(checked_out):
            DB_CONNECTIONS_IN_USE.set(checked_out())

    event.listen(engine, "checkout", update)
    event.listen(engine, "checkin", update)

    def remove() -> None:
        with contextlib.suppress(Exception):
            event.remove(engine, "checkout", update)
            event.remove(engine, "checkin", update)

    return remove


def _drop_dead_workers(folder: str) -> None:
    for path in Path(folder).glob("gauge_live*_*.db"):
        found = _PID_FILE.search(path.name)
        if found is None:
            continue
        pid = int(found.group(1))
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            multiprocess.mark_process_dead(pid, folder)
        except PermissionError:
            pass


def exposition(feed_head: int | None) -> bytes:
    """The text the scraper gets: this process's (or, with workers, the instance's) metrics
    and the feed head read from the database now."""
    folder = os.environ.get(MULTIPROC_ENV)
    if folder:
        _drop_dead_workers(folder)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, folder)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    now = CollectorRegistry()
    head = Gauge("sitroom_feed_head", "The change feed's last sequence number (-1: database "
                 "unreadable)", registry=now)
    head.set(-1 if feed_head is None else feed_head)
    return body + generate_latest(now)


def may_scrape(client_host: str | None, headers: dict[str, str], token: str | None) -> bool:
    """Loopback and not forwarded by a proxy, or the metrics token as a bearer token."""
    authorization = headers.get("authorization", "")
    if token and authorization.lower().startswith("bearer "):
        return hmac.compare_digest(authorization[7:].strip().encode(), token.encode())
    if "x-forwarded-for" in headers or "forwarded" in headers:
        return False
    try:
        return client_host is not None and ipaddress.ip_address(client_host).is_loopback
    except ValueError:
        return False


def read_token(path: str | Path) -> str:
    """The metrics token in a file (first line); a StartupError-worthy ValueError if unusable."""
    given = Path(path).expanduser()
    try:
        token = given.read_text(encoding="utf-8").strip().splitlines()[0].strip()
    except (OSError, UnicodeDecodeError, IndexError) as exc:
        raise ValueError(f"the metrics token file {given} cannot be read or is empty "
                         f"({getattr(exc, 'strerror', None) or exc})") from None
    if len(token) < 16:
        raise ValueError(f"the metrics token in {given} is shorter than 16 characters: make one "
                         "with `openssl rand -hex 32`")
    return token
