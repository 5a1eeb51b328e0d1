"""The sync engine: login, first sync, live pull by long-poll, outbox push, connectivity state.

Pull and push run on their own threads with their own HTTP sessions, so a long-poll never
delays a push. Everything the engine learns goes into the replica (one transaction per page or
push answer) and is announced to listeners as plain-Python events, on the engine's threads.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from console.domain.clock import now_utc, parse_time
from console.domain.errors import DomainError
from console.listeners import Listeners
from console.protocol.schema import (
    API_VERSION,
    MAX_LONG_POLL_SECONDS,
    MAX_PAGE,
    MAX_PUSH_BATCH,
    ChangesPage,
    ClockInfo,
    HealthResponse,
    LoginRequest,
    LoginResponse,
    MutationIn,
    PushRequest,
    PushResponse,
    RowText,
    SnapshotPage,
    UserInfo,
)
from console.replica.store import Replica
from console.replica.types import OutboxEntry, ResultSummary, RowsChanged
from console.sync.clock import ServerClock
from console.sync.connectivity import ConnectivityMonitor
from console.sync.credentials import check_verifier, make_verifier
from console.sync.events import (
    AuthExpired,
    ConflictRaised,
    Connectivity,
    FailureKind,
    LoggedOut,
    MutationRejected,
    StateChanged,
    SyncEvent,
    SyncFailure,
    SyncPhase,
    SyncProgress,
    SyncState,
)
from console.sync.http import (
    LONG_POLL_MARGIN,
    PUSH_READ_TIMEOUT,
    ApiClient,
    ApiError,
    AuthRequired,
    CursorExpired,
    Incompatible,
    Interrupted,
    ServerBusy,
    ServerError,
    ServerStopping,
    SyncError,
    Unreachable,
    failure_of,
)

log = logging.getLogger("sitroom.sync")

PROBE_INTERVAL = 1.0  # seconds between probes of an unreachable server
PROBE_TIMEOUT = 1.0  # connect and read timeout of a probe

Listener = Callable[[SyncEvent], None]


class LoginFailed(Exception):
    """Wrong credentials (online), or offline with no matching cached verifier."""

    def __init__(self, message: str, *, code: str = "login_failed") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class LoginResult:
    user: UserInfo
    offline: bool  # True: checked against the cached verifier; the server was unreachable


class Backoff:
    """Exponential backoff with jitter (a random delay in the upper half of the doubling ceiling),
    capped: consoles that lost the server together do not come back together."""

    def __init__(self, base: float = 0.5, cap: float = 30.0, rng: random.Random | None = None) -> None:
        self.base, self.cap = base, cap
        self.failures = 0
        self._rng = rng or random.Random()

    def next(self) -> float:
        self.failures += 1
        ceiling = min(self.cap, self.base * 2 ** min(self.failures, 16))
        return self._rng.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        self.failures = 0

    def after(self, exc: BaseException) -> float:
        """The next delay after the failure `exc`: never sooner than a Retry-After the server
        gave (with up to half of it again as jitter, so the consoles it told do not return in
        step)."""
        delay = self.next()
        told = getattr(exc, "retry_after", None)
        if isinstance(told, int | float) and told > 0:
            delay = max(delay, told * self._rng.uniform(1.0, 1.5))
        return delay


class SyncEngine:
    """Keeps one replica in sync with the server. Call login(), then start(); stop() at the end."""

    def __init__(self, server_url: str, replica: Replica, *, page_size: int = MAX_PAGE,
                 long_poll_wait: float = 25.0, push_interval: float = 30.0,
                 health_interval: float = 120.0, backoff_cap: float = 30.0,
                 rng: random.Random | None = None, probe_interval: float = PROBE_INTERVAL,
                 ca_file: str | None = None) -> None:
        self.server_url = server_url.rstrip("/")
        self.ca_file = ca_file  # the station CA, the only one trusted over HTTPS (None: the usual)
        self.replica = replica
        self.clock = ServerClock()
        self.monitor = ConnectivityMonitor()
        self.page_size = min(page_size, MAX_PAGE)
        self.long_poll_wait = min(long_poll_wait, MAX_LONG_POLL_SECONDS)
        self.push_interval = push_interval
        self.health_interval = health_interval
        self.backoff_cap = backoff_cap
        self.probe_interval = probe_interval
        self._rng = rng or random.Random()
        self._listeners: Listeners[SyncEvent] = Listeners()
        self._stop = threading.Event()
        self._kick = threading.Event()
        self._wake_pull = threading.Event()
        self._push_lock = threading.Lock()  # one push (or client re-binding) at a time
        self._threads: list[threading.Thread] = []
        self._clients: list[ApiClient] = []
        self._token: str | None = None
        self._password: str | None = None  # held only after an offline login, until online
        self._username: str | None = None
        self._offline_login = False
        self._login_not_before = 0.0  # monotonic: a busy server asked us to wait this long
        self._phase = SyncPhase.LOGGED_OUT
        self._server_epoch: str | None = None
        self._last_error: SyncFailure | None = None
        self._snapshot_complete = replica.cursor() is not None
        self._snapshot_rows: tuple[int, int] | None = None
        self._last_state: SyncState | None = None
        self._state_lock = threading.Lock()
        # The server's clock as last learnt (the demo's is accelerated): followed from the start,
        # so a console that starts offline keeps the same time as its data.
        self.clock.restore(replica.meta_get("server_clock") or {})
        replica.clock = self.clock.now
        self._clock_at = 0.0  # when the clock and epoch were last learnt (login or health)
        self._user: UserInfo | None = replica.user()
        self._data_as_of: datetime | None = replica.last_pull_at()
        self._counts = (0, 0, 0)
        self._refresh_counts()
        self._unsubscribe_replica = replica.subscribe(self._on_replica_change)

    # ------------------------------------------------------------------ listeners
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Events arrive on the engine's threads (and on the thread of a replica write)."""
        return self._listeners.subscribe(listener)

    def _emit(self, event: SyncEvent) -> None:
        self._listeners.emit(event)

    def _on_replica_change(self, event: RowsChanged) -> None:
        self._emit(event)
        if event.outbox_changed:
            self._refresh_counts()
            self._publish_state()
            self.kick()

    # ------------------------------------------------------------------ state
    def _refresh_counts(self) -> None:
        """The outbox counts, re-read only when the outbox changed (state is read per pulled page)."""
        self._counts = self.replica.outbox_counts()

    def _pulled(self) -> None:
        self._data_as_of = self.clock.now()

    @property
    def state(self) -> SyncState:
        pending, rejected, conflicts = self._counts
        return SyncState(
            connectivity=self.monitor.state, phase=self._phase, data_as_of=self._data_as_of,
            pending=pending, rejected=rejected, conflicts=conflicts,
            user=self._user if self._phase != SyncPhase.LOGGED_OUT else None,
            offline_login=self._offline_login, last_error=self._last_error,
            snapshot_complete=self._snapshot_complete, snapshot_rows=self._snapshot_rows)

    def _publish_state(self) -> None:
        with self._state_lock:
            state = self.state
            if state == self._last_state:
                return
            self._last_state = state
        self._emit(StateChanged(state))

    def _set_phase(self, phase: SyncPhase) -> None:
        self._phase = phase
        self._publish_state()

    # ------------------------------------------------------------------ login
    def login(self, username: str, password: str) -> LoginResult:
        """Log in: with the profile's own password, by resuming the session it kept (no password
        check on the server); else online; if the server cannot be reached, against the cached
        verifier."""
        owner = self.replica.user()
        if owner is not None and owner.username != username:
            # A replica is one user's profile (its outbox is bound to that user's client id).
            raise LoginFailed(f"this profile belongs to {owner.username}; open {username}'s profile",
                              code="wrong_profile")
        kept_verifier = self.replica.meta_get("offline_verifier")
        if owner is not None and check_verifier(kept_verifier, username, password):
            # The password is this profile's (checked here, against the verifier of its last
            # online login): go on with the session the profile kept while the server holds it,
            # rather than have the server check the password again (about 0.85 s of its core
            # each, a whole country's consoles starting at once).
            resumed = self.resume(username)
            if resumed is not None:
                return resumed
        api = ApiClient(self.server_url, self.monitor, ca_file=self.ca_file)
        try:
            resp = self._login_online(api, username, password)
        except (Unreachable, ServerError) as exc:
            verifier = self.replica.meta_get("offline_verifier")
            if not check_verifier(verifier, username, password):
                if isinstance(exc, ServerBusy):
                    wait = round(exc.retry_after or 5)
                    raise LoginFailed(f"many consoles are logging in at once: try again in {wait} s",
                                      code="server_busy") from None
                raise LoginFailed(f"the server cannot be reached ({exc}) and there is no matching "
                                  "offline login on this workstation", code="offline_unavailable") from None
            user = self.replica.user()
            assert user is not None  # stored with the verifier
            self._user = user
            token = self.replica.meta_get("token")
            expires = self.replica.meta_get("token_expires_at")
            self._token = token if token and not _expired(expires) else None
            self._password = password
            self._username = username
            self._offline_login = True
            self._set_phase(SyncPhase.LIVE if self.replica.cursor() is not None else SyncPhase.SNAPSHOT)
            self._wake()
            return LoginResult(user, offline=True)
        finally:
            api.close()
        self._username = username
        self._set_phase(SyncPhase.LIVE if self.replica.cursor() is not None else SyncPhase.SNAPSHOT)
        self._wake()
        return LoginResult(resp.user, offline=False)

    def resume(self, username: str) -> LoginResult | None:
        """Go on with the session this profile kept, without a password: the console's token
        (kept in the replica from its last online login) is shown to the server (GET /me), which
        accepts it only while the session is in force (not revoked, not past its absolute end,
        not idle too long, the user active). A whole country's consoles restarting at once thus
        cost the server one cheap read each instead of a password check (about 0.85 s of a
        core). None when there is no such session (expired, revoked, another user's profile)
        or the server cannot say (unreachable): then log in with the password."""
        owner = self.replica.user()
        token = self.replica.meta_get("token")
        if (owner is None or owner.username != username or not token
                or _expired(self.replica.meta_get("token_expires_at"))):
            return None
        api = ApiClient(self.server_url, self.monitor, ca_file=self.ca_file)
        api.token = str(token)
        try:
            user = UserInfo.model_validate_json(api.request("GET", "/me", timed=False).content)
        except AuthRequired:
            self.replica.meta_update({"token": None, "token_expires_at": None})
            return None
        except (SyncError, ValidationError) as exc:
            log.info("resume: the session could not be confirmed (%s); a login is needed", exc)
            return None
        finally:
            api.close()
        if user.username != username:
            return None
        if user.org_path != owner.org_path:
            # The user's scope moved: re-snapshot, which sweeps the rows now outside it.
            self.replica.reset_cursor()
            self._snapshot_complete = False
        self.replica.meta_set("user", user.model_dump(mode="json"))
        self._user = user
        self._token = str(token)
        self._username = username
        self._password = None
        self._offline_login = False
        self._last_error = None
        self._server_epoch = None  # learnt (with the clock) by the pull's first health check
        self._set_phase(SyncPhase.LIVE if self.replica.cursor() is not None else SyncPhase.SNAPSHOT)
        self._wake()
        return LoginResult(user, offline=False)

    def _login_online(self, api: ApiClient, username: str, password: str) -> LoginResponse:
        body = LoginRequest(username=username, password=password, client_id=self.replica.client_id())
        try:
            raw = api.request("POST", "/login", json=body.model_dump(mode="json"), auth=False, timed=False)
        except ApiError as exc:
            raise LoginFailed(exc.body.message, code=exc.code) from None
        try:
            resp = LoginResponse.model_validate_json(raw.content)
        except ValidationError as exc:
            raise Incompatible(f"bad login answer: {exc.error_count()} error(s)") from None
        self._learn_clock(resp.clock)
        known = self.replica.server_epoch()
        if (known is not None and known != resp.server_epoch
                and self.replica.meta_get("client_epoch") != resp.server_epoch):
            # A new server database knows nothing of this console's numbering: take a new
            # client id now and log in with it (a push must carry its session's client id).
            with self._push_lock:
                self.replica.rebind_client()
                self.replica.meta_set("client_epoch", resp.server_epoch)
            return self._login_online(api, username, password)
        self._server_epoch = resp.server_epoch
        before = self.replica.user()
        if before is not None and before.org_path != resp.user.org_path:
            # The user's scope moved: re-snapshot, which sweeps the rows now outside it.
            self.replica.reset_cursor()
            self._snapshot_complete = False
        self.replica.meta_update({
            "user": resp.user.model_dump(mode="json"),
            "token": resp.token,
            "token_expires_at": resp.expires_at,
            "offline_verifier": make_verifier(username, password),
        })
        self._user = resp.user
        self._token = resp.token
        self._password = None
        self._offline_login = False
        self._last_error = None
        return resp

    def logout(self) -> None:
        """End the session on the server, forget the token (the cached offline verifier stays)
        and stop syncing. Offline, the server's session simply lapses (its idle timeout)."""
        self.stop()
        if self._token:
            self._end_server_session(self._token)
        self._token = None
        self._password = None
        self.replica.meta_update({"token": None, "token_expires_at": None})
        self._set_phase(SyncPhase.LOGGED_OUT)
        self._emit(LoggedOut())

    def _end_server_session(self, token: str) -> None:
        api = ApiClient(self.server_url, self.monitor, ca_file=self.ca_file)
        api.token = token
        try:
            api.request("POST", "/logout", timed=False, connect_timeout=2.0, read_timeout=3.0)
        except SyncError as exc:  # unreachable, or the session is already over
            log.info("logout: the server's session was not ended (%s)", exc)
        finally:
            api.close()

    def _auth_expired(self, message: str) -> None:
        if self._password is not None and self._username is not None:
            api = ApiClient(self.server_url, self.monitor, ca_file=self.ca_file)
            try:
                self._login_online(api, self._username, self._password)
                return
            except LoginFailed as exc:
                message = exc.message
                self._last_error = SyncFailure(FailureKind.LOGIN_REFUSED, message)
            except SyncError:
                return  # unreachable again: keep trying later
            finally:
                api.close()
        else:
            self._last_error = SyncFailure(FailureKind.SESSION_EXPIRED, message)
        self._token = None
        self._password = None
        self._set_phase(SyncPhase.AUTH_EXPIRED)
        self._emit(AuthExpired(message))

    def _ensure_token(self) -> bool:
        """A usable token; after an offline login, log in online as soon as the server answers."""
        if self._token and self._password is None:
            return True
        if self._password is not None and self._username is not None:
            if time.monotonic() < self._login_not_before:
                return self._token is not None  # the server asked us to wait (Retry-After)
            api = ApiClient(self.server_url, self.monitor, ca_file=self.ca_file)
            try:
                self._login_online(api, self._username, self._password)
                self._set_phase(SyncPhase.LIVE if self.replica.cursor() is not None else SyncPhase.SNAPSHOT)
                return True
            except LoginFailed as exc:
                self._password = None
                self._last_error = SyncFailure(FailureKind.LOGIN_REFUSED, exc.message)
                self._set_phase(SyncPhase.AUTH_EXPIRED)
                self._emit(AuthExpired(exc.message))
            except SyncError as exc:
                self._last_error = failure_of(exc)  # say so if it is a certificate, not an outage
                told = getattr(exc, "retry_after", None)
                if told:
                    self._login_not_before = time.monotonic() + told * self._rng.uniform(1.0, 1.5)
                return self._token is not None  # still unreachable: the cached token may do
            finally:
                api.close()
        return False

    # ------------------------------------------------------------------ threads
    def start(self) -> None:
        if self._threads:
            return
        self._stop.clear()
        pull_api = ApiClient(self.server_url, self.monitor, ca_file=self.ca_file)
        push_api = ApiClient(self.server_url, self.monitor, ca_file=self.ca_file)
        probe_api = ApiClient(self.server_url, self.monitor, ca_file=self.ca_file)
        self._clients = [pull_api, push_api, probe_api]
        self._threads = [
            threading.Thread(target=self._run, args=(self._pull_loop, pull_api), name="sync-pull",
                             daemon=True),
            threading.Thread(target=self._run, args=(self._push_loop, push_api), name="sync-push",
                             daemon=True),
            threading.Thread(target=self._run, args=(self._probe_loop, probe_api), name="sync-probe",
                             daemon=True),
        ]
        for t in self._threads:
            t.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop both threads; a long-poll in flight is cancelled. Safe to call twice."""
        self._stop.set()
        self._wake()
        for api in self._clients:
            api.cancel()
        for t in self._threads:
            t.join(timeout)
        for api in self._clients:
            api.close()
        self._threads = []
        self._clients = []

    def close(self) -> None:
        """stop() and detach from the replica."""
        self.stop()
        self._unsubscribe_replica()

    def kick(self) -> None:
        """Push now (called on every local write)."""
        self._kick.set()

    def _wake(self) -> None:
        self._kick.set()
        self._wake_pull.set()

    def _run(self, loop: Callable[[ApiClient], None], api: ApiClient) -> None:
        try:
            loop(api)
        except Exception:
            if not self._stop.is_set():
                log.exception("sync thread %s died", threading.current_thread().name)
                raise

    def _sleep(self, event: threading.Event, seconds: float) -> None:
        event.wait(seconds)
        event.clear()

    # ------------------------------------------------------------------ pull
    def _pull_loop(self, api: ApiClient) -> None:
        backoff = Backoff(cap=self.backoff_cap, rng=self._rng)
        last_health = self._clock_at  # a fresh login brought the epoch and the clock already
        was = self.monitor.state
        while not self._stop.is_set():
            if not self._ensure_token():
                self._sleep(self._wake_pull, 1.0 if self._password else 5.0)
                continue
            api.token = self._token
            try:
                if time.monotonic() - last_health > self.health_interval or self._server_epoch is None:
                    self._health(api)
                    last_health = time.monotonic()
                if self._needs_snapshot():
                    self._snapshot(api)
                else:
                    self._pull_changes(api)
                backoff.reset()
                self._last_error = None
            except CursorExpired as exc:
                log.info("cursor expired (%s): re-snapshot, outbox kept", exc.body.message)
                if not self._stop.is_set():
                    self.replica.reset_cursor()
                    self._snapshot_complete = False
                last_health = 0.0  # learn the (maybe new) epoch
            except AuthRequired as exc:
                self._auth_expired(exc.body.message)
            except Interrupted:
                if self._stop.is_set():
                    break
                # Cut on purpose (the server answers again): ask again at once, no backoff.
            except Exception as exc:
                # Network trouble (SyncError), a garbled answer (ValidationError) or a bug: the
                # thread must live on, so back off and retry.
                if self._stop.is_set():
                    break
                if not isinstance(exc, SyncError | ValidationError):
                    log.exception("pull failed")
                self._last_error = failure_of(exc)
                self._publish_state()
                self._sleep(self._wake_pull, backoff.after(exc))
            now = self.monitor.state
            if now != was:
                if was == Connectivity.OFFLINE:
                    self.kick()  # reconnected: push what queued up
                was = now
                self._publish_state()

    def _probe_loop(self, api: ApiClient) -> None:
        """While the server cannot be reached, ask it (GET /health, short timeouts) once every
        `probe_interval`. The moment it answers, the console is online again: calls begun before
        that answer are cut (a long-poll may wait on a connection the outage killed) and pull and
        push go at once, out of any backoff. Without this the banner stayed up until the
        long-poll in flight timed out or a backoff of up to `backoff_cap` ran out."""
        while not self._stop.is_set():
            if self.monitor.state != Connectivity.OFFLINE:
                self._stop.wait(self.probe_interval)
                continue
            began = time.monotonic()
            try:
                api.request("GET", "/health", auth=False, connect_timeout=PROBE_TIMEOUT,
                            read_timeout=PROBE_TIMEOUT)
            except SyncError:
                self._publish_state()
            else:
                self._reconnected(began)
            # A probe that took its whole timeout is followed by the next at once.
            self._stop.wait(max(0.0, began + self.probe_interval - time.monotonic()))

    def _reconnected(self, answered_since: float) -> None:
        for api in self._clients:
            api.interrupt(answered_since)
        self._wake()
        self._publish_state()

    def _health(self, api: ApiClient) -> None:
        # With the token: the server tells its epoch only to a logged-in caller.
        raw = api.request("GET", "/health")
        health = HealthResponse.model_validate_json(raw.content)
        if health.api_version != API_VERSION:
            raise Incompatible(f"the server speaks API version {health.api_version}, "
                               f"this console {API_VERSION}")
        self._learn_clock(health.clock)
        if health.server_epoch is not None:
            self._server_epoch = health.server_epoch

    def _learn_clock(self, info: ClockInfo) -> None:
        self.clock.update(info)
        self._clock_at = time.monotonic()
        self.replica.meta_set("server_clock", self.clock.saved())

    def _needs_snapshot(self) -> bool:
        return self.replica.cursor() is None or self.replica.server_epoch() != self._server_epoch

    def _snapshot(self, api: ApiClient) -> None:
        self._set_phase(SyncPhase.SNAPSHOT)
        page = self._snapshot_page(api, None)
        if self._stop.is_set():
            return
        old_epoch = self.replica.server_epoch()
        wipe = old_epoch is not None and old_epoch != page.server_epoch
        if wipe and self.replica.meta_get("client_epoch") != page.server_epoch:
            # A new server database (met without a login: a restored one that knows our
            # token): it knows nothing of this client's numbering. The new client id needs a
            # session of its own, so log in again.
            with self._push_lock:
                self.replica.rebind_client()
                self.replica.meta_set("client_epoch", page.server_epoch)
            self._auth_expired("the server's database was replaced: log in again")
        self._server_epoch = page.server_epoch
        self.replica.begin_snapshot(page.server_epoch, page.as_of, wipe=wipe)
        self._snapshot_complete = False
        self._snapshot_rows = (0, page.total)
        self._publish_state()
        done = 0
        # The next page is fetched and parsed while this one is written to the replica.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-snapshot") as fetcher:
            while True:
                if self._stop.is_set():
                    return
                last = page.next_after is None
                upcoming = None if last else fetcher.submit(self._snapshot_page, api, page.next_after)
                try:
                    self.replica.apply_snapshot_page(page.rows, done=last, as_of=page.as_of)
                finally:
                    following = upcoming.result() if upcoming is not None else None
                done += len(page.rows)
                self._snapshot_rows = (done, max(page.total, done))
                self._emit(SyncProgress("snapshot", done, max(page.total, done)))
                self._publish_state()
                if following is None:
                    break
                page = following
        self._snapshot_complete = self.replica.cursor() is not None
        self._snapshot_rows = None
        self._pulled()
        self._set_phase(SyncPhase.LIVE)
        self.kick()

    # Rows come with their data as JSON text, stored in the replica as they come (parsing and
    # serialising thousands of rows again cost most of a first sync).
    def _snapshot_page(self, api: ApiClient, after: str | None) -> SnapshotPage[RowText]:
        params: dict[str, Any] = {"limit": self.page_size, "data_as_text": "true"}
        if after is not None:
            params["after"] = after
        return SnapshotPage[RowText].model_validate_json(
            api.request("GET", "/snapshot", params=params).content)

    def _pull_changes(self, api: ApiClient) -> None:
        if self._phase != SyncPhase.LIVE:
            self._set_phase(SyncPhase.LIVE)
        wait = self.long_poll_wait
        while not self._stop.is_set():
            cursor = self.replica.cursor()
            if cursor is None:
                return
            params: dict[str, Any] = {"since": cursor, "limit": self.page_size, "wait": wait,
                                      "data_as_text": "true"}
            if self._server_epoch:
                params["epoch"] = self._server_epoch
            raw = api.request("GET", "/changes", params=params, read_timeout=wait + LONG_POLL_MARGIN,
                              timed=wait == 0)
            page = ChangesPage[RowText].model_validate_json(raw.content)
            if self._stop.is_set():
                return
            if page.changes or page.cursor != cursor:
                self.replica.apply_changes(page.changes, page.cursor, page.server_epoch)
            else:
                self.replica.touch_pull()
            self._pulled()
            self._publish_state()
            if not page.more:
                return
            wait = 0

    # ------------------------------------------------------------------ push
    def _push_loop(self, api: ApiClient) -> None:
        backoff = Backoff(cap=self.backoff_cap, rng=self._rng)
        delay = 0.0
        while not self._stop.is_set():
            if delay:
                self._sleep(self._kick, delay)
            if self._stop.is_set():
                break
            if not self._push_allowed():
                delay = 1.0
                continue
            api.token = self._token
            try:
                self._push_all(api)
                backoff.reset()
                delay = self.push_interval
            except AuthRequired as exc:
                self._auth_expired(exc.body.message)
                delay = self.push_interval
            except Interrupted:
                if self._stop.is_set():
                    break
                delay = 0.0  # cut on purpose (the server answers again): send again at once
            except Exception as exc:
                if self._stop.is_set():
                    break
                if not isinstance(exc, SyncError | ValidationError | _Deferred):
                    log.exception("push failed")
                if not isinstance(exc, _Deferred):  # a resend, not a failure
                    self._last_error = failure_of(exc)
                delay = backoff.after(exc)
                self._publish_state()

    def _push_allowed(self) -> bool:
        """Only with a token, and never across a server epoch change before the client is re-bound."""
        epoch = self.replica.server_epoch()
        return bool(self._token) and self._server_epoch is not None and epoch in (None, self._server_epoch)

    def _push_all(self, api: ApiClient) -> None:
        """Push every pending entry, batch after batch, until none is left.

        Pipelined: while the server works on batch k+1, the answers to batch k are recorded in the
        replica on a helper thread, so the replica's work stays off the critical path. Batch k+1
        is sent only after batch k's answer arrived (the server has committed it), so the server
        still sees this client's mutations in order; an edit whose base version depends on an
        answer not yet recorded waits for it (push_batch's `unsettled`). Answers are recorded
        in order, one batch at a time, also when a later request fails."""
        with self._push_lock, ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-record") as recorder:
            recording: Future[ResultSummary] | None = None
            sent_upto = 0
            unsettled: set[int] = set()
            try:
                while not self._stop.is_set():
                    batch = self.replica.push_batch(MAX_PUSH_BATCH, after=sent_upto, unsettled=unsettled)
                    if not batch:
                        if recording is None:
                            return
                        done, recording, unsettled = recording, None, set()
                        self._settle(done)  # then look again: waiting edits may go now
                        continue
                    response = self._post(api, batch)
                    if recording is not None:
                        done, recording = recording, None
                        self._settle(done)
                    if self._stop.is_set():
                        return
                    sent_upto = batch[-1].client_seq
                    unsettled = {e.client_seq for e in batch}
                    recording = recorder.submit(self.replica.record_results, response.results)
            finally:
                if recording is not None:
                    # An error is on its way out: record the answers already received, quietly
                    # (their events go out on the next successful push at the latest).
                    with contextlib.suppress(Exception):
                        self._settle(recording)

    def _post(self, api: ApiClient, batch: list[OutboxEntry]) -> PushResponse:
        request = PushRequest(client_id=self.replica.client_id(), mutations=[
            MutationIn(client_seq=e.client_seq, kind=e.kind, record_kind=e.record_kind,
                       record_id=e.record_id, base_version=e.base_version, payload=e.payload,
                       made_at=e.made_at) for e in batch])
        try:
            raw = api.request("POST", "/mutations", data=request.model_dump_json(),
                              headers={"Content-Type": "application/json"},
                              read_timeout=PUSH_READ_TIMEOUT, timed=False)
        except SyncError as exc:
            # A server going away (or a call cut on purpose) is no failure of these mutations.
            if not self._stop.is_set() and not isinstance(exc, Interrupted | ServerStopping | ServerBusy):
                self.replica.note_push_failure([e.client_seq for e in batch], failure_of(exc).stored())
            raise
        return PushResponse.model_validate_json(raw.content)

    def _settle(self, recording: Future[ResultSummary]) -> None:
        """Wait for one batch's answers to be recorded, then tell the listeners."""
        summary = recording.result()
        for entry in summary.rejected:
            self._emit(MutationRejected(entry))
        for conflict in summary.conflicts:
            self._emit(ConflictRaised(conflict))
        self._publish_state()
        if summary.deferred:
            raise _Deferred(f"{len(summary.deferred)} mutation(s) deferred; resending from the gap")

class _Deferred(Exception):
    """The server is missing an earlier client_seq: back off, then resend from the gap."""


def _expired(expires_at: Any) -> bool:
    if not expires_at:
        return True
    try:
        return parse_time(str(expires_at)) <= now_utc()
    except DomainError:
        return True
