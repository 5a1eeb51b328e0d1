"""What one server process shares among its long-polls: the feed reads (one per scope and cursor
at a time, answered to every console asking the same), the pages already read and encoded, the
callers of the tokens that long-poll, a bound on catch-up work, and one slow watch of the feed
head for writers nobody told us about.

Long-polls never hold a thread while they wait: they await the notifier on the event loop. Their
reads run on a small pool of their own, so the request threadpool (pushes, logins, everything
else) is never queued behind them. Beyond `max_pending` distinct reads queued, a new read is
refused with 503 `server_busy` and a jittered Retry-After: a reconnect storm is spread out
instead of felling the server.
"""

from __future__ import annotations

import asyncio
import gc
import gzip
import logging
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from console.server.errors import ApiError

log = logging.getLogger("sitroom.server.longpoll")

T = TypeVar("T")

# Bodies below this are sent as they are: a live page of one change is smaller than a packet.
GZIP_FROM_BYTES = 1400
GZIP_LEVEL = 5  # a catch-up page of 5,000 rows: ~25 ms, about 8x smaller


@dataclass
class _Cached:
    event: asyncio.Event  # the scope's notifier event current when the read began
    answer: Any
    size: int


@dataclass
class LongPollStats:
    """Counts since start, for tests and the benchmark (GET /health does not show them)."""

    reads: int = 0  # reads of the database for a page
    joined: int = 0  # requests that took a read already under way
    cached: int = 0  # requests answered from a page already read
    shed: int = 0  # requests refused 503 server_busy
    caller_reads: int = 0  # token look-ups that went to the database


class Encoded:
    """A response body written once per form (its JSON, and gzip) for every console that gets it,
    however many ask at once."""

    def __init__(self, body: Callable[[], bytes]) -> None:
        self._make = body
        self._lock = threading.Lock()
        self._plain: bytes | None = None
        self._gzip: bytes | None = None
        # Encodings under way on a worker thread, awaited by every request that wants one.
        self.pending: dict[bool, asyncio.Future[tuple[bytes, bool]]] = {}

    def plain(self) -> bytes:
        if self._plain is None:
            with self._lock:
                if self._plain is None:
                    self._plain = self._make()
        return self._plain

    def compressed(self) -> bytes | None:
        """The gzip of the body, or None when it is too small to be worth it."""
        plain = self.plain()
        if len(plain) < GZIP_FROM_BYTES:
            return None
        if self._gzip is None:
            with self._lock:
                if self._gzip is None:
                    self._gzip = gzip.compress(plain, GZIP_LEVEL, mtime=0)
        return self._gzip

    def ready(self, want_gzip: bool) -> bool:
        """Whether asking for it now costs nothing (else ask on a worker thread)."""
        if self._plain is None:
            return False
        return not want_gzip or len(self._plain) < GZIP_FROM_BYTES or self._gzip is not None

    def get(self, want_gzip: bool) -> tuple[bytes, bool]:
        """(the body, whether it is gzip-compressed): compressed if wanted and worth it."""
        if want_gzip:
            compressed = self.compressed()
            if compressed is not None:
                return compressed, True
        return self.plain(), False


_collecting_less = False


def collect_less() -> None:
    """Once per process, when it begins to serve long-polls: the objects made at start-up are
    left out of the garbage collector's scans (gc.freeze) and young objects are collected in
    larger batches. A thousand long-polls answered per commit make tens of thousands of short-
    lived objects, and the collector's full scans of the server's heap took 15% of the event
    loop in bursts that set the propagation p99 (py-spy, bench scale)."""
    global _collecting_less
    if _collecting_less:
        return
    _collecting_less = True
    gc.freeze()
    # Young objects in batches of 5,000 (700 by default), the older generations as usual:
    # raising those too left cycles holding whole pages (a refused request's traceback) alive
    # until a rare full collection, and a reconnect storm's server grew to 2.9 GB (0.5 GB so).
    gc.set_threshold(5_000, 10, 10)


