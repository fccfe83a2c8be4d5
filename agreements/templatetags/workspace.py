"""Template helpers of the workspace: findings next to fields, snapshot values, optional includes."""

from __future__ import annotations

from django import template
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import get_template

from agreements.diff import display_value

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


@register.filter
def snapshot_value(entry: dict) -> str:
    return display_value(entry.get("value"), entry.get("type", "text"))


@register.simple_tag(takes_context=True)
def include_if_exists(context, template_name: str):
    """Render a template from another app when it exists (e.g. the documents' download buttons)."""
    try:
        included = get_template(template_name)
    except TemplateDoesNotExist:
        return ""
    return included.render(context.flatten(), context.get("request"))
