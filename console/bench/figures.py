"""One measured figure, how it is printed, and the closing count of a run."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

INFORMATIONAL = "informational"  # a figure with this target is reported, not judged
# `<figure>: <value> <unit>; ratio <r> vs <baseline>; target <t>: met|NOT met` (a figure's name
# and its baseline may hold colons and semicolons of their own: the fixed words anchor it).
LINE = re.compile(r"^(?P<figure>.+): (?P<value>-?\d+\.\d{3}) (?P<unit>\S+); "
                  r"ratio (?P<ratio>\d+\.\d{2}|n/a) vs (?P<baseline>.+); "
                  r"target (?P<target>.+): (?P<verdict>met|NOT met)$")
CLOSING = re.compile(r"^(?P<met>\d+) of (?P<targets>\d+) targets met$")


@dataclass(frozen=True)
class Figure:
    """`<name>: <value> <unit>; ratio <r> vs <baseline>; target <t>: met|NOT met`."""

    name: str
    value: float
    unit: str
    ratio: float | None
    baseline: str
    target: str
    met: bool

    def line(self) -> str:
        ratio = f"{self.ratio:.2f}" if self.ratio is not None and math.isfinite(self.ratio) else "n/a"
        verdict = "met" if self.met else "NOT met"
        return (
            f"{self.name}: {self.value:.3f} {self.unit}; ratio {ratio} vs {self.baseline}; "
            f"target {self.target}: {verdict}"
        )

    @property
    def is_target(self) -> bool:
        return self.target != INFORMATIONAL


def closing_line(figures: Sequence[Figure], crashed: int = 0) -> str:
    """`N of M targets met`: informational figures are no targets; a crashed benchmark is one
    target not met."""
    targets = [f for f in figures if f.is_target]
    return f"{sum(f.met for f in targets)} of {len(targets) + crashed} targets met"
