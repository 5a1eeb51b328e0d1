"""Simple Revised Romanization of Korean place names, for the English names of the demo.

Syllable by syllable with the few sound changes that place names need most (ㄴ/ㄹ
assimilation, a final consonant carried onto a following vowel); not a full implementation.
"""

from __future__ import annotations

_INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t",
             "p", "h"]
_MEDIALS = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo",
            "we", "wi", "yu", "eu", "ui", "i"]
# Finals as pronounced at the end of a syllable (index 0 = none).
_FINALS = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
           "t", "t", "ng", "t", "t", "k", "t", "p", "t"]
# Finals carried onto a following vowel (a syllable starting with ㅇ).
_FINALS_LINKED = ["", "g", "kk", "ks", "n", "nj", "nh", "d", "r", "lg", "lm", "lb", "ls", "lt", "lp",
                  "lh", "m", "b", "ps", "s", "ss", "ng", "j", "ch", "k", "t", "p", "h"]
_IEUNG_INITIAL = 11
_RIEUL_INITIAL = 5
_NIEUN_INITIAL = 2


def _decompose(ch: str) -> tuple[int, int, int] | None:
    code = ord(ch) - 0xAC00
    if not 0 <= code < 11172:
        return None
    return code // 588, (code % 588) // 28, code % 28


def romanise(text: str) -> str:
    """Korean text in Latin letters: '종로' -> 'jongno' (non-Hangul characters pass through)."""
    out: list[str] = []
    chars = list(text)
    for i, ch in enumerate(chars):
        parts = _decompose(ch)
        if parts is None:
            out.append(ch)
            continue
        initial, medial, final = parts
        nxt = _decompose(chars[i + 1]) if i + 1 < len(chars) else None
        prev = _decompose(chars[i - 1]) if i > 0 else None
        onset = _INITIALS[initial]
        if prev is not None:
            pfinal = _FINALS[prev[2]]
            if initial == _IEUNG_INITIAL and _FINALS_LINKED[prev[2]] and prev[2] != 21:
                onset = ""  # the previous final was carried over as this onset
            elif initial == _RIEUL_INITIAL and pfinal == "l":
                onset = "l"
            elif initial == _RIEUL_INITIAL and pfinal in ("k", "m", "p", "ng", "n", "t"):
                onset = "l" if pfinal == "n" else "n"
        coda = _FINALS[final]
        if nxt is not None:
            if nxt[0] == _IEUNG_INITIAL and final:
                coda = _FINALS_LINKED[final]
            elif nxt[0] == _RIEUL_INITIAL and coda == "n":
                coda = "l"
            elif nxt[0] in (_NIEUN_INITIAL, 6, _RIEUL_INITIAL) and coda in ("k", "p", "t"):
                coda = {"k": "ng", "p": "m", "t": "n"}[coda]
        out.append(onset + _MEDIALS[medial] + coda)
    return "".join(out)


def title_case(text: str) -> str:
    """Romanise and capitalise the first letter: '해운대' -> 'Haeundae'."""
    roman = romanise(text)
    return roman[:1].upper() + roman[1:]
