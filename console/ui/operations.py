"""Background work for the UI: replica work on one serialised worker, network on another,
results and errors delivered on the GUI thread (modelled on Anki's CollectionOp/QueryOp)."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from console.domain.errors import DomainError
from console.domain.records import RecordKind
from console.ui.qt import QObject, Qt, QTimer, Signal, Slot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MutationRequest:
    """One change a panel asks for; the app adds who, where and when before it reaches the replica."""

    kind: str  # mutation kind, e.g. "incident.transition"
    record_kind: RecordKind
    record_id: str
    payload: dict[str, Any] = field(default_factory=dict)


Submitter = Callable[[MutationRequest], Any]


class OperationRunner(QObject):
    """Runs callables off the GUI thread and hands their results back on it.

    - `query(fn, on_done, key=...)`: a replica read on the database worker. With a `key`, only
      the newest request of that key delivers its result (a stale answer never overwrites a
      newer one), and one superseded before the worker reaches it does not run at all.
    - `submit(MutationRequest, on_done, on_error)`: a local write (replica + outbox) on the same
      serialised database worker. A broken rule arrives as `on_error(DomainError)`, or, without
      `on_error`, as the `failed(title, message)` signal the main window shows.
    - `network(fn, on_done, on_error)`: HTTP work on its own worker, so a slow server never
      queues behind database work.
    Callbacks run on the GUI thread; the callables themselves must never touch widgets.
    """

    failed = Signal(str, str)  # title, message
    busy_changed = Signal(int)  # operations in flight
    _deliver = Signal(object)  # a zero-argument callable to run on the GUI thread

    def __init__(self, submitter: Submitter | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._submitter = submitter
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitroom-db")
        self._net = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sitroom-net")
        self._lock = threading.Lock()
        self._generation: dict[str, int] = {}
        self._in_flight = 0
        self._closed = False
        self._delivered: deque[Callable[[], None]] = deque()
        # Answers are taken in one per pass of the event loop (a zero timer), so input, repaints
        # and timers get their turn between them: those that piled up while the GUI thread was
        # busy ran back to back, and a national HQ's GUI stalled for their sum while the
        # morning's openings arrived (sitroom bench --only burst).
        self._pump = QTimer(self)
        self._pump.setInterval(0)
        self._pump.timeout.connect(self._run_next)
        self._deliver.connect(self._run_delivered, Qt.ConnectionType.QueuedConnection)

    def set_submitter(self, submitter: Submitter) -> None:
        self._submitter = submitter

    # -- public API -------------------------------------------------------------------------
    def query(self, fn: Callable[[], Any], on_done: Callable[[Any], None], *, key: str | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> None:
        generation = self._next_generation(key)
        self._start(self._db, fn, on_done, on_error, key, generation, self.tr("Reading data failed"))

    def submit(self, request: MutationRequest, on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> None:
        submitter = self._submitter
        if submitter is None:
            raise RuntimeError("no submitter: the app wires the replica before panels submit")
        self._start(self._db, lambda: submitter(request), on_done or _ignore, on_error, None, 0,
                    self.tr("The change was not accepted"))

    def network(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
                on_error: Callable[[BaseException], None] | None = None) -> None:
        self._start(self._net, fn, on_done, on_error, None, 0, self.tr("Network request failed"))

    def shutdown(self, wait: bool = True) -> None:
        """Stop accepting work; finish what runs (callbacks after this are dropped)."""
        self._closed = True
        self._db.shutdown(wait=wait, cancel_futures=True)
        self._net.shutdown(wait=wait, cancel_futures=True)

    @property
    def in_flight(self) -> int:
        return self._in_flight

    # -- internals --------------------------------------------------------------------------
    def _next_generation(self, key: str | None) -> int:
        if key is None:
            return 0
        with self._lock:
            self._generation[key] = self._generation.get(key, 0) + 1
            return self._generation[key]

    def _is_current(self, key: str | None, generation: int) -> bool:
        if key is None:
            return True
        with self._lock:
            return self._generation.get(key) == generation

    def _start(self, pool: ThreadPoolExecutor, fn: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[BaseException], None] | None, key: str | None, generation: int,
               title: str) -> None:
        if self._closed:
            return
        self._in_flight += 1
        self.busy_changed.emit(self._in_flight)

        def work() -> None:
            if not self._is_current(key, generation):
                # Superseded while queued (a newer read of the same key waits behind it): skip
                # the read itself, not only its answer. A national HQ console queues several
                # re-reads of 14,000 routes or stations during a busy minute; only the last counts.
                self._deliver.emit(_nothing)
                return
            try:
                result = fn()
            except BaseException as exc:  # delivered to the GUI thread, never lost in a worker
                error = exc
                self._deliver.emit(lambda: self._finish_error(error, on_error, title))
            else:
                self._deliver.emit(lambda: self._finish_ok(result, on_done, key, generation))

        future: Future[None] = pool.submit(work)
        del future

    @Slot(object)
    def _run_delivered(self, callback: Callable[[], None]) -> None:
        self._delivered.append(callback)
        if not self._pump.isActive():
            self._pump.start()

    @Slot()
    def _run_next(self) -> None:
        if not self._delivered:
            self._pump.stop()
            return
        callback = self._delivered.popleft()
        if not self._delivered:
            self._pump.stop()
        self._in_flight = max(0, self._in_flight - 1)
        self.busy_changed.emit(self._in_flight)
        if self._closed:
            return
        callback()

    def _finish_ok(self, result: Any, on_done: Callable[[Any], None], key: str | None,
                   generation: int) -> None:
        if self._is_current(key, generation):
            on_done(result)

    def _finish_error(self, exc: BaseException, on_error: Callable[[BaseException], None] | None,
                      title: str) -> None:
        if on_error is not None:
            on_error(exc)
            return
        if isinstance(exc, DomainError):
            self.failed.emit(title, exc.message)
        else:
            log.error("background operation failed", exc_info=exc)
            self.failed.emit(title, f"{type(exc).__name__}: {exc}")


def _nothing() -> None:
    """A delivery that only settles the in-flight count."""


def _ignore(_result: Any) -> None:
    return None
