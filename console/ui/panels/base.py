"""The panel contract: what a dock panel declares (PanelSpec) and receives (PanelContext).

How to add a panel
------------------
1. Create one module under ``console/ui/panels/`` (e.g. ``weather_panel.py``).
2. Build your widget with a factory that takes a :class:`PanelContext` and returns a QWidget.
3. Expose it as ``PANEL``::

       from console.ui.panels.base import PanelContext, PanelSpec
       from console.ui.qt import QT_TRANSLATE_NOOP, QWidget

       def build(ctx: PanelContext) -> QWidget:
           return WeatherPanel(ctx)

       PANEL = PanelSpec(
           object_name="weather",                      # unique; names the dock and its saved state
           title=QT_TRANSLATE_NOOP("Panels", "Weather"),  # source text, translated in context "Panels"
           area="right",                               # "left" | "right" | "top" | "bottom"
           factory=build,
           order=60,                                   # lower first within an area
       )

The main window finds the module with pkgutil, wraps the widget in a QDockWidget (object name
``dock_<object_name>``) under a strip that shows how old the replica's data is, and lists it in
View > Panels. Nothing else to register. Where it goes by default: the default layout
(``console/ui/layout.py``, DEFAULT_LAYOUT) names the place of the known panels; a panel it does
not name goes to its spec's `area` (tabbed with the other panels of its `group`).

Rules
-----
- Read through ``ctx.ops.query(lambda: ctx.replica.rows(kind), on_done, key=...)``: the
  lambda runs on the database worker, ``on_done`` on the GUI thread. Never call the replica
  from the GUI thread and never touch a widget in the lambda.
- Change data only through ``ctx.ops.submit(MutationRequest(kind, record_kind, id, payload))``;
  a broken rule comes back as ``on_error(DomainError)`` (or, without one, the main window
  shows it). The new rows then arrive through ``ctx.changes.rows_changed``.
- A panel never reaches into another panel: follow ``ctx.selection.selected(kind, id)`` and
  call ``ctx.selection.select(kind, id)`` (or ``open(kind, id)`` to bring the panel whose
  spec lists the kind in ``opens`` to front); react to ``ctx.changes.rows_changed({kind: ids})``,
  ``ctx.changes.sync_state_changed(SyncStatus)`` and ``ctx.changes.tick()`` (1 Hz).
- Times: ``ctx.now()`` is the moment every figure is shown as of (the server-aligned clock, read
  once per tick for every panel; the demo runs an accelerated clock). Show times with
  ``console.ui.timefmt.local_time`` (KST).
- Every visible string goes through ``self.tr()`` (or ``console.ui.qt.tr(context, text)``);
  enum values through ``console.ui.labels``. Handle ``QEvent.LanguageChange`` in
  ``changeEvent`` to re-translate, and ``ctx.theme.changed`` if you paint colours yourself.
- Keep the factory cheap: load data asynchronously after the widget is shown.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from console.protocol.schema import UserInfo
from console.replica.reads import ReplicaReads, ShownRow
from console.ui.events import ChangeBus, Connection, Selection, SyncStatus
from console.ui.operations import MutationRequest, OperationRunner
from console.ui.qt import QSettings, QWidget
from console.ui.theme import ThemeManager
from console.ui.timefmt import shown_now

log = logging.getLogger(__name__)

DockArea = Literal["left", "right", "top", "bottom"]


class Clock(Protocol):
    """The console's one clock: the server's time (its offset and the scenario's speed applied
    once; console.sync.clock.ServerClock), or a test's console.ui.testing.ManualClock."""

    def now(self) -> datetime: ...

    @property
    def speed(self) -> float:
        """Clock seconds per real second (the demo's scenario runs faster)."""
        ...


@dataclass(frozen=True)
class PanelSpec:
    """What a panel module declares as ``PANEL``."""

    object_name: str
    title: str  # source text; wrap it in QT_TRANSLATE_NOOP("Panels", ...)
    area: DockArea
    factory: Callable[[PanelContext], QWidget]
    order: int = 50
    visible_by_default: bool = True
    # Record kinds this panel shows in full: `ctx.selection.open(kind, id)` raises its dock.
    opens: tuple[str, ...] = ()
    # Panels of one area with the same non-empty group share a tab stack in the default
    # layout; otherwise each panel gets its own split of the area.
    group: str = ""


@dataclass
class PanelContext:
    """Everything a panel may use. Panels hold this, never the main window."""

    replica: ReplicaReads  # reads only, and only inside ctx.ops.query(...)
    ops: OperationRunner
    selection: Selection
    changes: ChangeBus
    clock: Clock
    user: UserInfo
    theme: ThemeManager
    console_id: str = ""  # this console's client id (timeline entries carry the maker's)
    # The console's settings file: a panel keeps its own section, per user, under its own name.
    settings: QSettings | None = None

    def now(self) -> datetime:
        """The moment every figure on screen is shown as of: the console clock, read once per
        tick (1 Hz) for all panels at once, so two panels never show two ages of one thing."""
        return shown_now(self.changes, self.clock).now()


PANEL_TITLE_CONTEXT = "Panels"


def discover_panels(package: Any | None = None,
                    names: Iterable[str] | None = None) -> list[PanelSpec]:
    """Every ``PANEL`` of the modules in ``console.ui.panels`` (or `package`), ordered by
    (area, order, name). A module that fails to import is logged and skipped, so one broken
    panel never keeps the console from starting."""
    if package is None:
        import console.ui.panels

        package = console.ui.panels
    pkg: Any = package
    wanted = set(names) if names is not None else None
    specs: list[PanelSpec] = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("_") or info.name == "base":
            continue
        try:
            module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        except Exception:
            log.exception("panel module %s failed to import; skipped", info.name)
            continue
        spec = getattr(module, "PANEL", None)
        if isinstance(spec, PanelSpec) and (wanted is None or spec.object_name in wanted):
            specs.append(spec)
    return sorted(specs, key=lambda s: (s.order, s.object_name))


__all__ = [
    "PANEL_TITLE_CONTEXT", "ChangeBus", "Clock", "Connection", "DockArea", "MutationRequest",
    "OperationRunner", "PanelContext", "PanelSpec", "ReplicaReads", "Selection",
    "ShownRow", "SyncStatus", "ThemeManager", "discover_panels",
]
