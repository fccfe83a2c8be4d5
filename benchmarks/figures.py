"""One benchmark figure: a ratio (or count) measured side by side, with its target and raw numbers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Figure:
    name: str
    value: float
    target: str
    ok: bool
    raw: str
    unit: str = ""

    def line(self) -> str:
        mark = "OK " if self.ok else "MISS"
        value = f"{self.value:.0f}" if abs(self.value) >= 1000 else f"{self.value:.3g}"  # 3370, not 3.37e+03
        return f"[{mark}] {self.name}: {value}{self.unit} (target {self.target}) — {self.raw}"
