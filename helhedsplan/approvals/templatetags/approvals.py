"""Template helpers for approval snapshots and document states."""

from __future__ import annotations

from django import template

from ..diff import display_value

register = template.Library()


@register.filter
def snapshot_value(entry: dict) -> str:
    return display_value(entry.get("value"), entry.get("type", "text"))
