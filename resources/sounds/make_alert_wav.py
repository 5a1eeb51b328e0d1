"""Writes console/ui/sounds/alert.wav: a short two-tone alert (stdlib only, reproducible)."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
TONES = [(988.0, 0.14), (0.0, 0.04), (1319.0, 0.14), (0.0, 0.04), (988.0, 0.14)]
OUT = Path(__file__).resolve().parents[2] / "console" / "ui" / "sounds" / "alert.wav"


def main() -> None:
    frames = bytearray()
    for freq, seconds in TONES:
        n = int(RATE * seconds)
        for i in range(n):
            # a 5 ms fade in and out avoids clicks
            env = min(1.0, i / (RATE * 0.005), (n - i) / (RATE * 0.005))
            value = 0.45 * env * math.sin(2 * math.pi * freq * i / RATE) if freq else 0.0
            frames += struct.pack("<h", int(value * 32767))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(OUT), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(frames))
    print(f"wrote {OUT} ({len(frames)} bytes of audio)")


if __name__ == "__main__":
    main()
