"""Rule checks of goals, delmål and indicators, joined to the plan's findings.

- every delmål has at least one indicator (error);
- every indicator has a datakilde (error) and either a target or is marked monitorering (error);
- follow-up values lie in the plan's calendar years (error: they are left over after the plan
  period changed, and they will not be shown as part of the plan).
"""

from __future__ import annotations

from django.db.models import Count, Q

from agreements.models import Plan
from helhedsplan.findings import ERROR, WARNING, Finding

from .models import IndicatorValue, SubGoal
from .selectors import plan_indicators


def plan_findings(plan: Plan) -> list[Finding]:
    findings: list[Finding] = []
    sub_goals = (SubGoal.objects.filter(sub_agreement__plan=plan)
                 .select_related("sub_agreement__focus_area")
                 .annotate(indicator_count=Count("indicators"))
                 .order_by("sub_agreement__order", "order", "id"))
    for sub_goal in sub_goals:
        if not sub_goal.indicator_count:
            findings.append(Finding(
                ERROR, f"Delmålet »{sub_goal.text}« ({sub_goal.sub_agreement.focus_area}) har ingen indikator.",
                sub_goal, code="subgoal_without_indicator"))

    indicators = plan_indicators(plan).select_related(
        "goal__focus_area", "sub_goal__sub_agreement__focus_area").order_by("goal__order", "sub_goal__order",
                                                                            "order", "id")
    for indicator in indicators:
        where = indicator.focus_area.name
        if not indicator.data_source.strip():
            findings.append(Finding(ERROR, f"Indikatoren »{indicator.text}« ({where}) har ingen datakilde.",
                                    indicator, "data_source", code="indicator_without_data_source"))
        if not indicator.monitoring and not indicator.has_target:
            findings.append(Finding(
                ERROR, f"Indikatoren »{indicator.text}« ({where}) har hverken et mål eller er markeret "
                       "»Monitorering (ingen mål)«.",
                indicator, "target", code="indicator_without_target"))
        elif indicator.has_target and indicator.target_value is None and indicator.is_numeric:
            findings.append(Finding(
                WARNING, f"Målet for »{indicator.text}« ({where}) har ingen målværdi, så fremdriften kan "
                         "ikke beregnes.",
                indicator, "target_value", code="indicator_target_without_value"))

    years = plan.years
    outside = (IndicatorValue.objects
               .filter(Q(indicator__goal__plan=plan) | Q(indicator__sub_goal__sub_agreement__plan=plan))
               .exclude(year__gte=years[0], year__lte=years[-1])
               .select_related("indicator").order_by("indicator_id", "year"))
    for value in outside:
        findings.append(Finding(
            ERROR, f"Indikatoren »{value.indicator.text}« har en værdi for {value.year}, som ligger uden for "
                   f"helhedsplanens periode ({years[0]}–{years[-1]}).",
            value, "year", code="value_outside_plan"))
    return findings


def plan_summary(plan: Plan) -> list[str]:
    indicators = plan_indicators(plan)
    values = IndicatorValue.objects.filter(indicator__in=indicators)
    latest = values.order_by("-year").values_list("year", flat=True).first()
    line = f"Indikatorer: {indicators.count()}; registrerede værdier: {values.count()}"
    if latest:
        line += f" (senest {latest})"
    return [line + "."]
