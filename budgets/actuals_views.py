"""Økonomiopfølgning in the browser: the follow-up page, one year's forbrug, the file import and download.

Thin: access through ``get_plan_for_user`` (404 for plans the user cannot see) and
``agreements.permissions`` (entering forbrug is ``ENTER_FOLLOWUP``: the plan's sekretariat); figures
from ``followup``; writes through ``actuals`` and ``actuals_file``.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from agreements import permissions
from agreements.models import Plan
from agreements.selectors import get_plan_for_user

from . import followup as selectors
from .actuals import ActualsConflict, actuals_save_year, closed_year_notes
from .actuals_file import XLSX_TYPE, ActualsFileError, actuals_import_file, write_actuals_xlsx
from .actuals_forms import SHORT_LABELS, ActualsUploadForm, ActualsYearForm
from .charts import followup_charts
from .models import ACTUAL_FIELDS, Actual, ActualYear


def _year(request: HttpRequest, plan: Plan, default: int | None = None) -> int:
    raw = request.GET.get("aar", "")
    years = plan.years
    if raw.isdecimal() and int(raw) in years:
        return int(raw)
    if default is not None:
        return default
    # Last year's accounts are the ones being entered: the year before this one, inside the plan.
    return min(max(date.today().year - 1, years[0]), years[-1])


@login_required
def followup_view(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, slug)
    followup = selectors.budget_followup(plan)
    context = {"plan": plan, "followup": followup,
               "can_enter": request.user.has_perm(permissions.ENTER_FOLLOWUP, plan)}
    if followup is not None:
        year = _year(request, plan, default=followup["through_year"])
        findings = selectors.followup_findings(plan, followup=followup)
        context.update({
            "year": year,
            "year_state": followup["year_states"][selectors.year_column(followup, year)],
            "year_rows": selectors.comparison_rows(followup, year),
            "year_caption": f"Budget og forbrug {year}",
            "cumulative_caption": f"Akkumuleret {followup['years'][0]}–{followup['through_year']}",
            "cumulative_rows": selectors.comparison_rows(followup) if followup["through_year"] else [],
            "realised_rows": selectors.realised_rows(followup),
            "overview_rows": selectors.overview_rows(followup),
            "charts": [{**chart, "svg": mark_safe(chart["svg"])}  # noqa: S308 - SVG built by pygal, text escaped
                       for chart in followup_charts(followup)] if followup["line_count"] else [],
            "findings": [{"finding": finding, "anchor": ""} for finding in findings],
            "notes": closed_year_notes(plan),
        })
    return render(request, "budgets/followup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def enter_actuals(request: HttpRequest, slug: str) -> HttpResponse:
    """One year's forbrug for every line at one sitting."""
    plan = get_plan_for_user(request.user, slug)
    permissions.require(request.user, permissions.ENTER_FOLLOWUP, plan)
    followup = selectors.budget_followup(plan)
    if followup is None:
        raise Http404("Helhedsplanen har intet budget endnu.")
    year = _year(request, plan)
    groups = [(section["heading"], [item["line"] for item in section["lines"]]) for section in followup["sections"]]
    lines = [line for _, members in groups for line in members]
    existing = {actual.line_id: actual for actual in Actual.objects.filter(line__in=lines, year=year)}
    actual_year = ActualYear.objects.filter(budget=followup["budget"], year=year).first()
    form = ActualsYearForm(request.POST or None, groups=groups, year=year, existing=existing, actual_year=actual_year)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            summary = actuals_save_year(plan=plan, year=year, entries=form.entries(),
                                        expected_version=form.cleaned_data["version"],
                                        closed=form.cleaned_data["closed"], note=form.cleaned_data["note"],
                                        user=request.user)
        except ActualsConflict as exc:
            # Keep what was typed, show what is saved now, and let a new save replace the newer version
            # deliberately (the version field now names it).
            conflict = str(exc)
            existing = {actual.line_id: actual for actual in Actual.objects.filter(line__in=lines, year=year)}
            actual_year = ActualYear.objects.filter(budget=followup["budget"], year=year).first()
            data = request.POST.copy()
            data["version"] = str(actual_year.version if actual_year else 0)
            form = ActualsYearForm(data, groups=groups, year=year, existing=existing, actual_year=actual_year)
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(key if key in form.fields else None, error)
        else:
            messages.success(request, f"Forbruget for {year} er gemt: {summary.text}")
            return redirect(reverse("budgets:followup", kwargs={"slug": plan.slug}) + f"?aar={year}")
    column = selectors.year_column(followup, year)
    budgets = {item["pk"]: item["row"].years[column].budget
               for section in followup["sections"] for item in section["lines"]}
    rows = form.rows()
    for group in rows:
        for item in group["lines"]:
            item["budget"] = budgets[item["line"].pk]
            saved = existing.get(item["line"].pk)
            item["saved"] = saved.spent if saved else None
    return render(request, "budgets/actuals_form.html", {
        "plan": plan, "year": year, "years": plan.years, "form": form, "rows": rows, "conflict": conflict,
        "labels": [SHORT_LABELS[name] for name in ACTUAL_FIELDS], "closed": bool(actual_year and actual_year.closed),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def import_actuals(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, slug)
    permissions.require(request.user, permissions.ENTER_FOLLOWUP, plan)
    form = ActualsUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    checked = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        dry_run = form.cleaned_data["dry_run"]
        try:
            summary = actuals_import_file(plan=plan, data=upload.read(), file_name=upload.name,
                                          note=form.cleaned_data["note"], user=request.user, dry_run=dry_run)
        except ActualsFileError as exc:
            problems = exc.problems
        else:
            if not dry_run:
                messages.success(request, f"Forbruget fra »{upload.name}« er indlæst: {summary.text}")
                return redirect("budgets:followup", slug=plan.slug)
            checked = summary
    return render(request, "budgets/actuals_import.html", {
        "plan": plan, "form": form, "problems": problems, "checked": checked,
    }, status=400 if problems or (request.method == "POST" and not form.is_valid()) else 200)


@login_required
def download_actuals(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, slug)
    data = write_actuals_xlsx(selectors.budget_followup(plan), plan=plan)
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="forbrug-{plan.slug}.xlsx"'
    return response
