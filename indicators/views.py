"""Mål, indikatorer and the annual follow-up in the browser. Thin: rules live in services/selectors."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from agreements import permissions
from agreements.models import Plan, SubAgreement
from agreements.selectors import get_plan_for_user, get_sub_agreement

from . import selectors, services
from .charts import indicator_chart_svg
from .forms import FollowUpForm, ValueFileForm
from .models import IndicatorValue


def _charts(table: dict, level: str | None = None) -> list[dict]:
    return [
        {"row": row, "svg": mark_safe(indicator_chart_svg(row["indicator"], row["values"], years=table["years"]))}  # noqa: S308 - SVG built by pygal, text escaped
        for row in table["rows"]
        if (level is None or row["level"] == level) and any(v is not None for v in row["values"].values())
    ]


@login_required
def plan_indicators(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, slug)
    table = selectors.followup_table(plan=plan)
    goal_rows = [r for r in table["rows"] if r["level"] == "goal"]
    goal_table = {"years": table["years"], "rows": goal_rows, "has_demo": any(r["has_demo"] for r in goal_rows)}
    sub_agreements = list(SubAgreement.objects.filter(plan=plan).select_related("focus_area")
                          .order_by("order", "focus_area__order"))
    return render(request, "indicators/plan_indicators.html", {
        "plan": plan,
        "goal_rows": selectors.goal_rows(plan),
        "table": goal_table,
        "charts": _charts(goal_table),
        "sub_agreements": sub_agreements,
        "can_enter": request.user.has_perm(permissions.ENTER_FOLLOWUP, plan),
    })


@login_required
def subagreement_indicators(request: HttpRequest, slug: str, area: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, slug)
    sub_agreement = get_sub_agreement(plan, area)
    table = selectors.followup_table(plan=plan, sub_agreement=sub_agreement)
    return render(request, "indicators/subagreement_indicators.html", {
        "plan": plan,
        "sub_agreement": sub_agreement,
        "subgoal_rows": selectors.subgoal_rows(sub_agreement),
        "table": table,
        "charts": _charts(table),
        "can_enter": request.user.has_perm(permissions.ENTER_FOLLOWUP, plan),
    })


def _default_year(plan: Plan) -> int:
    """This year's follow-up: the current year inside the plan, else the nearest plan year."""
    this_year = date.today().year
    years = plan.years
    return min(max(this_year, years[0]), years[-1])


def _chosen_year(request: HttpRequest, plan: Plan) -> int:
    raw = request.GET.get("aar", "")
    if raw.isdecimal() and int(raw) in plan.years:
        return int(raw)
    return _default_year(plan)


@login_required
def enter_values(request: HttpRequest, slug: str, area: str | None = None) -> HttpResponse:
    """The annual follow-up at one sitting: every indicator of the delaftale (or of the overordnede
    mål) for one year."""
    plan = get_plan_for_user(request.user, slug)
    permissions.require(request.user, permissions.ENTER_FOLLOWUP, plan)
    sub_agreement = get_sub_agreement(plan, area) if area else None
    year = _chosen_year(request, plan)
    groups = selectors.entry_indicators(plan=plan, sub_agreement=sub_agreement)
    indicators = [indicator for _, members in groups for indicator in members]
    existing = {v.indicator_id: v for v in IndicatorValue.objects.filter(indicator__in=indicators, year=year)}
    form = FollowUpForm(request.POST or None, groups=groups, year=year, existing=existing)
    if request.method == "POST" and form.is_valid():
        try:
            summary = services.indicator_values_save(year=year, entries=form.entries())
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                field = f"value_{key}" if f"value_{key}" in form.fields else None
                for error in errors:
                    form.add_error(field, error)
        else:
            messages.success(request, f"Opfølgningen for {year} er gemt: {summary.created} nye, "
                                      f"{summary.updated} ændrede og {summary.deleted} slettede værdier.")
            if sub_agreement is not None:
                target = reverse("indicators:subagreement", kwargs={"slug": plan.slug, "area": area})
            else:
                target = reverse("indicators:plan", kwargs={"slug": plan.slug})
            return redirect(target)
    return render(request, "indicators/enter_values.html", {
        "plan": plan, "sub_agreement": sub_agreement, "year": year, "years": plan.years, "form": form,
    }, status=400 if request.method == "POST" else 200)


@login_required
def import_values(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, slug)
    permissions.require(request.user, permissions.ENTER_FOLLOWUP, plan)
    form = ValueFileForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            dataset = services.read_values_file(content=upload.read(), filename=upload.name)
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            outcome = services.indicator_values_import(plan=plan, dataset=dataset)
            errors = outcome.errors
            if outcome.ok:
                messages.success(request, f"Importen er gennemført: {outcome.created} nye og "
                                          f"{outcome.updated} ændrede værdier.")
                return redirect("indicators:plan", slug=plan.slug)
    return render(request, "indicators/import_values.html", {"plan": plan, "form": form, "errors": errors},
                  status=400 if request.method == "POST" else 200)


@login_required
def export_values(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, slug)
    file_format = "csv" if request.GET.get("format") == "csv" else "xlsx"
    content = services.indicator_values_export(plan=plan, file_format=file_format)
    response = HttpResponse(content, content_type=services.EXPORT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="opfoelgning-{plan.slug}.{file_format}"'
    return response
