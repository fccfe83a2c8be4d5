"""One list of findings for a plan, gathered from every app's ``checks`` module.

Each app may define in ``<app>/checks.py``:

- ``plan_findings(plan) -> list[Finding]`` — rule checks (DESIGN.md §3), and
- ``plan_summary(plan) -> list[str]`` — a few key figures printed by ``check_plan``.

The web UI, ``manage.py check_plan`` and the approval/export guards all call ``plan_findings``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from agreements.models import Plan

CHECK_APPS = ["agreements", "budgets", "indicators"]

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


def _check_modules() -> list:
    modules = []
    for app in CHECK_APPS:
        name = f"{app}.checks"
        try:
            modules.append(import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules


def plan_findings(plan: Plan) -> list[Finding]:
    """Every finding for the plan, errors first, in the apps' order."""
    findings: list[Finding] = []
    for module in _check_modules():
        if hasattr(module, "plan_findings"):
            findings.extend(module.plan_findings(plan))
    return sorted(findings, key=lambda f: 0 if f.is_error else 1)


def plan_summary(plan: Plan) -> list[str]:
    lines: list[str] = []
    for module in _check_modules():
        if hasattr(module, "plan_summary"):
            lines.extend(module.plan_summary(plan))
    return lines


def has_errors(findings: list[Finding]) -> bool:
    return any(f.is_error for f in findings)
