"""Server settings and the state shared by the request handlers."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher

from console.protocol.limits import WireLimits
from console.server.clock import ServerClock
from console.server.database import Database
from console.server.notifier import FeedNotifier
from console.server.sessions import SessionPolicy
from console.server.throttle import ThrottlePolicy

DEFAULT_ESCALATION_INTERVAL = 5.0


@dataclass
class ServerSettings:
    """What the server runs with. An operator sets the limits, sessions and login throttle in the
    settings file of `sitroom server --config` (console.server.config), not here."""

    db_url: str
    token_ttl: timedelta = timedelta(hours=12)
    clock: ServerClock = field(default_factory=ServerClock)
    # Seconds between escalation passes; None switches the escalator off.
    escalation_interval: float | None = DEFAULT_ESCALATION_INTERVAL
    # While this event is clear the escalator waits (the demo holds it while its simulator
    # catches up on a late start, so nothing is escalated that was handled in time).
    escalation_gate: threading.Event | None = None
    # Seconds between database re-checks of a waiting long-poll (writers in other processes).
    poll_recheck: float = 1.0
    # Hashes and checks passwords at login. None: console.server.auth's default (argon2id at
    # argon2-cffi's default cost), which is what production wants; tests and benchmarks that
    # log in many consoles may pass auth.cheap_hasher(). A login whose stored hash has other
    # parameters stores a new hash made with these.
    password_hasher: PasswordHasher | None = None
    # Sessions: idle timeout and cap per user (token_ttl above is the absolute lifetime), and
    # the login throttle (console.server.sessions, console.server.throttle; README "Security").
    sessions: SessionPolicy = field(default_factory=SessionPolicy)
    login_throttle: ThrottlePolicy = field(default_factory=ThrottlePolicy)
    # What one request may carry: body size, JSON nesting, string and list lengths (see
    # console.protocol.limits; README "Limits").
    limits: WireLimits = field(default_factory=WireLimits)
    # A bearer token that may scrape GET /metrics from anywhere (sitroom server
    # --metrics-token-file); without it only this machine's loopback may (console.server.metrics).
    metrics_token: str | None = None


@dataclass
class ServerState:
    settings: ServerSettings
    db: Database
    notifier: FeedNotifier
    # Reads of the change feed under way, shared by long-polls asking the same (see api.changes):
    # question -> (the notifier event current when it began, its task).
    reads_in_flight: dict[tuple[Any, ...], tuple[asyncio.Event, asyncio.Future[Any]]] = field(
        default_factory=dict)

    @property
    def clock(self) -> ServerClock:
        return self.settings.clock
