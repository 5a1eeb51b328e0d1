"""Audible alerts: a short .wav through QSoundEffect when QtMultimedia is installed, else a beep."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from console.ui.qt import QApplication, QObject, QUrl, Signal

ALERT_WAV = Path(__file__).with_name("sounds") / "alert.wav"
MIN_INTERVAL_S = 2.0  # a burst of urgent incidents sounds once, not once per incident


class AlertSound(QObject):
    """Plays the alert. PySide6-Essentials has no QtMultimedia, so the fallback is the system
    beep; the `played` signal lets the UI (and tests) know an alert sounded either way."""

    played = Signal(str)  # "wav" | "beep" | "muted"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.muted = False
        self._last = 0.0
        self._effect: Any = None
        try:
            from PySide6.QtMultimedia import QSoundEffect  # not in PySide6-Essentials

            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(ALERT_WAV)))
            effect.setVolume(0.9)
            self._effect = effect
        except ImportError:
            self._effect = None

    @property
    def backend(self) -> str:
        return "wav" if self._effect is not None else "beep"

    def play(self) -> bool:
        """Sound the alert unless muted or one sounded within the last two seconds."""
        now = time.monotonic()
        if now - self._last < MIN_INTERVAL_S:
            return False
        self._last = now
        if self.muted:
            self.played.emit("muted")
            return False
        if self._effect is not None:
            self._effect.play()
        else:
            QApplication.beep()
        self.played.emit(self.backend)
        return True
