"""The budgetark in the browser: the sheet with its findings, download, upload with preview, line edits.

Thin: access through ``get_plan_for_user`` (404 for plans the user cannot see) and ``agreements.permissions``
(403 for readers); figures from ``selectors``; writes through ``services``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from agreements import permissions
from agreements.models import FocusArea, Plan
from agreements.selectors import get_plan_for_user
from agreements.services import VersionConflict
from helhedsplan.findings import ERROR, WARNING, Finding
from helhedsplan.forms import error_messages

from . import checks, services
from .calculations import FINANCING_FIELDS, Figures
from .content import CROSS_CUTTING, FOCUS_AREA, SECTION_TITLES, BudgetChanges, LineData
from .forms import (
    BudgetFootnotesForm,
    BudgetLineForm,
    BudgetUploadForm,
    budget_grid_formset_class,
    budget_line_form_class,
    footnotes_as_text,
    years_of,
)
from .models import Budget, BudgetFootnote, BudgetLine, PendingBudgetImport
from .selectors import GRID_SLUGS, budget_content, budget_sheet, get_budget
from .xlsx import BudgetFileError, Problem, write_budget_xlsx

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _editable_plan(request: HttpRequest, slug: str) -> Plan:
    plan = get_plan_for_user(request.user, slug)
    permissions.require(request.user, permissions.EDIT_PLAN, plan)
    return plan


def _finding_rows(findings: list[Finding], *, link: bool = True) -> list[dict]:
    rows = []
    for finding in findings:
        anchor = f"linje-{finding.obj.pk}" if link and isinstance(finding.obj, BudgetLine) and finding.obj.pk else ""
        rows.append({"finding": finding, "anchor": anchor})
    return rows


def _decorate(sheet: dict, findings: list[Finding]) -> None:
    """Mark the sheet's lines that have findings (worst severity), for the page only."""
    severity: dict[int, str] = {}
    for finding in findings:
        if isinstance(finding.obj, BudgetLine):
            if severity.get(finding.obj.pk) != ERROR:
                severity[finding.obj.pk] = finding.severity
    for section in sheet["sections"]:
        for item in section["lines"]:
            item["severity"] = severity.get(item["pk"], "")


def sheet_context(request: HttpRequest, plan: Plan, **extra) -> dict:
    """What the budget page shows (the workspace adds the bestyrelse workflow)."""
    sheet = budget_sheet(plan)
    findings = checks.plan_findings(plan)
    if sheet is not None:
        _decorate(sheet, findings)
    return {
        "plan": plan,
        "sheet": sheet,
        "findings": _finding_rows(findings),
        "error_count": sum(f.is_error for f in findings),
        "warning_count": sum(f.severity == WARNING for f in findings),
        "can_edit": request.user.has_perm(permissions.EDIT_PLAN, plan),
        "upload_form": BudgetUploadForm(),
        **extra,
    }


@login_required
def download(request: HttpRequest, slug: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, slug)
    data = write_budget_xlsx(budget_sheet(plan, empty_if_missing=True))
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="budgetark-{plan.slug}.xlsx"'
    return response


@login_required
@require_POST
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _editable_plan(request, slug)
    form = BudgetUploadForm(request.POST, request.FILES)
    problems: list[Problem] = []
    if form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            pending = services.budget_upload_stage(plan=plan, user=request.user, data=upload_file.read(),
                                                   file_name=upload_file.name)
        except BudgetFileError as exc:
            problems = exc.problems
        else:
            return redirect("budgets:preview", slug=plan.slug, pk=pending.pk)
    context = sheet_context(request, plan, upload_form=form, upload_problems=problems)
    return render(request, "budgets/budget_sheet.html", context, status=400)


def _fingerprint(plan: Plan) -> str:
    return hashlib.sha256(repr(budget_content(plan)).encode()).hexdigest()


def _line_rows(lines: list[LineData], areas: dict[int, str], years: list[int]) -> list[dict]:
    return [{"line": line, "section": areas.get(line.focus_area_id, "") if line.section == FOCUS_AREA
             else SECTION_TITLES.get(line.section, ""), "amounts": line.figures.amounts_for(years),
             "total": line.figures.total} for line in lines]


