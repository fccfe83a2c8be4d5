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
        return f"[{mark}] {self.name}: {self.value:.3g}{self.unit} (target {self.target}) — {self.raw}"
