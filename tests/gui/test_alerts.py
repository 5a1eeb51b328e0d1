"""Alert sounds: which sound an alert asks for, once per alert and once per burst, mute and
volume per user, and the fallback to the system beep when the sound system cannot play."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from console.ui import alerts
from console.ui.alerts import (
    BEEP,
    MIN_INTERVAL_S,
    MUTED,
    SOUND_FILES,
    WAV,
    AlertKind,
    AlertPlayer,
    AlertSound,
    AlertSoundMenu,
    SoundUnavailable,
)
from console.ui.i18n import LanguageSwitcher
from console.ui.qt import QObject, QSettings

pytestmark = pytest.mark.gui
K = AlertKind


class FakeBackend:
    """Records what it was asked to play; `reason` makes it report no audio output, `fail`
    makes play raise (a device that vanished mid-play)."""

    def __init__(self, reason: str | None = None, fail: bool = False) -> None:
        self.reason, self.fail = reason, fail
        self.plays: list[tuple[AlertKind, float]] = []

    def unavailable(self) -> str | None:
        return self.reason

    def play(self, kind: AlertKind, volume: float) -> bool:
        if self.fail:
            raise RuntimeError("device vanished")
        if self.reason:
            return False
        self.plays.append((kind, volume))
        return True


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class Beeps:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1


def make_player(backend: FakeBackend | None = None, beeps: Beeps | None = None) -> AlertPlayer:
    fake = backend or FakeBackend()
    return AlertPlayer(backend=lambda _parent: fake, beep=beeps or Beeps())


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def player(qapp, backend) -> Iterator[AlertPlayer]:  # type: ignore[no-untyped-def]
    """The console's player for this test, over a fake backend; a fresh one afterwards."""
    p = make_player(backend)
    alerts.install_player(p)
    yield p
    alerts.install_player(None)


@pytest.fixture
def settings(tmp_path):  # type: ignore[no-untyped-def]
    return QSettings(str(tmp_path / "console.ini"), QSettings.Format.IniFormat)


# -- which sound, and when ------------------------------------------------------------------------
def test_each_alert_kind_has_its_own_shipped_sound() -> None:
    files = [SOUND_FILES[k] for k in (K.CODE_0, K.CODE_1, K.DUTY_ORDER)]
    assert len({f.read_bytes() for f in files}) == 3
    assert all(f.is_file() for f in SOUND_FILES.values())


def test_a_code_0_arrival_sounds_the_code_0_sound_once_not_on_each_refresh(player, backend) -> None:
    clock = Clock()
    sound = AlertSound(clock=clock)
    assert sound.play(K.CODE_0, ["inc-1"]) is True
    clock.t += 60
    assert sound.play(K.CODE_0, ["inc-1"]) is False  # the same incident again: a refresh
    assert backend.plays == [(K.CODE_0, 1.0)]
    clock.t += 60
    assert sound.play(K.CODE_1, ["inc-2"]) is True
    assert backend.plays == [(K.CODE_0, 1.0), (K.CODE_1, 1.0)]


def test_a_burst_sounds_once_but_a_more_urgent_alert_breaks_through(player, backend) -> None:
    clock = Clock()
    sound = AlertSound(clock=clock)
    assert sound.play(K.DUTY_ORDER, ["order-1"])
    assert not sound.play(K.DUTY_ORDER, ["order-2"])  # same burst
    assert sound.play(K.CODE_1, ["inc-1"])  # more urgent than the chime
    assert not sound.play(K.CODE_1, ["inc-2"])
    assert sound.play(K.CODE_0, ["inc-3"])
    assert not sound.play(K.CODE_0, ["inc-4"])
    clock.t += MIN_INTERVAL_S
    assert sound.play(K.DUTY_ORDER, ["order-3"])  # the burst is over
    assert [k for k, _v in backend.plays] == [K.DUTY_ORDER, K.CODE_1, K.CODE_0, K.DUTY_ORDER]


