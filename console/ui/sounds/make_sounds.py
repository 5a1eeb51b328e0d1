"""Makes the console's alert sounds (code 0, code 1, unacknowledged duty order) as small WAVs.

    .venv/bin/python console/ui/sounds/make_sounds.py     (rewrites the .wav files beside it)

The sounds are built to be told apart by ear in a noisy room, not only by pitch: code 0 is a
fast, bright two-tone warble repeated twice; code 1 two steady beeps; a duty order a falling
three-note chime. Energy sits around 1-3 kHz, above most of the room's speech, and the odd
harmonics make the tones cut through. alert.wav (the older single alert) is not made here.
"""

from __future__ import annotations

import sys
import wave
from pathlib import Path

import numpy as np

RATE = 22050  # Hz; the highest harmonic used (about 7 kHz) stays below half of it
PEAK = 0.89  # -1 dBFS; the console's volume setting scales it down
HERE = Path(__file__).resolve().parent


def _tone(freq: float, seconds: float, harmonics: tuple[tuple[float, float], ...] = ((1.0, 1.0),),
          decay: float = 0.0) -> np.ndarray:
    """A tone of `freq` with (multiple, amplitude) partials, 5 ms raised-cosine ends, and an
    optional exponential decay (per second) for a struck-bell sound."""
    t = np.arange(int(RATE * seconds)) / RATE
    wave_ = sum(a * np.sin(2 * np.pi * freq * m * t) for m, a in harmonics)
    out = np.asarray(wave_, dtype=np.float64)
    if decay:
        out *= np.exp(-decay * t)
    ramp = min(int(RATE * 0.005), len(out) // 2)
    edge = 0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, ramp))
    out[:ramp] *= edge
    out[len(out) - ramp:] *= edge[::-1]
    return out


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(int(RATE * seconds))


BRIGHT = ((1.0, 1.0), (3.0, 0.33), (5.0, 0.2))  # square-ish: odd harmonics
PLAIN = ((1.0, 1.0), (2.0, 0.25))
BELL = ((1.0, 1.0), (2.76, 0.35), (5.4, 0.12))  # inharmonic partials of a small bell


def code_0() -> np.ndarray:
    """Violent crime in progress: a hi-lo warble, four tones, twice."""
    warble = [part for f in (1400.0, 1000.0, 1400.0, 1000.0)
              for part in (_tone(f, 0.11, BRIGHT), _silence(0.02))]
    burst = np.concatenate(warble)
    return np.concatenate([burst, _silence(0.08), burst])


def code_1() -> np.ndarray:
    """Imminent danger: two steady beeps."""
    beep = _tone(1100.0, 0.18, PLAIN)
    return np.concatenate([beep, _silence(0.09), beep])


def duty_order() -> np.ndarray:
    """An order to acknowledge: a falling three-note chime (E6, C6, G5), each ringing out."""
    notes = [_tone(f, 0.45, BELL, decay=6.0) for f in (1318.5, 1046.5, 784.0)]
    step = int(RATE * 0.22)
    out = np.zeros(step * (len(notes) - 1) + len(notes[-1]))
    for i, note in enumerate(notes):
        out[i * step:i * step + len(note)] += note
    return out


SOUNDS = {"code0.wav": code_0, "code1.wav": code_1, "duty_order.wav": duty_order}


def pcm(samples: np.ndarray) -> bytes:
    """Normalised to PEAK, as 16-bit little-endian PCM."""
    scaled = samples / max(float(np.max(np.abs(samples))), 1e-9) * PEAK
    return np.round(scaled * 32767).astype("<i2").tobytes()


def write(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm(samples))


def main() -> int:
    for name, make in SOUNDS.items():
        write(HERE / name, make())
        print(f"wrote {HERE / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
