"""Template helpers for the plan's findings: each finding next to the field it points at."""

from __future__ import annotations

from django import template

register = template.Library()


def finding_key(obj, field: str = "") -> tuple:
    if obj is None:
        return (None, None, field)
    return (obj._meta.label_lower, obj.pk, field)


def index_findings(findings) -> dict:
    """``{(model, pk, field): [findings]}`` so a page can show each finding next to its field."""
    index: dict = {}
    for finding in findings:
        index.setdefault(finding_key(finding.obj, finding.field), []).append(finding)
    return index


@register.inclusion_tag("agreements/_findings.html")
def findings_for(index, obj, field=""):
    """The findings that point at ``obj`` (and ``field``; empty: the object as a whole)."""
    if not index or obj is None or getattr(obj, "pk", None) is None:
        return {"findings": []}
    return {"findings": index.get(finding_key(obj, field), [])}