def test_an_alert_naming_one_new_key_among_old_ones_sounds(player, backend) -> None:
    clock = Clock()
    sound = AlertSound(clock=clock)
    sound.play(K.CODE_1, ["a", "b"])
    clock.t += 60
    assert sound.play(K.CODE_1, ["b", "c"])
    assert not sound.play(K.CODE_1, ["a", "c"])


def test_played_signal_says_how_it_sounded(qtbot, player) -> None:
    sound = AlertSound(clock=Clock())
    with qtbot.waitSignal(sound.played) as sig:
        sound.play(K.CODE_0, ["x"])
    assert sig.args == [WAV]


def test_the_volume_setting_reaches_the_sound(player, backend) -> None:
    player.set_volume(0.5)
    AlertSound(clock=Clock()).play(K.CODE_1, ["x"])
    assert backend.plays == [(K.CODE_1, 0.5)]


# -- mute -----------------------------------------------------------------------------------------
def test_mute_silences_alerts_and_they_do_not_sound_later(qtbot, player, backend) -> None:
    beeps = Beeps()
    player._beep = beeps
    clock = Clock()
    sound = AlertSound(clock=clock)
    player.set_muted(True)
    with qtbot.waitSignal(sound.played) as sig:
        assert sound.play(K.CODE_0, ["inc-1"]) is False
    assert sig.args == [MUTED]
    assert backend.plays == [] and beeps.count == 0
    player.set_muted(False)
    clock.t += 60
    assert sound.play(K.CODE_0, ["inc-1"]) is False  # muted then, not replayed now
    assert sound.play(K.CODE_0, ["inc-2"]) is True


def test_test_sound_plays_even_when_muted(player, backend) -> None:
    player.set_muted(True)
    assert player.test(K.CODE_0) == WAV
    assert backend.plays == [(K.CODE_0, 1.0)]


# -- fallback -------------------------------------------------------------------------------------
@pytest.mark.parametrize("error", [SoundUnavailable("QtMultimedia cannot load (libpulse.so.0)"),
                                   RuntimeError("plugin crashed"), ImportError("no module")])
def test_a_backend_that_cannot_start_falls_back_to_the_beep(qapp, caplog, error) -> None:
    def broken(_parent: QObject) -> FakeBackend:
        raise error

    beeps = Beeps()
    p = AlertPlayer(backend=broken, beep=beeps)
    sound = AlertSound(player=p, clock=Clock())
    with caplog.at_level(logging.WARNING, logger="console.ui.alerts"):
        assert sound.play(K.CODE_0, ["a"]) is True
        sound.play(K.CODE_0, ["b"])  # within the burst: not sounded
        p.test(K.CODE_1)
    assert beeps.count == 2
    assert p.status() == "no_sound_system" and p.describe() == BEEP
    notes = [r for r in caplog.records if r.name == "console.ui.alerts"]
    assert len(notes) == 1 and "system beep" in notes[0].getMessage()  # noted once


def test_no_audio_output_beeps_and_says_so_once(qapp, caplog) -> None:
    beeps = Beeps()
    p = make_player(FakeBackend(reason="no audio output device"), beeps)
    clock = Clock()
    sound = AlertSound(player=p, clock=clock)
    with caplog.at_level(logging.WARNING, logger="console.ui.alerts"):
        for i in range(3):
            clock.t += 60
            sound.play(K.CODE_1, [str(i)])
    assert beeps.count == 3
    assert p.status() == "no_device"
    messages = [r.getMessage() for r in caplog.records if r.name == "console.ui.alerts"]
    assert messages == ["Alert sounds: no audio output device; alerts sound as the system beep."]


def test_a_sound_that_fails_while_playing_beeps_and_does_not_raise(qapp) -> None:
    beeps = Beeps()
    p = make_player(FakeBackend(fail=True), beeps)
    assert AlertSound(player=p, clock=Clock()).play(K.CODE_0, ["a"]) is True
    assert beeps.count == 1


def test_a_failing_beep_does_not_raise_either(qapp) -> None:
    def no_beep() -> None:
        raise RuntimeError("no bell")

    p = AlertPlayer(backend=lambda _parent: FakeBackend(reason="no audio output device"), beep=no_beep)
    assert p.sound(K.CODE_0) == BEEP


