"""Views for the LBF-udtræk, the milepælsplan, the beredskabsplan and the public plan page.

Plan-scoped views start with ``selectors.get_plan_access`` (404 for a plan the user cannot see, 403
for an action their role does not allow). The public page needs no login but shows only plans that
opted in (404 otherwise) and only approved content (``agreements.public``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import document_views, plan_settings, public, selectors
from . import milestones as milestone_services
from .export import ExportError, export_path, lbf_export_request
from .lbf_forms import BeredskabsplanForm, ExportForm, MilestoneForm, OverviewExportForm, PublicPageForm
from .models import LbfExport, Milestone


def _add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- LBF-udtræk -------------------------------------------------------------------------------------------

def _require_lbf(user) -> None:
    if not (user.is_superuser or selectors.is_lbf(user)):
        raise PermissionDenied("Oversigten er for Landsbyggefonden.")


@login_required
def lbf_overview(request: HttpRequest) -> HttpResponse:
    """Every plan with its documents' status, and the export of several or all plans (LBF users)."""
    _require_lbf(request.user)
    plans = list(selectors.plans_visible_to(request.user).select_related("pulje", "municipality").order_by("name"))
    form = OverviewExportForm(request.POST or None, plans=plans)
    if request.method == "POST" and form.is_valid():
        try:
            export = lbf_export_request(user=request.user, slugs=form.cleaned_data["plans"],
                                        as_of=form.cleaned_data["as_of"])
        except ExportError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            return redirect(export)
    documents = selectors.plans_documents(plans)
    rows = []
    for plan in plans:
        plan_rows = documents[plan.pk]
        rows.append({"plan": plan, "documents": plan_rows,
                     "approved": sum(1 for row in plan_rows if row.latest_approval),
                     "not_approved": sum(1 for row in plan_rows if not row.latest_approval),
                     "changed": sum(1 for row in plan_rows if row.changed_since_approval)})
    return render(request, "agreements/lbf_overview.html", {
        "rows": rows, "form": form,
        "exports": LbfExport.objects.filter(requested_by=request.user)[:10],
    })


@login_required
@require_POST
def plan_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The export button on the plan page: this plan's current (or as-of) documents, in the background."""
    plan = selectors.get_plan_access(request.user, slug).plan
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Datoen er ikke gyldig.")
        return redirect(plan)
    try:
        export = lbf_export_request(user=request.user, slugs=[plan.slug], as_of=form.cleaned_data["as_of"])
    except ExportError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(plan)
    return redirect(export)


def _own_export(request: HttpRequest, pk) -> LbfExport:
    export = LbfExport.objects.filter(pk=pk).first()
    if export is None or not (export.requested_by_id == request.user.pk or request.user.is_superuser):
        raise Http404("Udtrækket findes ikke.")
    return export


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    return render(request, "agreements/export_list.html", {
        "exports": LbfExport.objects.filter(requested_by=request.user)[:50],
        "is_lbf": request.user.is_superuser or selectors.is_lbf(request.user),
    })


@login_required
def export_status(request: HttpRequest, pk) -> HttpResponse:
    export = _own_export(request, pk)
    return render(request, "agreements/export_status.html", {"export": export})


@login_required
def export_download(request: HttpRequest, pk) -> HttpResponse:
    export = _own_export(request, pk)
    path = export_path(export)
    if export.status != LbfExport.Status.DONE or path is None or not path.exists():
        raise Http404("Filen findes ikke (længere).")
    visible = set(selectors.plans_visible_to(request.user).filter(slug__in=export.plan_slugs)
                  .values_list("slug", flat=True))
    if export.plan_slugs and visible != set(export.plan_slugs):
        raise Http404("Filen findes ikke (længere).")
    return FileResponse(path.open("rb"), as_attachment=True, filename=export.download_name,
                        content_type="application/zip")


# --- Milepælsplan ------------------------------------------------------------------------------------------

@login_required
def milestone_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug)
    plan = access.plan
    return render(request, "agreements/milestone_list.html", {
        "plan": plan, "access": access, "milestones": milestone_services.plan_milestones(plan),
        "summary": milestone_services.milestone_summary(plan),
    })


@login_required
def milestone_edit(request: HttpRequest, slug: str, milestone: int | None = None) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, selectors.EDIT)
    plan = access.plan
    milestone = get_object_or_404(Milestone, plan=plan, pk=milestone) if milestone else None
    form = MilestoneForm(request.POST or None, instance=milestone, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            milestone_services.milestone_save(
                plan=plan, milestone=milestone, title=data["title"], due_date=data["due_date"],
                status=data["status"], focus_area=data["focus_area"], done_date=data["done_date"], note=data["note"])
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, "Milepælen er gemt.")
            return redirect("agreements:milestone_list", slug=plan.slug)
    return render(request, "agreements/milestone_form.html",
                  {"plan": plan, "access": access, "form": form, "milestone": milestone})


@login_required
@require_POST
def milestone_delete(request: HttpRequest, slug: str, milestone: int) -> HttpResponse:
    plan = selectors.get_plan_access(request.user, slug, selectors.EDIT).plan
    milestone_services.milestone_delete(milestone=get_object_or_404(Milestone, plan=plan, pk=milestone))
    messages.success(request, "Milepælen er slettet.")
    return redirect("agreements:milestone_list", slug=plan.slug)


@login_required
def milestone_document(request: HttpRequest, slug: str) -> HttpResponse:
    """The milepælsplan as a document page (the documents pipeline's preview)."""
    plan = selectors.get_plan_access(request.user, slug).plan
    response = HttpResponse(milestone_services.milepaelsplan_document(plan).render_html())
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def milestone_document_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    plan = selectors.get_plan_access(request.user, slug).plan
    return document_views.cached_pdf(plan, "milepaelsplan", lambda: milestone_services.milepaelsplan_document(plan))


# --- Beredskabsplan and public page settings --------------------------------------------------------------

@login_required
def beredskabsplan(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug)
    plan = access.plan
    form = None
    if access.can_edit:
        form = BeredskabsplanForm(request.POST or None, instance=plan)
        if request.method == "POST" and form.is_valid():
            plan_settings.plan_beredskabsplan_update(plan=plan, text=form.cleaned_data["beredskabsplan"])
            messages.success(request, "Beredskabsplanen er gemt.")
            return redirect("agreements:beredskabsplan", slug=plan.slug)
    elif request.method == "POST":
        access.require(selectors.EDIT)
    return render(request, "agreements/beredskabsplan.html", {"plan": plan, "access": access, "form": form})


@login_required
def public_settings(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, selectors.EDIT)
    plan = access.plan
    form = PublicPageForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        plan_settings.plan_public_page_update(plan=plan, enabled=form.cleaned_data["public_page_enabled"],
                                              intro=form.cleaned_data["public_intro"])
        messages.success(request, "Indstillingerne for den offentlige side er gemt.")
        return redirect("agreements:public_settings", slug=plan.slug)
    return render(request, "agreements/public_settings.html", {"plan": plan, "access": access, "form": form})


def public_plan(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page (no login): only for plans that opted in, only approved content."""
    plan = public.get_public_plan(slug)
    return render(request, "public/plan.html", public.public_plan_content(plan))
