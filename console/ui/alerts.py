"""Audible alerts: a distinct short WAV for a code 0 incident, a code 1 incident and an
unacknowledged duty order, played with QtMultimedia's QSoundEffect; the system beep where
QtMultimedia or an audio output is missing. Mute and volume are kept per user (View > Alert sound).

The console has one AlertPlayer (alert_player(): the sounds, mute, volume, the fallback); each
panel holds an AlertSound that decides whether an alert sounds (once per alert, a burst once).
Nothing here may raise into the GUI or wait on the audio system.
"""

from __future__ import annotations

import importlib
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from console.ui.qt import (
    QAction,
    QApplication,
    QEvent,
    QMenu,
    QObject,
    QSettings,
    QtCore,
    QtGui,
    QTimer,
    QUrl,
    QWidget,
    Signal,
    fmt,
)

log = logging.getLogger(__name__)

SOUNDS_DIR = Path(__file__).with_name("sounds")
ALERT_WAV = SOUNDS_DIR / "alert.wav"


class AlertKind(StrEnum):
    CODE_0 = "code0"  # new code 0 incident: violent crime in progress
    CODE_1 = "code1"  # new code 1 incident: imminent danger to life or body
    DUTY_ORDER = "duty_order"  # a duty order this office has not acknowledged
    URGENT = "urgent"  # an alert that does not say which (the console's first, single sound)


SOUND_FILES: dict[AlertKind, Path] = {
    AlertKind.CODE_0: SOUNDS_DIR / "code0.wav",
    AlertKind.CODE_1: SOUNDS_DIR / "code1.wav",
    AlertKind.DUTY_ORDER: SOUNDS_DIR / "duty_order.wav",
    AlertKind.URGENT: ALERT_WAV,
}
# Lower is more urgent. Within MIN_INTERVAL_S of a sound only a more urgent one sounds again,
# so a burst of arrivals sounds once but a code 0 is never swallowed by a chime before it.
URGENCY: dict[AlertKind, int] = {AlertKind.CODE_0: 0, AlertKind.CODE_1: 1, AlertKind.URGENT: 1,
                                 AlertKind.DUTY_ORDER: 2}
MIN_INTERVAL_S = 2.0
VOLUMES = (1.0, 0.75, 0.5, 0.25)
KEYS_REMEMBERED = 4096  # alert keys (incident and order ids) already sounded; the oldest go first
LOAD_DELAY_MS = 1000

# What became of a sound, as carried by the `played` signals.
WAV, BEEP, MUTED = "wav", "beep", "muted"


class SoundUnavailable(Exception):
    """The sound backend cannot start (the message says why, for the log and the menu)."""


class SoundBackend(Protocol):
    def unavailable(self) -> str | None:
        """Why sounds cannot play now (for example no audio output), or None when they can."""
        ...

    def play(self, kind: AlertKind, volume: float) -> bool:
        """Start the sound of `kind` at `volume` (0..1) without waiting; False if it cannot."""
        ...


class _NoBackend:
    def __init__(self, reason: str) -> None:
        self.reason = reason

    def unavailable(self) -> str | None:
        return self.reason

    def play(self, kind: AlertKind, volume: float) -> bool:
        return False


# QtMultimedia narrates its start in these categories (optional PipeWire and VA-API libraries it
# did not find, the FFmpeg version): none of it concerns the commander, and the player says in one
# line what it means for the alerts. Filtered by Qt itself, in C++.
MULTIMEDIA_QUIET_RULES = "\n".join(f"qt.multimedia.*.{level}=false" for level in ("debug", "info", "warning"))


def _quiet_multimedia() -> None:
    """Silence QtMultimedia's start-up narration with a logging-category rule, never with a Python
    message handler: Qt emits these messages while it loads its multimedia plugin, inside dlopen
    (holding the dynamic loader's lock) with the GIL released. A Python handler then waits for
    the GIL while another thread holding it waits for the loader lock (numpy looking up its
    caller with dladdr, or any import of a C extension): the console hung at start that way."""
    QtCore.QLoggingCategory.setFilterRules(MULTIMEDIA_QUIET_RULES)


