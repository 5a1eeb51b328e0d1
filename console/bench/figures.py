"""One measured figure and how it is printed."""

from __future__ import annotations

from dataclasses import dataclass


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
        ratio = f"{self.ratio:.2f}" if self.ratio is not None else "n/a"
        verdict = "met" if self.met else "NOT met"
        return (
            f"{self.name}: {self.value:.3f} {self.unit}; ratio {ratio} vs {self.baseline}; "
            f"target {self.target}: {verdict}"
        )
