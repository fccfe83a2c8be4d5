"""Writes: every change of a plan's agreements goes through these functions.

Each validates with ``full_clean()`` and runs in one transaction, so forms, admin, imports and
``load_demo`` share one set of rules.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import Activity, Plan, PlanFocusArea, SubAgreement


def _apply(instance: Any, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)


@transaction.atomic
def plan_focus_area_add(*, plan: Plan, focus_area, problem_complex: str = "", order: int = 0) -> PlanFocusArea:
    choice = PlanFocusArea(plan=plan, focus_area=focus_area, problem_complex=problem_complex, order=order)
    choice.full_clean()
    choice.save()
    return choice


@transaction.atomic
def subagreement_create(*, plan: Plan, focus_area, start_date=None, end_date=None, **fields: Any) -> SubAgreement:
    """Create a delaftale; its period defaults to the plan's and must lie inside it."""
    sub_agreement = SubAgreement(
        plan=plan,
        focus_area=focus_area,
        start_date=start_date or plan.start_date,
        end_date=end_date or plan.end_date,
    )
    _apply(sub_agreement, fields)
    sub_agreement.full_clean()
    sub_agreement.save()
    return sub_agreement


@transaction.atomic
def subagreement_update(*, sub_agreement: SubAgreement, **fields: Any) -> SubAgreement:
    _apply(sub_agreement, fields)
    sub_agreement.full_clean()
    sub_agreement.save()
    return sub_agreement


@transaction.atomic
def activity_create(*, sub_agreement: SubAgreement, name: str, housing_areas=(), responsible_organisations=(),
                    contacts=(), **fields: Any) -> Activity:
    activity = Activity(sub_agreement=sub_agreement, name=name)
    _apply(activity, fields)
    activity.full_clean()
    activity.save()
    if housing_areas:
        activity.housing_areas.set(housing_areas)
    if responsible_organisations:
        activity.responsible_organisations.set(responsible_organisations)
    if contacts:
        activity.contacts.set(contacts)
    return activity
