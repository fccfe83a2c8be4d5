"""What the indicators app adds when something happens in the agreements layer."""

from __future__ import annotations

from typing import Any

from agreements.models import Plan

from . import services


def add_goals_to_new_plan(sender: type[Plan], *, plan: Plan, **kwargs: Any) -> None:
    """A new plan gets LBF's overordnede mål with the faste indikatorer for its indsatsområder."""
    services.goals_create_from_reference(plan=plan)
