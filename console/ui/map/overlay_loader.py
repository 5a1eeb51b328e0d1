"""Map files (GeoJSON overlays, MBTiles base maps) opened off the GUI thread, with a deadline, a
Cancel, and every failure delivered on the GUI thread as a worded message."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from enum import StrEnum
from pathlib import Path
from typing import Any

from console.geo.geojson import GEOJSON_TIMEOUT, GeoJSONError, load_geojson
from console.geo.load_control import LoadCancelled, LoadControl
from console.geo.mbtiles import MBTILES_TIMEOUT, MBTilesSource
from console.geo.tile_source import TileSourceError
from console.ui.qt import (
    QEvent,
    QHBoxLayout,
    QLabel,
    QObject,
    QPushButton,
    Qt,
    QTimer,
    QtWidgets,
    QWidget,
    Signal,
    fmt,
)

log = logging.getLogger(__name__)

# The worker stops itself at the loader's deadline; this much later the GUI stops waiting for it
# anyway (a read from a network drive that hangs in the operating system cannot be interrupted).
GRACE_SECONDS = 3.0


class MapFileKind(StrEnum):
    OVERLAY = "overlay"  # a GeoJSON file drawn over the map
    BASEMAP = "basemap"  # an MBTiles file under it


class JobState(StrEnum):
    LOADING = "loading"
    LOADED = "loaded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class MapFileJob:
    """One file being opened, and how it ended: `result` when loaded, `message` when failed."""

    def __init__(self, kind: MapFileKind, path: Path, control: LoadControl, restoring: bool) -> None:
        self.kind = kind
        self.path = path
        self.control = control
        self.restoring = restoring  # a base map reopened from the saved settings, not chosen now
        self.state = JobState.LOADING
        self.result: Any = None
        self.message = ""
        self.watchdog: QTimer | None = None

    @property
    def done(self) -> bool:
        return self.state is not JobState.LOADING

    @property
    def ok(self) -> bool:
        return self.state is JobState.LOADED

    def __repr__(self) -> str:
        return f"MapFileJob({self.kind.value}, {self.path.name}, {self.state.value})"


class MapFileLoader(QObject):
    """Opens map files on its own two workers (a 30 s file read never queues behind, or holds up,
    replica reads or network work). `finished(job)` arrives on the GUI thread once per job:
    loaded, failed (with a worded message) or cancelled. A job cancelled, or not answered by its
    deadline plus GRACE_SECONDS, is finished at once; its worker's late result is closed and dropped.
    """

    changed = Signal()  # a job started or ended
    finished = Signal(object)  # MapFileJob
    _deliver = Signal(object, object, object)  # job, result, error (from a worker)

    def __init__(self, parent: QObject | None = None, *, overlay_timeout: float = GEOJSON_TIMEOUT,
                 basemap_timeout: float = MBTILES_TIMEOUT, grace: float = GRACE_SECONDS) -> None:
        super().__init__(parent)
        self.timeouts = {MapFileKind.OVERLAY: overlay_timeout, MapFileKind.BASEMAP: basemap_timeout}
        self.grace = grace
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sitroom-mapfile")
        self._jobs: list[MapFileJob] = []
        self._deliver.connect(self._on_delivered, Qt.ConnectionType.QueuedConnection)
        # Closed with its panel: the workers stop at their next check (the interpreter waits for them
        # at exit). The lambda holds the list and the pool, not this deleted object.
        jobs, pool = self._jobs, self._pool
        self.destroyed.connect(lambda *_: _abandon(jobs, pool))

    # -- public API -------------------------------------------------------------------------
    def open_overlay(self, path: Path) -> MapFileJob:
        return self._start(MapFileKind.OVERLAY, Path(path), False,
                           lambda control: load_geojson(path, control=control))

    def open_basemap(self, path: Path, *, restoring: bool = False) -> MapFileJob:
        """Only the newest base map counts: one still opening is cancelled."""
        self.cancel(MapFileKind.BASEMAP)
        return self._start(MapFileKind.BASEMAP, Path(path), restoring,
                           lambda control: MBTilesSource(path, control=control))

    def cancel(self, kind: MapFileKind | None = None) -> None:
        """Cancel the jobs in flight (of one kind, or all): each finishes as cancelled now."""
        for job in [j for j in self._jobs if kind is None or j.kind is kind]:
            job.control.cancel()
            self._finish(job, JobState.CANCELLED)

    @property
    def jobs(self) -> list[MapFileJob]:
        """The jobs in flight, oldest first."""
        return list(self._jobs)

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def shutdown(self) -> None:
        self.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)

    # -- internals --------------------------------------------------------------------------
    def _start(self, kind: MapFileKind, path: Path, restoring: bool,
               load: Callable[[LoadControl], Any]) -> MapFileJob:
        timeout = self.timeouts[kind]
        job = MapFileJob(kind, path, LoadControl(timeout), restoring)
        watchdog = QTimer(self)
        watchdog.setSingleShot(True)
        watchdog.setInterval(int((timeout + self.grace) * 1000))
        watchdog.timeout.connect(lambda: self._overdue(job))
        job.watchdog = watchdog
        self._jobs.append(job)
        watchdog.start()
        self.changed.emit()
        self._pool.submit(self._work, job, load)
        return job

    def _work(self, job: MapFileJob, load: Callable[[LoadControl], Any]) -> None:
        result: Any = None
        error: BaseException | None = None
        if job.control.cancelled:
            error = LoadCancelled()
        else:
            try:
                result = load(job.control)
            except BaseException as exc:  # delivered to the GUI thread, never lost in a worker
                error = exc
        try:
            self._deliver.emit(job, result, error)
        except RuntimeError:  # the loader is gone (its panel closed): nobody will use the result
            _close(result)

    def _on_delivered(self, job: MapFileJob, result: Any, error: BaseException | None) -> None:
        if job.done:  # cancelled or overdue meanwhile: the late result is not used
            _close(result)
            return
        if error is None:
            job.result = result
            self._finish(job, JobState.LOADED)
        elif isinstance(error, LoadCancelled) or job.control.cancelled:
            self._finish(job, JobState.CANCELLED)
        elif isinstance(error, GeoJSONError | TileSourceError):
            self._finish(job, JobState.FAILED, str(error))
        else:
            log.error("opening map file %s failed", job.path, exc_info=error)
            self._finish(job, JobState.FAILED,
                         f"{job.path.name}: could not be read ({type(error).__name__}: {error})")

    def _overdue(self, job: MapFileJob) -> None:
        if job.done:
            return
        job.control.cancel()
        self._finish(job, JobState.FAILED,
                     f"{job.path.name}: no answer within {job.control.timeout + self.grace:g} s; the file "
                     "may be damaged or too large, or its drive may not answer")

    def _finish(self, job: MapFileJob, state: JobState, message: str = "") -> None:
        if job.done:
            return
        job.state = state
        job.message = message
        if job.watchdog is not None:
            job.watchdog.stop()
            job.watchdog.deleteLater()
            job.watchdog = None
        if job in self._jobs:
            self._jobs.remove(job)
        self.finished.emit(job)
        self.changed.emit()


def _abandon(jobs: list[MapFileJob], pool: ThreadPoolExecutor) -> None:
    for job in jobs:
        job.control.cancel()
    pool.shutdown(wait=False, cancel_futures=True)


def _close(result: Any) -> None:
    close = getattr(result, "close", None)
    if callable(close):
        try:
            close()
        except Exception:  # a late result being dropped: nothing to tell anyone
            log.debug("closing a dropped map file failed", exc_info=True)


class MapFileLoadBar(QWidget):
    """'Loading overlay zones.geojson…' with a busy bar and Cancel, shown while files open."""

    def __init__(self, loader: MapFileLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("map_loading")
        self.loader = loader
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, 0)  # busy: a parse has no useful percentage
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(False)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("map_loading_cancel")
        self.cancel_button.clicked.connect(lambda: self.loader.cancel())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.progress)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.cancel_button)
        loader.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        jobs = self.loader.jobs
        self.setVisible(bool(jobs))
        self.cancel_button.setText(self.tr("Cancel"))
        if not jobs:
            self.label.clear()
            return
        job = jobs[-1]
        text = (self.tr("Loading overlay %1…") if job.kind is MapFileKind.OVERLAY
                else self.tr("Opening base map %1…"))
        text = fmt(text, job.path.name)
        if len(jobs) > 1:
            text += " " + fmt(self.tr("(%1 files)"), len(jobs))
        self.label.setText(text)
        self.cancel_button.setToolTip(self.tr("Stop opening the file; the map stays as it is"))

    def changeEvent(self, event: Any) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        super().changeEvent(event)
