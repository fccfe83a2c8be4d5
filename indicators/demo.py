"""Reference data (LBF's faste mål and indikatorer) and the demo plans' goals, delmål and indicators.

Called by ``manage.py load_demo`` (see ``agreements/demo.py``): ``load_reference()`` once, then
``load_plan(plan, data)`` for each newly created demo plan with its ``fixtures/demo/<slug>.json``.
Follow-up values for the demo plans come from ``fixtures/indicators_demo_values.json``; they are
invented (source "Demodata") to show the follow-up pages and charts, not taken from the seeds.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from agreements.demo import upsert
from agreements.models import Activity, FocusArea, Plan, Pulje, SubAgreement

from . import services
from .models import Indicator, StandardGoal, StandardIndicator
from .resources import normalise_text

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
REFERENCE_FILE = FIXTURES / "indicators_reference.json"
DEMO_VALUES_FILE = FIXTURES / "indicators_demo_values.json"
DEMO_NOTE = "Demodata – opfundet værdi til afprøvning, ikke fra helhedsplanen."


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


@transaction.atomic
def load_reference() -> None:
    """LBF's fixed overordnede mål and faste indikatorer (upserted; idempotent)."""
    for pulje_data in _read(REFERENCE_FILE)["puljer"]:
        pulje = Pulje.objects.filter(code=pulje_data["pulje"]).first()
        if pulje is None:
            continue
        areas = {area.name: area for area in FocusArea.objects.filter(pulje=pulje)}
        for goal_data in pulje_data["goals"]:
            goal = upsert(StandardGoal, {"focus_area": areas[goal_data["focus_area"]]}, {"text": goal_data["text"]})
            for order, item in enumerate(goal_data["indicators"], start=1):
                upsert(StandardIndicator, {"goal": goal, "order": order},
                       {"text": item["text"], "unit": item["unit"], "lower_is_better": item["lower_is_better"],
                        "data_source": item["data_source"]})


def _indicator_fields(item: dict, activities: dict[str, Activity]) -> dict[str, Any]:
    activity = activities.get(item["activity"]) if item.get("activity") else None
    return {
        "kind": item.get("kind") or Indicator.Kind.LOCAL,
        "unit": item.get("unit") or "andet",
        "target": item.get("target") or "",
        "target_value": _decimal(item.get("target_value")),
        "monitoring": bool(item.get("monitoring")),
        "lower_is_better": bool(item.get("lower_is_better")),
        "baseline_area": item.get("baseline_area") or "",
        "baseline_area_value": _decimal(item.get("baseline_area_value")),
        "baseline_other_label": item.get("baseline_other_label") or "",
        "baseline_other": item.get("baseline_other") or "",
        "baseline_other_value": _decimal(item.get("baseline_other_value")),
        "baseline_year": str(item.get("baseline_year") or ""),
        "data_source": item.get("data_source") or "",
        "activity": activity,
    }


def _standard_for(item: dict, position: int, standard: StandardGoal | None) -> StandardIndicator | None:
    """The LBF indicator a plan's faste indikator is: by text, else by its place in the goal."""
    if standard is None or item.get("kind") != Indicator.Kind.FIXED:
        return None
    candidates = list(standard.indicators.all())
    wanted = normalise_text(item["text"])
    for candidate in candidates:
        if normalise_text(candidate.text) == wanted:
            return candidate
    return candidates[position] if position < len(candidates) else None


@transaction.atomic
def load_plan(plan: Plan, data: dict) -> None:
    """The plan's section 5 table and every delaftale's delmål with their indicators, then demo values."""
    areas = {area.name: area for area in FocusArea.objects.filter(pulje=plan.pulje)}
    standards = {goal.focus_area_id: goal for goal in
                 StandardGoal.objects.filter(focus_area__pulje=plan.pulje).prefetch_related("indicators")}
    plan_activities = {a.name: a for a in Activity.objects.filter(sub_agreement__plan=plan)}

    for order, goal_data in enumerate(data.get("goals") or [], start=1):
        area = areas[goal_data["focus_area"]]
        standard = standards.get(area.pk)
        goal = services.goal_create(plan=plan, focus_area=area, text=goal_data["text"], order=order,
                                    standard=standard)
        fixed_position = 0
        for position, item in enumerate(goal_data.get("indicators") or [], start=1):
            fields = _indicator_fields(item, plan_activities)
            fields["standard"] = _standard_for(item, fixed_position, standard)
            fixed_position += item.get("kind") == Indicator.Kind.FIXED
            services.indicator_create(goal=goal, text=item["text"], order=position, **fields)
    if not data.get("goals"):
        services.goals_create_from_reference(plan=plan)

    sub_agreements = {sa.focus_area.name: sa for sa in
                      SubAgreement.objects.filter(plan=plan).select_related("focus_area")}
    for sa_data in data.get("sub_agreements") or []:
        sub_agreement = sub_agreements.get(sa_data["focus_area"])
        if sub_agreement is None:
            continue
        activities = {a.name: a for a in sub_agreement.activities.all()}
        for order, sub_goal_data in enumerate(sa_data.get("sub_goals") or [], start=1):
            sub_goal = services.sub_goal_create(sub_agreement=sub_agreement, text=sub_goal_data["text"],
                                                order=order)
            for position, item in enumerate(sub_goal_data.get("indicators") or [], start=1):
                services.indicator_create(sub_goal=sub_goal, text=item["text"], order=position,
                                          **_indicator_fields(item, activities))
    load_demo_values(plan)


def load_demo_values(plan: Plan) -> int:
    """A few invented follow-up values for the demo plan, marked "Demodata"."""
    if not DEMO_VALUES_FILE.exists():
        return 0
    entries = _read(DEMO_VALUES_FILE).get(plan.slug, [])
    if not entries:
        return 0
    indicators: dict[tuple[str, str], Indicator] = {}
    for indicator in Indicator.objects.filter(goal__plan=plan).select_related("goal__focus_area"):
        indicators[(indicator.goal.focus_area.name, normalise_text(indicator.text))] = indicator
    for indicator in Indicator.objects.filter(sub_goal__sub_agreement__plan=plan).select_related(
            "sub_goal__sub_agreement__focus_area"):
        indicators.setdefault((indicator.sub_goal.sub_agreement.focus_area.name, normalise_text(indicator.text)),
                              indicator)
    count = 0
    for entry in entries:
        indicator = indicators.get((entry["focus_area"], normalise_text(entry["indicator"])))
        if indicator is None:  # the plan's data changed; tests/indicators/test_demo.py reports it
            continue
        for year, value in entry["values"].items():
            services.indicator_value_set(indicator=indicator, year=int(year), value=_decimal(value),
                                         note=DEMO_NOTE, source=services.DEMO_SOURCE)
            count += 1
    return count

