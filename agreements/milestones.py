"""The milepælsplan: milestones of a plan (services and selectors)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from .models import FocusArea, Milestone, Plan


@transaction.atomic
def milestone_save(*, plan: Plan, title: str, due_date: date, status: str = Milestone.Status.PLANNED,
                   focus_area: FocusArea | None = None, done_date: date | None = None, note: str = "",
                   milestone: Milestone | None = None) -> Milestone:
    """Create a milestone, or update ``milestone`` (which must belong to ``plan``)."""
    if milestone is None:
        milestone = Milestone(plan=plan)
    elif milestone.plan_id != plan.pk:
        raise ValueError("Milepælen hører ikke til helhedsplanen.")
    milestone.title = title.strip()
    milestone.due_date = due_date
    milestone.status = status
    milestone.focus_area = focus_area
    milestone.done_date = done_date
    milestone.note = note
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone) -> None:
    milestone.delete()


def plan_milestones(plan: Plan) -> list[Milestone]:
    return list(Milestone.objects.filter(plan=plan).select_related("focus_area").order_by("due_date", "id"))


@dataclass
class MilestoneSummary:
    """What the dashboard widget shows for one plan."""

    total: int
    done: int
    overdue: list[Milestone]
    upcoming: list[Milestone]


def milestone_summary(plan: Plan, *, today: date | None = None, upcoming: int = 3) -> MilestoneSummary:
    today = today or timezone.localdate()
    milestones = plan_milestones(plan)
    open_ones = [m for m in milestones if m.is_open]
    return MilestoneSummary(
        total=len(milestones),
        done=sum(1 for m in milestones if m.status == Milestone.Status.DONE),
        overdue=[m for m in open_ones if m.due_date < today],
        upcoming=[m for m in open_ones if m.due_date >= today][:upcoming],
    )


def milestones_by_focus_area(plan: Plan) -> list[tuple[str, list[Milestone]]]:
    """For the document page: milestones for the whole plan first, then per indsatsområde in plan order."""
    groups: dict[int | None, list[Milestone]] = {}
    for milestone in plan_milestones(plan):
        groups.setdefault(milestone.focus_area_id, []).append(milestone)
    result: list[tuple[str, list[Milestone]]] = []
    if None in groups:
        result.append(("Hele helhedsplanen", groups.pop(None)))
    for choice in plan.plan_focus_areas.select_related("focus_area").order_by("order", "focus_area__order"):
        if choice.focus_area_id in groups:
            result.append((choice.focus_area.name, groups.pop(choice.focus_area_id)))
    for milestones in groups.values():  # an indsatsområde no longer chosen
        result.append((milestones[0].focus_area.name, milestones))
    return result