class FeedReads:
    """The long-poll machinery of one server process (see the module's doc)."""

    def __init__(self, workers: int = 4, max_pending: int = 64, cache_bytes: int = 64 << 20,
                 caller_ttl: float = 5.0) -> None:
        self.workers = workers
        self.max_pending = max_pending
        self.cache_bytes = cache_bytes
        self.caller_ttl = caller_ttl
        self.stats = LongPollStats()
        self._executor: ThreadPoolExecutor | None = None
        self._lookups: ThreadPoolExecutor | None = None
        self._in_flight: dict[tuple[Any, ...], tuple[asyncio.Event, asyncio.Future[Any]]] = {}
        self._pending = 0
        self._pages: OrderedDict[tuple[Any, ...], _Cached] = OrderedDict()
        self._cached_bytes = 0
        self._callers: dict[str, tuple[Any, float, float]] = {}  # digest -> caller, checked, used
        self._watcher: asyncio.Task[None] | None = None
        self._rng = random.Random()
        self.closed = False

    # -- threads ----------------------------------------------------------------------------
    def executor(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="sitroom-feed")
        return self._executor

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` on the long-polls' own threads."""
        return await asyncio.get_running_loop().run_in_executor(self.executor(), fn, *args)

    async def look_up(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` on the token look-ups' own threads: a console that comes back does not
        wait for its session behind the pages others are reading."""
        if self._lookups is None:
            self._lookups = ThreadPoolExecutor(2, thread_name_prefix="sitroom-session")
        return await asyncio.get_running_loop().run_in_executor(self._lookups, fn, *args)

    async def encode(self, body: Encoded, want_gzip: bool) -> tuple[bytes, bool]:
        """`body.get(want_gzip)`, written on a worker thread once for all who ask at once."""
        if body.ready(want_gzip):
            return body.get(want_gzip)
        task = body.pending.get(want_gzip)
        if task is None:
            task = body.pending[want_gzip] = asyncio.ensure_future(self.run(body.get, want_gzip))
        return await asyncio.shield(task)

    @property
    def watching(self) -> bool:
        return self._watcher is not None

    def close(self) -> None:
        """Stop the watch and the threads (the application is stopping)."""
        self.closed = True
        if self._watcher is not None:
            self._watcher.cancel()
            self._watcher = None
        for pool in (self._executor, self._lookups):
            if pool is not None:
                pool.shutdown(wait=False)
        self._executor = self._lookups = None
        self._pages.clear()
        self._cached_bytes = 0
        self._callers.clear()

    # -- callers ----------------------------------------------------------------------------
    # A console long-polls again at once after each answer. Looking its token up each time cost
    # more than the feed reads (two queries and the ORM, a thousand times per commit), so the
    # callers are kept, and the watch checks them all every `caller_ttl` seconds in a few
    # statements (`check_callers`): a session revoked, expired or idle, or a user deactivated or
    # moved, stops long-polling within that time; its pushes and every other call stop at once.
    def caller(self, digest: str) -> Any | None:
        """The caller of a token digest checked within the last few `caller_ttl`, if any."""
        found = self._callers.get(digest)
        if found is None:
            return None
        now = time.monotonic()
        if now - found[1] > 3 * self.caller_ttl:  # the watch has not checked it: look it up
            del self._callers[digest]
            return None
        self._callers[digest] = (found[0], found[1], now)
        return found[0]

    def remember_caller(self, digest: str, caller: Any) -> None:
        if len(self._callers) > 50_000:  # far more consoles than a process serves: start again
            self._callers.clear()
        now = time.monotonic()
        self._callers[digest] = (caller, now, now)

    def forget_caller(self, digest: str) -> None:
        self._callers.pop(digest, None)

    async def _check_callers(self, check: Callable[[list[str]], dict[str, tuple[str, str]]]) -> None:
        """Keep the callers whose session `check` finds in force with the same org and role (and
        that asked within a minute); forget the others."""
        now = time.monotonic()
        for digest, (_caller, _checked, used) in list(self._callers.items()):
            if now - used > 60.0:
                del self._callers[digest]
        digests = list(self._callers)
        if not digests:
            return
        in_force = await self.look_up(check, digests)
        for digest in digests:
            found = self._callers.get(digest)
            if found is None:
                continue
            caller = found[0]
            now_is = in_force.get(digest)
            if now_is is None or now_is != (caller.org_code, str(caller.role.value)):
                del self._callers[digest]
            else:
                self._callers[digest] = (caller, now, found[2])

    # -- pages ------------------------------------------------------------------------------
    async def page(self, key: tuple[Any, ...], event: asyncio.Event, read: Callable[[], T]) -> T:
        """The answer to the question `key` (scope, cursor, page size, epoch), read by `read` on a
        long-poll thread, or shared: a full page never changes; a page up to the head stands until
        the scope's notifier event `event` (taken before asking) is set. A request joins a read
        only if it began under the same event, so it never gets an answer older than its own
        read would be."""
        cached = self._pages.get(key)
        if cached is not None and (cached.answer.more or cached.event is event):
            self._pages.move_to_end(key)
            self.stats.cached += 1
            answer: T = cached.answer
            return answer
        found = self._in_flight.get(key)
        if found is not None and found[0] is event:
            self.stats.joined += 1
            task = found[1]
        else:
            if self._pending >= self.max_pending:
                self.stats.shed += 1
                raise self.busy()
            task = asyncio.ensure_future(self.run(read))
            self._pending += 1
            self.stats.reads += 1
            self._in_flight[key] = (event, task)
            task.add_done_callback(lambda done: self._read_done(key, event, done))
        # Shielded: if the request that began it goes away, the others still get it.
        result: T = await asyncio.shield(task)
        return result

    def _read_done(self, key: tuple[Any, ...], event: asyncio.Event, done: asyncio.Future[Any]) -> None:
        self._pending -= 1
        if self._in_flight.get(key, (None, None))[1] is done:
            del self._in_flight[key]
        if done.cancelled() or done.exception() is not None:  # retrieved here, whoever awaits it
            return
        answer = done.result()
        old = self._pages.pop(key, None)
        if old is not None:
            self._cached_bytes -= old.size
        size = int(answer.size)
        self._pages[key] = _Cached(event, answer, size)
        self._cached_bytes += size
        while self._cached_bytes > self.cache_bytes and self._pages:
            _, dropped = self._pages.popitem(last=False)
            self._cached_bytes -= dropped.size

    def forget_pages(self) -> None:
        self._pages.clear()
        self._cached_bytes = 0

    @property
    def pending(self) -> int:
        return self._pending

    def busy(self) -> ApiError:
        # Spread the retries: a console waits 1-5 s (and adds its own jitter), in proportion to
        # the work queued.
        wait = 1 + self._rng.randint(0, min(4, 1 + self._pending // max(1, self.workers * 4)))
        return ApiError(503, "server_busy", "the server is catching up many consoles at once; "
                                            f"try again in {wait} s",
                        {"retry_after": wait}, headers={"Retry-After": str(wait)})

    # -- the watch ----------------------------------------------------------------------------
    def watch(self, every: float, head: Callable[[], tuple[int, str]],
              current: Callable[[], asyncio.Event], notify: Callable[[], None],
              stopped: Callable[[], bool],
              check_callers: Callable[[list[str]], dict[str, tuple[str, str]]]) -> None:
        """Start (once) a slow watch of the feed head, for writers that did not notify (another
        process without the notifier, a lost notification): `head()` -> (head, epoch) every
        `every` seconds. When the head moved between two looks and the national scope's event
        (`current()`, taken before the first look) was still not set a whole look later,
        `notify()` wakes every scope. A changed epoch (the database was replaced) drops the
        pages kept. Every `caller_ttl` seconds it checks the callers kept (`check_callers`). It
        ends when `stopped()` (the server is stopping)."""
        if self._watcher is not None or self.closed:
            return
        collect_less()
        self._watcher = asyncio.ensure_future(self._watch(every, head, current, notify, stopped,
                                                          check_callers))

    async def _watch(self, every: float, head: Callable[[], tuple[int, str]],
                     current: Callable[[], asyncio.Event], notify: Callable[[], None],
                     stopped: Callable[[], bool],
                     check_callers: Callable[[list[str]], dict[str, tuple[str, str]]]) -> None:
        looks: list[tuple[int, asyncio.Event]] = []
        epoch: str | None = None
        checked = time.monotonic()
        while not self.closed and not stopped():
            if time.monotonic() - checked >= self.caller_ttl:
                checked = time.monotonic()
                try:
                    await self._check_callers(check_callers)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # kept callers age out (caller()) while this fails
                    log.warning("the long-poll watch could not check the sessions: %s", exc)
            event = current()
            try:
                seen, now_epoch = await self.run(head)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is away for a moment: look again later
                log.warning("the long-poll watch could not read the feed head: %s", exc)
                await asyncio.sleep(every)
                continue
            if epoch is not None and now_epoch != epoch:
                self.forget_pages()
                notify()
            epoch = now_epoch
            if len(looks) == 2:
                (before, told), (after, _) = looks
                # The head moved between the two looks before this one, and no commit was told
                # to the national scope (which sees them all) since the earlier of them, a whole
                # look ago: somebody wrote without telling.
                if after != before and not told.is_set():
                    notify()
            looks = [*looks[-1:], (seen, event)]
            await asyncio.sleep(every)
