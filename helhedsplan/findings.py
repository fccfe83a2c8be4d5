"""One list of findings for a plan, gathered from every app that registered its checks.

An app registers in its ``AppConfig.ready()``:

- ``findings(plan) -> list[Finding]`` — rule checks, and
- ``summary(plan) -> list[str]`` — a few key figures printed by ``check_plan`` (optional).

The web UI, ``manage.py check_plan`` and the approval/export guards all call ``plan_findings``. This
module imports no app: apps hand it their checks, so it sits below all of them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Model

Plan = Model  # a helhedsplan (``agreements.models.Plan``); this module imports no app


ERROR: Literal["error"] = "error"
WARNING: Literal["warning"] = "warning"
SEVERITY_LABELS = {ERROR: "Fejl", WARNING: "Advarsel"}


@dataclass(frozen=True)
class Finding:
    """A rule that does not hold, pointing at the object (and field) to fix."""

    severity: Literal["error", "warning"]
    message: str
    obj: Any = None
    field: str = ""
    code: str = ""
    extra: dict = dataclasses.field(default_factory=dict, compare=False, hash=False)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def object_label(self) -> str:
        if self.obj is None:
            return ""
        verbose = getattr(getattr(self.obj, "_meta", None), "verbose_name", "")
        return f"{str(verbose).capitalize()}: {self.obj}" if verbose else str(self.obj)

    def __str__(self) -> str:
        where = f" [{self.object_label}{'.' + self.field if self.field else ''}]" if self.obj is not None else ""
        return f"{self.severity_label}: {self.message}{where}"


@dataclass(frozen=True)
class _Checks:
    findings: Callable[[Plan], list[Finding]]
    summary: Callable[[Plan], list[str]] | None


_registry: list[_Checks] = []


def register(*, findings: Callable[[Plan], list[Finding]], summary: Callable[[Plan], list[str]] | None = None) -> None:
    """Add an app's plan checks (call once, from ``AppConfig.ready``); apps run in registration order."""
    checks = _Checks(findings=findings, summary=summary)
    if checks not in _registry:
        _registry.append(checks)


def plan_findings(plan: Plan) -> list[Finding]:
    """Every finding for the plan, errors first, in the apps' order."""
    findings: list[Finding] = []
    for checks in _registry:
        findings.extend(checks.findings(plan))
    return sorted(findings, key=lambda f: 0 if f.is_error else 1)


def plan_summary(plan: Plan) -> list[str]:
    lines: list[str] = []
    for checks in _registry:
        if checks.summary is not None:
            lines.extend(checks.summary(plan))
    return lines


def has_errors(findings: list[Finding]) -> bool:
    return any(f.is_error for f in findings)
