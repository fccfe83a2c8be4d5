"""The public page of a plan: no login, only when the plan opted in, only approved content.

Built from the latest approved snapshots alone — never from today's data — so drafts never show. It
takes only what is meant for the public: the indsatsområde, LBF's overordnede mål, and per activity
its name, formål and målgruppe. No parties, contact persons, staff, budget or approval details.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404

from agreements.models import HousingArea, Plan
from helhedsplan.approvals.selectors import current_subagreements

PUBLIC_ACTIVITY_FIELDS = ("purpose", "target_group")


@dataclass
class PublicActivity:
    name: str
    purpose: str
    target_group: str


@dataclass
class PublicFocusArea:
    name: str
    goal: str
    activities: list[PublicActivity] = field(default_factory=list)


def get_public_plan(slug: str) -> Plan:
    plan = Plan.objects.select_related("pulje", "municipality").filter(slug=slug, public_page_enabled=True).first()
    if plan is None:
        raise Http404("Siden findes ikke.")
    return plan


def public_plan_content(plan: Plan) -> dict:
    areas: list[PublicFocusArea] = []
    for approval in current_subagreements(plan):
        area = PublicFocusArea(name=approval.focus_area.name, goal=approval.focus_area.lbf_goal)
        for group in approval.data.get("collections", []):
            if group.get("name") != "activities":
                continue
            for item in group["items"]:
                values = {entry["name"]: entry["value"] for entry in item["fields"]}
                area.activities.append(PublicActivity(name=values.get("name") or item["label"],
                                                      purpose=values.get("purpose") or "",
                                                      target_group=values.get("target_group") or ""))
        areas.append(area)
    return {
        "plan": plan,
        "focus_areas": areas,
        "housing_areas": list(HousingArea.objects.filter(plan=plan).values_list("name", flat=True)),
    }
