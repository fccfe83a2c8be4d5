"""Views for the LBF-udtræk and the public plan page.

Plan-scoped views start with ``selectors.get_plan_access`` (404 for a plan the user cannot see, 403
for an action their role does not allow). The public page needs no login but shows only plans that
opted in (404 otherwise) and only approved content (``public``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from agreements import permissions, selectors
from helhedsplan.approvals.selectors import plans_documents
from helhedsplan.lbf import public
from helhedsplan.lbf.export import ExportError, export_storage, lbf_export_request
from helhedsplan.lbf.forms import ExportForm, OverviewExportForm
from helhedsplan.lbf.models import LbfExport
from helhedsplan.storage import file_download


@login_required
def lbf_overview(request: HttpRequest) -> HttpResponse:
    """Every plan with its documents' status, and the export of several or all plans (LBF users)."""
    permissions.require(request.user, permissions.LBF_OVERVIEW)
    plans = list(permissions.plans_visible_to(request.user).select_related("pulje", "municipality").order_by("name"))
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
    documents = plans_documents(plans)
    rows = []
    for plan in plans:
        plan_rows = documents[plan.pk]
        rows.append({"plan": plan, "documents": plan_rows,
                     "approved": sum(1 for row in plan_rows if row.latest_approval),
                     "not_approved": sum(1 for row in plan_rows if not row.latest_approval),
                     "changed": sum(1 for row in plan_rows if row.state.changed_since_approval)})
    return render(request, "agreements/lbf_overview.html", {
        "rows": rows, "form": form,
        "exports": LbfExport.objects.filter(requested_by=request.user)[:10],
    })


@login_required
@require_POST
def plan_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The export button on the plan page: this plan's current (or as-of) documents, in the background."""
    plan = selectors.get_plan_access(request.user, slug, permissions.EXPORT_PLAN).plan
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
    if export is None or not request.user.has_perm(permissions.VIEW_EXPORT, export):
        raise Http404("Udtrækket findes ikke.")
    return export


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    return render(request, "agreements/export_list.html", {
        "exports": LbfExport.objects.filter(requested_by=request.user)[:50],
        "is_lbf": request.user.has_perm(permissions.LBF_OVERVIEW),
    })


@login_required
def export_status(request: HttpRequest, pk) -> HttpResponse:
    export = _own_export(request, pk)
    return render(request, "agreements/export_status.html", {"export": export})


@login_required
def export_download(request: HttpRequest, pk) -> HttpResponse:
    """The export's ZIP for the user who asked for it: streamed from local files, or a redirect to a
    short-lived presigned URL of the bucket; only after every access check."""
    export = _own_export(request, pk)
    if export.status != LbfExport.Status.DONE or not export.file.name:
        raise Http404("Filen findes ikke (længere).")
    if not request.user.has_perm(permissions.DOWNLOAD_EXPORT, export):
        raise Http404("Filen findes ikke (længere).")  # the requester has lost the right to a plan in it
    storage = export_storage()
    if not storage.exists(export.file.name):
        raise Http404("Filen findes ikke (længere).")
    return file_download(export.file.name, filename=export.download_name, content_type="application/zip",
                         storage=storage)


def public_plan(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page (no login): only for plans that opted in, only approved content."""
    plan = public.get_public_plan(slug)
    return render(request, "public/plan.html", public.public_plan_content(plan))