def test_sounds_load_after_start_up_not_while_the_window_is_built(qtbot) -> None:
    made: list[QObject] = []

    def factory(parent: QObject) -> FakeBackend:
        made.append(parent)
        return FakeBackend()

    p = AlertPlayer(backend=factory, beep=Beeps())
    assert made == [] and not p.loaded
    qtbot.waitUntil(lambda: p.loaded, timeout=5000)
    assert made == [p]


def test_the_real_sound_system_never_raises_and_says_at_most_one_line(qapp, caplog) -> None:
    """Whatever this machine has (CI: no audio device, offscreen): a sound or the beep, and the
    multimedia start-up chatter kept out of the warnings."""
    beeps = Beeps()
    p = AlertPlayer(beep=beeps)
    with caplog.at_level(logging.DEBUG):
        outcome = p.sound(K.CODE_0)
    assert outcome in (WAV, BEEP)
    assert (outcome == BEEP) == (beeps.count == 1) == (p.status() != "ok")
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) <= 1
    assert all(w.startswith("Alert sounds: ") for w in warnings)


# -- the menu, and the setting per user -----------------------------------------------------------
def test_mute_and_volume_survive_a_restart_per_user(qapp, settings, tmp_path) -> None:
    first = make_player()
    menu = AlertSoundMenu(settings, "kim", player=first)
    assert not menu.mute_action.isChecked()
    menu.mute_action.trigger()
    menu.volume_actions[0.5].trigger()
    assert first.muted and first.volume == 0.5
    del menu

    # a restart: new settings object on the same file, a new player
    reopened = QSettings(str(tmp_path / "console.ini"), QSettings.Format.IniFormat)
    backend = FakeBackend()
    again = make_player(backend)
    menu = AlertSoundMenu(reopened, "kim", player=again)
    assert again.muted and again.volume == 0.5
    assert menu.mute_action.isChecked() and menu.volume_actions[0.5].isChecked()
    assert AlertSound(player=again, clock=Clock()).play(K.CODE_0, ["a"]) is False
    assert backend.plays == []
    menu.mute_action.trigger()
    assert AlertSound(player=again, clock=Clock()).play(K.CODE_0, ["a"]) is True
    assert backend.plays == [(K.CODE_0, 0.5)]

    other = make_player()
    AlertSoundMenu(reopened, "lee", player=other)  # another user on this workstation
    assert not other.muted and other.volume == 1.0


def test_menu_shows_mute_in_its_title_and_what_alerts_sound_through(qapp, settings) -> None:
    p = make_player(FakeBackend(reason="no audio output device"))
    menu = AlertSoundMenu(settings, "kim", player=p)
    menu.aboutToShow.emit()
    assert "system beep" in menu.status_action.text() and not menu.status_action.isEnabled()
    assert "muted" not in menu.title()
    p.set_muted(True)
    assert "muted" in menu.title() and menu.mute_action.isChecked()
    ok = AlertSoundMenu(settings, "lee", player=make_player())
    ok.aboutToShow.emit()
    assert ok.status_action.text() == "Alerts play their own sounds"


def test_menu_test_sound_plays_the_code_0_sound(qapp, settings) -> None:
    backend = FakeBackend()
    menu = AlertSoundMenu(settings, "kim", player=make_player(backend))
    menu.test_action.trigger()
    assert backend.plays == [(K.CODE_0, 1.0)]


def test_menu_speaks_korean(qtbot, settings) -> None:
    languages = LanguageSwitcher()
    menu = AlertSoundMenu(settings, "kim", player=make_player())
    try:
        languages.set_language("ko")  # the language change reaches widgets as a posted event
        qtbot.waitUntil(lambda: menu.mute_action.text() == "경보음 끄기(&M)")
        assert menu.title() == "경보음(&S)"
        assert menu.volume_actions[0.5].text() == "음량 50%"
    finally:
        languages.set_language("en")
    qtbot.waitUntil(lambda: menu.mute_action.text() == "&Mute alert sounds")
