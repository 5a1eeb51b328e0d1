"""The shipped alert sounds: short PCM WAVs that QSoundEffect plays, told apart by ear, made by
console/ui/sounds/make_sounds.py and shipped as package data."""

from __future__ import annotations

import fnmatch
import importlib.util
import tomllib
import wave
from pathlib import Path

import numpy as np
import pytest

from console.ui.alerts import SOUND_FILES, SOUNDS_DIR, AlertKind

ROOT = Path(__file__).resolve().parents[2]
K = AlertKind


def samples(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getcomptype()) == (1, 2, "NONE")
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(float) / 32768, w.getframerate()


def make_sounds():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_sounds", SOUNDS_DIR / "make_sounds.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("kind", list(AlertKind))
def test_each_sound_is_a_short_loud_pcm_wav(kind: AlertKind) -> None:
    data, rate = samples(SOUND_FILES[kind])
    assert 0.3 <= len(data) / rate <= 1.5  # long enough to notice, short enough to repeat
    assert np.max(np.abs(data)) > 0.4
    assert abs(data[0]) < 0.05 and abs(data[-1]) < 0.05  # faded ends: no click


def spectrum(kind: AlertKind) -> np.ndarray:
    """Magnitude per 50 Hz band up to 5 kHz, unit length."""
    data, rate = samples(SOUND_FILES[kind])
    magnitude = np.abs(np.fft.rfft(data))
    bands = (np.fft.rfftfreq(len(data), 1 / rate) // 50).astype(int)
    per_band = np.bincount(bands, weights=magnitude)[:100]
    return per_band / np.linalg.norm(per_band)


def test_code_0_code_1_and_duty_order_are_told_apart() -> None:
    kinds = (K.CODE_0, K.CODE_1, K.DUTY_ORDER)
    spectra = {k: spectrum(k) for k in kinds}
    for i, a in enumerate(kinds):
        for b in kinds[i + 1:]:
            assert float(spectra[a] @ spectra[b]) < 0.5, (a, b)  # different pitches
    lengths = {len(samples(SOUND_FILES[k])[0]) for k in kinds}
    assert len(lengths) == 3  # and different rhythms


def test_the_shipped_sounds_are_what_make_sounds_makes() -> None:
    module = make_sounds()
    for name, make in module.SOUNDS.items():
        expected = np.frombuffer(module.pcm(make()), dtype="<i2").astype(int)
        shipped = (samples(SOUNDS_DIR / name)[0] * 32768).astype(int)
        assert len(shipped) == len(expected)
        assert np.max(np.abs(shipped - expected)) <= 1  # one step of rounding across machines


def test_the_sounds_are_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["console"]
    for path in SOUND_FILES.values():
        relative = path.relative_to(ROOT / "console").as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative


def test_loading_the_sounds_silences_qtmultimedia_without_a_python_message_handler(
        qapp, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """QtMultimedia logs while Qt loads its plugin inside dlopen: a Python message handler there
    deadlocks with any thread that holds the GIL and wants the loader's lock (a demo console hung
    at start that way). Its narration is filtered by a logging-category rule instead."""
    from PySide6 import QtCore

    from console.ui.alerts import QtSoundBackend, SoundUnavailable

    installed: list[object] = []
    monkeypatch.setattr(QtCore, "qInstallMessageHandler", lambda handler: installed.append(handler))
    try:
        QtSoundBackend()
    except SoundUnavailable:
        pytest.skip("QtMultimedia is not installed here")
    assert installed == []
    for category in ("qt.multimedia.symbolsresolver", "qt.multimedia.ffmpeg"):
        logging_category = QtCore.QLoggingCategory(category)  # type: ignore[arg-type]  # str, at run time
        assert not logging_category.isWarningEnabled() and not logging_category.isInfoEnabled()
