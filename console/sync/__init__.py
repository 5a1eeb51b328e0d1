"""The console's sync engine: login (online, or offline against a cached verifier), first sync by
paged snapshot, live pull by long-poll, outbox push, connectivity state. No Qt in this layer.

API::

    from console.sync import SyncEngine, LoginResult, LoginFailed, SyncState, Connectivity, SyncPhase
    from console.sync.events import (StateChanged, SyncProgress, MutationRejected, ConflictRaised,
                                     AuthExpired, LoggedOut, SyncEvent,   # + replica RowsChanged
                                     FailureKind, SyncFailure)

    engine = SyncEngine(server_url: str, replica: Replica, *, page_size: int = MAX_PAGE,
                        long_poll_wait: float = 25.0, push_interval: float = 30.0,
                        health_interval: float = 120.0, backoff_cap: float = 30.0,
                        rng: random.Random | None = None, probe_interval: float = 1.0)
    engine.login(username: str, password: str) -> LoginResult     # LoginResult(user, offline)
        # online: POST /login, caches token + user + scrypt verifier in the replica meta;
        # server unreachable: checks the cached verifier (raises LoginFailed if none matches)
        # and logs in online by itself once the server answers again.
        # Wrong credentials online raise LoginFailed (no offline fallback).
    engine.start() -> None            # pull, push and probe threads (the probe asks an unreachable
                                      # server every probe_interval; its answer ends the outage)
    engine.stop(timeout: float = 10.0) -> None   # cancels a long-poll in flight; joins threads
    engine.close() -> None            # stop() and detach from the replica
    engine.logout() -> None           # stop, forget the token (the offline verifier stays)
    engine.kick() -> None             # push now (also done on every replica write)
    engine.subscribe(listener: Callable[[SyncEvent], None]) -> Callable[[], None]  # unsubscribe
    engine.state -> SyncState         # connectivity, phase, data_as_of, pending, rejected,
                                      # conflicts, user, offline_login, last_error (a SyncFailure:
                                      # FailureKind + raw detail), snapshot_complete, snapshot_rows
    engine.clock.now() -> datetime    # the server's clock (ClockInfo + local monotonic x speed)

Listeners are called on the engine's threads (pull, push) or, for RowsChanged, on the thread
that wrote the replica: a Qt UI bridges them to queued signals. Subscribe to either the
replica's or the engine's RowsChanged, not both (the engine forwards the replica's).
"""

from console.sync.engine import LoginFailed, LoginResult, SyncEngine
from console.sync.events import Connectivity, SyncPhase, SyncState

__all__ = ["Connectivity", "LoginFailed", "LoginResult", "SyncEngine", "SyncPhase", "SyncState"]