class QtSoundBackend(QObject):
    """One QSoundEffect per alert kind, made once (Qt decodes the WAVs on its own thread) and
    made again for the new default output when the audio outputs change."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effects: dict[AlertKind, Any] = {}
        self._device_name = ""
        _quiet_multimedia()
        try:
            # Imported here, not in console.ui.qt: QtMultimedia is optional (PySide6-Addons)
            # and needs libpulse.so.0, and the console must start without either.
            self._mm: Any = importlib.import_module("PySide6.QtMultimedia")
        except ImportError as exc:
            hint = "; on Debian: apt-get install libpulse0" if "libpulse" in str(exc) else ""
            raise SoundUnavailable(f"QtMultimedia cannot load ({exc}{hint})") from exc
        self._devices = self._mm.QMediaDevices(self)
        self._load()
        self._devices.audioOutputsChanged.connect(self._outputs_changed)

    def _outputs_changed(self) -> None:
        self._load()
        log.info("Alert sounds: audio outputs changed; %s",
                 self.unavailable() or f"playing on {self._device_name}")

    def _load(self) -> None:
        for effect in self._effects.values():
            effect.stop()
            effect.deleteLater()
        self._effects = {}
        if not self._mm.QMediaDevices.audioOutputs():
            self._device_name = ""
            return
        device = self._mm.QMediaDevices.defaultAudioOutput()
        self._device_name = device.description()
        for kind, path in SOUND_FILES.items():
            effect = self._mm.QSoundEffect(device, self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            self._effects[kind] = effect

    @property
    def device_name(self) -> str:
        return self._device_name

    def unavailable(self) -> str | None:
        return None if self._effects else "no audio output device"

    def play(self, kind: AlertKind, volume: float) -> bool:
        effect = self._effects.get(kind)
        if effect is None or effect.status() == self._mm.QSoundEffect.Status.Error:
            return False
        effect.setVolume(volume)
        if effect.isPlaying():
            effect.stop()  # a repeat starts over rather than being dropped
        effect.play()  # queued by Qt if the WAV is still loading
        return True


class AlertPlayer(QObject):
    """The console's one alert player: the sounds, mute and volume, and the fallback to the
    system beep, noted once in the log. Whether an alert sounds at all is its AlertSound's call."""

    played = Signal(str, str)  # kind, outcome: "wav" | "beep" | "muted"
    settings_changed = Signal()

    def __init__(self, backend: Callable[[QObject], SoundBackend] | None = None,
                 beep: Callable[[], None] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._make_backend: Callable[[QObject], SoundBackend] = backend or QtSoundBackend
        self._beep = beep or QApplication.beep
        self._backend: SoundBackend | None = None
        self._noted: set[str] = set()
        self.muted = False
        self.volume = 1.0
        # Load the sounds (about 50 ms) once the window is up, not while it is being built; an
        # alert before that loads them at once.
        QTimer.singleShot(LOAD_DELAY_MS, self, self.backend)

    # -- settings -------------------------------------------------------------------------------
    def set_muted(self, muted: bool) -> None:
        if muted != self.muted:
            self.muted = muted
            self.settings_changed.emit()

    def set_volume(self, volume: float) -> None:
        volume = min(1.0, max(0.05, float(volume)))
        if volume != self.volume:
            self.volume = volume
            self.settings_changed.emit()

    # -- backend --------------------------------------------------------------------------------
    def backend(self) -> SoundBackend:
        if self._backend is None:
            try:
                self._backend = self._make_backend(self)
            except Exception as exc:  # SoundUnavailable, or anything a broken install raises
                self._backend = _NoBackend(str(exc) if isinstance(exc, SoundUnavailable)
                                           else f"the sound system failed to start ({exc!r})")
            reason = self._safe_unavailable(self._backend)
            if reason:
                self._note(reason)
        return self._backend

    @property
    def loaded(self) -> bool:
        return self._backend is not None

    def unavailable(self) -> str | None:
        """Why alerts sound as the system beep, or None when they play their own sounds."""
        return self._safe_unavailable(self.backend())

    def status(self) -> str:
        """"ok"; "no_device" (no audio output); "no_sound_system" (QtMultimedia did not start)."""
        if isinstance(self.backend(), _NoBackend):
            return "no_sound_system"
        return "no_device" if self.unavailable() else "ok"

    def describe(self) -> str:
        return BEEP if self.unavailable() else WAV

    @staticmethod
    def _safe_unavailable(backend: SoundBackend) -> str | None:
        try:
            return backend.unavailable()
        except Exception as exc:
            return f"the sound system failed ({exc!r})"

    # -- sounding -------------------------------------------------------------------------------
    def sound(self, kind: AlertKind) -> str:
        """Sound `kind` unless muted, without waiting; the outcome: "wav", "beep" or "muted"."""
        outcome = MUTED if self.muted else self._sound(kind)
        self.played.emit(kind.value, outcome)
        return outcome

    def test(self, kind: AlertKind = AlertKind.CODE_0) -> str:
        """Sound `kind` now, muted or not (View > Alert sound > Play test sound)."""
        outcome = self._sound(kind)
        self.played.emit(kind.value, outcome)
        return outcome

    def _sound(self, kind: AlertKind) -> str:
        try:
            backend = self.backend()
            if backend.play(kind, self.volume):
                return WAV
            reason = self._safe_unavailable(backend) or f"{SOUND_FILES[kind].name} could not be played"
        except Exception as exc:  # an alert sound must never take the console down
            reason = f"the sound failed ({exc!r})"
        self._note(reason)
        try:
            self._beep()
        except Exception:
            log.debug("system beep failed", exc_info=True)
        return BEEP

    def _note(self, reason: str) -> None:
        if reason not in self._noted:
            self._noted.add(reason)
            log.warning("Alert sounds: %s; alerts sound as the system beep.", reason)


_player: AlertPlayer | None = None


def alert_player() -> AlertPlayer:
    """The console's alert player (made on first use, owned by the application)."""
    global _player
    if _player is not None:
        try:
            _player.objectName()
        except RuntimeError:  # deleted with an earlier QApplication
            _player = None
    if _player is None:
        _player = AlertPlayer(parent=QApplication.instance())
    return _player


def install_player(player: AlertPlayer | None) -> None:
    """Make `player` the console's alert player (tests: one over a fake backend); None: a fresh
    one is made on next use."""
    global _player
    _player = player


class AlertSound(QObject):
    """A panel's alerts: `play(kind, keys)` when an alert arrives. It sounds once per alert
    (keys: the incident or order ids it is about; a refresh that names them again is silent),
    and a burst once: within MIN_INTERVAL_S of a sound only a more urgent one sounds again."""

    played = Signal(str)  # "wav" | "beep" | "muted"

    def __init__(self, parent: QObject | None = None, player: AlertPlayer | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._player = player
        self._clock = clock
        self._sounded: OrderedDict[str, None] = OrderedDict()
        self._last_at = -math.inf
        self._last_urgency = len(URGENCY)

    @property
    def player(self) -> AlertPlayer:
        return self._player or alert_player()

    def play(self, kind: AlertKind = AlertKind.URGENT, keys: Iterable[str] = ()) -> bool:
        """Ask for the sound of `kind` for the alert about `keys`; True if it sounded."""
        keys = list(keys)
        if keys and all(k in self._sounded for k in keys):
            return False
        for k in keys:
            self._sounded[k] = None
            self._sounded.move_to_end(k)
        while len(self._sounded) > KEYS_REMEMBERED:
            self._sounded.popitem(last=False)
        now, urgency = self._clock(), URGENCY[kind]
        if now - self._last_at < MIN_INTERVAL_S and urgency >= self._last_urgency:
            return False
        self._last_at, self._last_urgency = now, urgency
        outcome = self.player.sound(kind)
        self.played.emit(outcome)
        return outcome != MUTED

    @property
    def backend(self) -> str:
        return self.player.describe()


# -- mute and volume, per user ------------------------------------------------------------------
def settings_key(username: str) -> str:
    return f"alerts/{username}"


def load_sound_settings(player: AlertPlayer, settings: QSettings, username: str) -> None:
    key = settings_key(username)
    muted = str(settings.value(f"{key}/muted", "false")).lower() in ("true", "1")
    try:
        volume = float(str(settings.value(f"{key}/volume", 1.0)))
    except ValueError:
        volume = 1.0
    player.set_muted(muted)
    player.set_volume(volume)


def save_sound_settings(player: AlertPlayer, settings: QSettings, username: str) -> None:
    key = settings_key(username)
    settings.setValue(f"{key}/muted", player.muted)
    settings.setValue(f"{key}/volume", player.volume)
    settings.sync()


class AlertSoundMenu(QMenu):
    """View > Alert sound: mute, volume, a test sound, and what alerts sound through. The
    user's choice is kept in the console's settings and applied when the menu is made."""

    def __init__(self, settings: QSettings, username: str, parent: QWidget | None = None,
                 player: AlertPlayer | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alert_sound_menu")
        self.player = player or alert_player()
        self._settings, self._username = settings, username
        load_sound_settings(self.player, settings, username)

        self.mute_action = QAction(self, checkable=True)
        self.mute_action.setObjectName("mute_alerts")
        self.mute_action.toggled.connect(self._mute_toggled)
        self.addAction(self.mute_action)
        self.addSeparator()
        self.volume_group = QtGui.QActionGroup(self)
        self.volume_actions: dict[float, QAction] = {}
        for volume in VOLUMES:
            a = QAction(self, checkable=True)
            a.triggered.connect(lambda _c=False, v=volume: self._volume_chosen(v))
            self.volume_group.addAction(a)
            self.addAction(a)
            self.volume_actions[volume] = a
        self.addSeparator()
        self.test_action = QAction(self)
        self.test_action.setObjectName("test_alert_sound")
        self.test_action.triggered.connect(lambda: self.player.test(AlertKind.CODE_0))
        self.addAction(self.test_action)
        self.status_action = QAction(self)
        self.status_action.setEnabled(False)
        self.addAction(self.status_action)
        self.aboutToShow.connect(self._show_status)
        self.player.settings_changed.connect(self._show_settings)
        self.retranslate()

    def _mute_toggled(self, muted: bool) -> None:
        self.player.set_muted(muted)
        save_sound_settings(self.player, self._settings, self._username)

    def _volume_chosen(self, volume: float) -> None:
        self.player.set_volume(volume)
        save_sound_settings(self.player, self._settings, self._username)

    def _show_settings(self) -> None:
        self.mute_action.blockSignals(True)
        self.mute_action.setChecked(self.player.muted)
        self.mute_action.blockSignals(False)
        nearest = min(VOLUMES, key=lambda v: abs(v - self.player.volume))
        self.volume_actions[nearest].setChecked(True)
        title = self.tr("Alert &sound")
        self.setTitle((title + "  " + self.tr("(muted)")) if self.player.muted else title)

    def _show_status(self) -> None:
        status = self.player.status()
        if status == "no_device":
            self.status_action.setText(self.tr("No audio output found: alerts sound as the system beep"))
        elif status == "no_sound_system":
            self.status_action.setText(self.tr("Sound system unavailable: alerts sound as the system beep"))
        else:
            self.status_action.setText(self.tr("Alerts play their own sounds"))

    def retranslate(self) -> None:
        self.mute_action.setText(self.tr("&Mute alert sounds"))
        self.test_action.setText(self.tr("&Play test sound (code 0)"))
        for volume, action in self.volume_actions.items():
            action.setText(fmt(self.tr("Volume %1%"), round(volume * 100)))
        self._show_settings()
        if self.player.loaded:  # else when first shown: the sounds load after start-up
            self._show_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
