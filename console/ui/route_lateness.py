"""The one late-box threshold of a console: how long past its planned arrival a ballot box is late.

Kept per user in the console's settings (`routes/<user>/late_threshold_minutes`), read by every
panel that says which boxes are late (the routes panel, the map). The routes panel sets it; the
setting then announces `changed(minutes)` and each reader re-evaluates on its own: no panel
reaches into another. There is one setting object per console: `late_threshold(ctx)` finds it on
the context's change bus (a child QObject of `ctx.changes`, made on first use), so every panel of
one console, built in any order, shares it, and it ends with the bus."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from console.domain.election import DEFAULT_LATE_THRESHOLD, LATE_THRESHOLD_MAX
from console.ui.panels.base import PanelContext
from console.ui.qt import QObject, QSettings, Signal

OBJECT_NAME = "late_threshold_setting"
MAX_MINUTES = int(LATE_THRESHOLD_MAX.total_seconds() // 60)


def _minutes(value: Any, default: int) -> int:
    try:
        return min(MAX_MINUTES, max(0, int(value)))
    except (TypeError, ValueError):
        return default


class LateThreshold(QObject):
    """The console's late threshold, in whole minutes (0 .. 180)."""

    changed = Signal(int)  # minutes

    def __init__(self, settings: QSettings | None, username: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(OBJECT_NAME)
        self._settings = settings
        self.key = f"routes/{username}/late_threshold_minutes"
        default = int(DEFAULT_LATE_THRESHOLD.total_seconds() // 60)
        saved = settings.value(self.key) if settings is not None else None
        self._minutes = _minutes(saved, default) if saved is not None else default

    @property
    def minutes(self) -> int:
        return self._minutes

    @property
    def threshold(self) -> timedelta:
        return timedelta(minutes=self._minutes)

    def set_minutes(self, minutes: int) -> None:
        """Keep the user's new threshold and announce it (nothing happens if it is the same)."""
        minutes = _minutes(minutes, self._minutes)
        if minutes == self._minutes:
            return
        self._minutes = minutes
        if self._settings is not None:
            self._settings.setValue(self.key, minutes)
        self.changed.emit(minutes)


def late_threshold(ctx: PanelContext) -> LateThreshold:
    """The console's one late threshold (made on first use, on the context's change bus)."""
    found = ctx.changes.findChild(LateThreshold, OBJECT_NAME)
    if isinstance(found, LateThreshold):
        return found
    return LateThreshold(ctx.settings, ctx.user.username, parent=ctx.changes)
