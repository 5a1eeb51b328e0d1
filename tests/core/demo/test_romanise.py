"""English names of the demo: Revised Romanization with the sound changes place names need."""

from __future__ import annotations

import pytest

from console.demo.romanise import romanise, title_case


@pytest.mark.parametrize(("korean", "latin"), [
    ("종로", "Jongno"),  # ㅇ + ㄹ -> ng n
    ("신라", "Silla"),  # ㄴ + ㄹ -> l l
    ("왕십리", "Wangsimni"),  # ㅂ + ㄹ -> m n
    ("해운대", "Haeundae"),
    ("종암", "Jongam"),  # a final ㅇ is never carried over
    ("강릉", "Gangneung"),
    ("부산", "Busan"),
])
def test_place_names(korean: str, latin: str) -> None:
    assert title_case(korean) == latin


def test_non_hangul_passes_through() -> None:
    assert romanise("S11110 종로") == "S11110 jongno"