@login_required
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, slug: str, pk) -> HttpResponse:
    plan = _editable_plan(request, slug)
    pending = get_object_or_404(PendingBudgetImport, pk=pk, plan=plan, user=request.user)
    if request.method == "POST":
        if "cancel" in request.POST:
            services.budget_upload_cancel(pending=pending)
            messages.info(request, "Indlæsningen er annulleret; budgettet er uændret.")
            return redirect("budgets:sheet", slug=plan.slug)
        if request.POST.get("fingerprint") != _fingerprint(plan):
            messages.warning(request, "Budgettet er ændret, siden ændringerne blev vist. Se dem igen, før du gemmer.")
            return redirect("budgets:preview", slug=plan.slug, pk=pending.pk)
        try:
            outcome = services.budget_upload_confirm(pending=pending, user=request.user)
        except BudgetFileError as exc:
            return render(request, "budgets/import_preview.html",
                          {"plan": plan, "pending": pending, "problems": exc.problems}, status=400)
        messages.success(request, f"Budgetarket »{pending.file_name}« er indlæst. {outcome.changes.summary}")
        return redirect("budgets:sheet", slug=plan.slug)

    try:
        data = services.budget_upload_data(pending=pending)
        outcome = services.budget_import_file(plan=plan, data=data, file_name=pending.file_name, dry_run=True)
    except BudgetFileError as exc:
        return render(request, "budgets/import_preview.html",
                      {"plan": plan, "pending": pending, "problems": exc.problems}, status=400)
    changes: BudgetChanges = outcome.changes
    areas = dict(FocusArea.objects.filter(pulje_id=plan.pulje_id).values_list("pk", "name"))
    years = plan.years
    findings = services.budget_upload_findings(pending=pending, data=data)
    return render(request, "budgets/import_preview.html", {
        "plan": plan,
        "pending": pending,
        "changes": changes,
        "notices": outcome.read.notices,
        "years": years,
        "added": _line_rows(changes.added, areas, years),
        "removed": _line_rows(changes.removed, areas, years),
        "changed": [{"old": row_old, "new": row_new, "fields": fields} for (row_old, row_new), fields in zip(
            zip(_line_rows([c[0] for c in changes.changed], areas, years),
                _line_rows([c[1] for c in changes.changed], areas, years), strict=True),
            [c[2] for c in changes.changed], strict=True)],
        "findings": _finding_rows(findings, link=False),  # the lines are not saved yet
        "error_count": sum(f.is_error for f in findings),
        "fingerprint": _fingerprint(plan),
        "has_budget": get_budget(plan) is not None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    plan = _editable_plan(request, slug)
    if pk is None:
        budget = get_budget(plan)
        line = BudgetLine(budget=budget, order=services.next_line_order(budget=budget) if budget else 1)
    else:
        line = get_object_or_404(BudgetLine.objects.select_related("budget", "focus_area"), pk=pk, budget__plan=plan)
    form_class: type[BudgetLineForm] = budget_line_form_class(plan, years=years_of(line))
    form = form_class(request.POST or None, instance=line)
    version = _opened_version(request, line.budget if line.budget_id else None)
    if request.method == "POST":
        with transaction.atomic():
            if line.budget_id is None:
                line.budget = services.budget_get_or_create(plan=plan)
                form.instance.budget = line.budget
            if form.is_valid():
                try:
                    saved = services.budget_line_save(line=form.save(commit=False), user=request.user,
                                                      expected_version=version)
                except VersionConflict as exc:
                    form.add_error(None, _conflict_message(exc))
                    version = exc.current or version
                else:
                    form.save_m2m()
                    messages.success(request, f"Udgiftsposten »{saved.name}« er gemt.")
                    return redirect(reverse("budgets:sheet", args=[plan.slug]) + f"#linje-{saved.pk}")
            transaction.set_rollback(True)
    return render(request, "budgets/line_form.html", {"plan": plan, "form": form, "line": line,
                                                      "budget_version": version})


def _opened_version(request: HttpRequest, budget: Budget | None) -> int:
    """The budget version a form was opened with: sent back with the form, or the current one."""
    posted = request.POST.get("budget_version", "") if request.method == "POST" else ""
    if posted.isdecimal():
        return int(posted)
    return budget.version if budget is not None else 1


def _conflict_message(exc: VersionConflict) -> str:
    return (f"{exc} Se budgetarket i en anden fane; gemmer du igen, overskriver du den andens ændringer "
            "med det, der står her.")


@login_required
@require_http_methods(["GET", "POST"])
def line_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    plan = _editable_plan(request, slug)
    line = get_object_or_404(BudgetLine, pk=pk, budget__plan=plan)
    if request.method == "POST":
        try:
            services.budget_line_delete(line=line, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Udgiftsposten »{line.name}« er slettet.")
        return redirect("budgets:sheet", slug=plan.slug)
    return render(request, "budgets/line_confirm_delete.html", {"plan": plan, "line": line})


@login_required
@require_http_methods(["GET", "POST"])
def footnotes(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _editable_plan(request, slug)
    current = budget_content(plan).footnotes
    form = BudgetFootnotesForm(request.POST or None, initial={"text": footnotes_as_text(current)})
    version = _opened_version(request, get_budget(plan))
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_footnotes_replace(plan=plan, footnotes=form.cleaned_data["text"], user=request.user,
                                              expected_version=version)
        except VersionConflict as exc:
            form.add_error(None, _conflict_message(exc))
            version = exc.current or version
        else:
            messages.success(request, "Fodnoterne er gemt.")
            return redirect("budgets:sheet", slug=plan.slug)
    return render(request, "budgets/footnotes.html", {"plan": plan, "form": form, "budget_version": version})


# --- The section grid ------------------------------------------------------------------------------------

def _grid_section(plan: Plan, slug: str) -> tuple[str, FocusArea | None, str]:
    """The section a grid URL names: (section, indsatsområde or None, heading)."""
    for kind, section_slug in GRID_SLUGS.items():
        if slug == section_slug:
            return kind, None, SECTION_TITLES[kind]
    area = get_object_or_404(FocusArea, pulje_id=plan.pulje_id, slug=slug)
    return FOCUS_AREA, area, f"{area.order}. {area.name}"


def _loaded_at(request: HttpRequest) -> datetime | None:
    text = request.POST.get("loaded_at", "")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _changes_since(budget: Budget, since: datetime | None) -> list[dict]:
    """Who changed which line or footnote after the editor was opened (for the conflict message)."""
    actions = {"+": "tilføjede", "~": "ændrede", "-": "slettede"}
    changes = []
    for model, label in ((BudgetLine, "udgiftsposten"), (BudgetFootnote, "fodnote")):
        entries = model.history.filter(budget_id=budget.pk).select_related("history_user")
        if since is not None:
            entries = entries.filter(history_date__gt=since)
        for entry in entries.order_by("-history_date")[:20]:
            user = entry.history_user
            name = entry.name if model is BudgetLine else entry.number
            changes.append({"who": (user.get_full_name() or user.get_username()) if user else "Nogen",
                            "action": actions.get(entry.history_type, "ændrede"),
                            "object_label": f"{label} »{name}«", "field_names": "", "when": entry.history_date})
    return sorted(changes, key=lambda change: change["when"], reverse=True)[:20]


def _other_sections(plan: Plan, section: str, focus_area: FocusArea | None) -> Figures:
    """The figures of every line outside the grid's section (the rest of the budget's totals)."""
    area_id = focus_area.pk if focus_area else None
    return Figures.sum(line.figures for line in budget_content(plan).lines
                       if not (line.section == section and line.focus_area_id == area_id))


@login_required
@require_http_methods(["GET", "POST"])
def section_grid(request: HttpRequest, slug: str, section: str) -> HttpResponse:
    """The lines of one section in a grid: sums, balance, total and medfinansiering % update as the user
    types (``budgets/grid.js``); one "Gem" saves the section, refused if the budget changed meanwhile."""
    plan = _editable_plan(request, slug)
    kind, area, title = _grid_section(plan, section)
    budget = get_budget(plan)
    lines = (BudgetLine.objects.filter(budget=budget, section=kind, focus_area=area)
             .select_related("expense_type", "focus_area", "budget__plan").order_by("order", "id")
             if budget is not None else BudgetLine.objects.none())
    years = sorted(set(plan.years) | {int(year) for line in lines for year in line.amounts})
    formset_class = budget_grid_formset_class(plan, section=kind, focus_area=area, years=years)
    version = budget.version if budget is not None else 1
    loaded_at = timezone.now()
    conflict = None
    if request.method == "POST":
        formset = formset_class(request.POST, queryset=lines, prefix="linjer")
        shown = request.POST.get("version", "")
        version = int(shown) if shown.isdecimal() else version
        loaded_at = _loaded_at(request) or loaded_at
        if formset.is_valid():
            overwrite = request.POST.get("overwrite_version", "")
            saved = formset.save(commit=False)
            try:
                services.budget_section_save(plan=plan, expected_version=int(overwrite) if overwrite.isdecimal()
                                             else version, saved=saved, deleted=formset.deleted_objects,
                                             user=request.user)
            except VersionConflict as exc:
                budget = get_budget(plan)
                conflict = {"message": str(exc), "current_version": exc.current,
                            "changes": _changes_since(budget, loaded_at) if budget else []}
            except ValidationError as exc:
                formset._non_form_errors = formset.error_class(error_messages(exc))
            else:
                messages.success(request, f"Afsnittet »{title}« er gemt.")
                return redirect(reverse("budgets:sheet", args=[plan.slug]) + f"#afsnit-{section}")
    else:
        formset = formset_class(queryset=lines, prefix="linjer")
    other = _other_sections(plan, kind, area)
    return render(request, "budgets/section_grid.html", {
        "plan": plan, "title": title, "section": kind, "section_slug": section, "formset": formset,
        "years": years, "version": version, "loaded_at": loaded_at.isoformat(), "conflict": conflict,
        "has_expense_type": kind == CROSS_CUTTING, "other": other, "financing_names": FINANCING_FIELDS,
        "min_percent": plan.pulje.min_cofinancing_percent,
    }, status=409 if conflict else (400 if request.method == "POST" else 200))
