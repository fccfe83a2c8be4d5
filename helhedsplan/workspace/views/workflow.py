"""The bestyrelse workflow: submit, send back, approve, LBF's approval, and the approved versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from agreements import permissions, selectors, services
from agreements.forms import (
    ApprovalForm,
    LbfApprovalForm,
    ReturnForm,
)
from helhedsplan.approvals import services as workflow
from helhedsplan.approvals.models import Approval
from helhedsplan.documents import services as document_services
from helhedsplan.documents.views import PDF_METHODS, pdf_status_response
from helhedsplan.forms import error_messages
from helhedsplan.storage import file_download

from .budget import budget_approval_page
from .common import BUDGET, document_for, document_url


@login_required
@require_POST
def document_submit(request: HttpRequest, slug: str, area: str | None = None,
                    document_kind: str | None = None) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, permissions.SUBMIT)
    document = document_for(access, area, document_kind)
    try:
        workflow.document_submit(document=document, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        messages.success(request, "Dokumentet er sendt til behandling i bestyrelsen.")
    return redirect(document_url(document))


@login_required
@require_POST
def document_return(request: HttpRequest, slug: str, area: str | None = None,
                    document_kind: str | None = None) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, permissions.RETURN_TO_DRAFT)
    document = document_for(access, area, document_kind)
    form = ReturnForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        workflow.document_return_to_draft(document=document, by=request.user, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        messages.success(request, "Dokumentet er sendt tilbage til kladde.")
    return redirect(document_url(document))


@login_required
@require_POST
def document_approve(request: HttpRequest, slug: str, area: str | None = None,
                     document_kind: str | None = None) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, permissions.APPROVE)
    document = document_for(access, area, document_kind)
    form = ApprovalForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Godkendelsen er ikke registreret: " + "; ".join(
            f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}"
            for name, errors in form.errors.items()))
        return redirect(document_url(document))
    try:
        approval = document_services.document_approve(
            document=document, by=request.user, meeting_date=form.cleaned_data["meeting_date"],
            referat=form.cleaned_data["referat"], expected_version=form.cleaned_data["version"])
    except services.VersionConflict:
        messages.error(request, "Dokumentet er blevet ændret, efter du åbnede det. Se ændringerne igen, "
                                "før du godkender.")
    except ValidationError as exc:
        messages.error(request, "Godkendelsen er ikke registreret: " + " ".join(error_messages(exc)))
    else:
        messages.success(request, f"Godkendt. Version {approval.number} er nu den gældende.")
    return redirect(document_url(document))


@login_required
@require_POST
def lbf_approval(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, permissions.RECORD_LBF_APPROVAL)
    approval = get_object_or_404(Approval, plan=access.plan, kind=Approval.Kind.STRATEGIC, number=number)
    form = LbfApprovalForm(request.POST)
    if form.is_valid():
        try:
            workflow.strategic_agreement_record_lbf_approval(
                approval=approval, by=request.user, lbf_approved_on=form.cleaned_data["lbf_approved_on"])
        except ValidationError as exc:
            messages.error(request, " ".join(error_messages(exc)))
        else:
            messages.success(request, "LBF's godkendelse er registreret.")
    else:
        messages.error(request, "Angiv datoen for LBF's godkendelse.")
    return redirect("agreements:strategic_detail", slug=slug)


def _approval(access: selectors.PlanAccess, number: int, area: str | None,
              document_kind: str | None = None) -> Approval:
    filters = {"plan": access.plan, "number": number}
    if document_kind == BUDGET:
        filters["kind"] = Approval.Kind.BUDGET
    elif area is None:
        filters["kind"] = Approval.Kind.STRATEGIC
    else:
        filters.update(kind=Approval.Kind.SUBAGREEMENT, focus_area__slug=area,
                       focus_area__pulje_id=access.plan.pulje_id)
    return get_object_or_404(Approval.objects.select_related("approved_by", "focus_area"), **filters)


@login_required
def approval_detail(request: HttpRequest, slug: str, number: int, area: str | None = None,
                    document_kind: str | None = None) -> HttpResponse:
    """An approved version exactly as it was frozen."""
    access = selectors.get_plan_access(request.user, slug)
    approval = _approval(access, number, area, document_kind)
    if approval.kind == Approval.Kind.BUDGET:
        return budget_approval_page(request, access, approval)
    return render(request, "agreements/approval_detail.html", {
        "plan": access.plan, "access": access, "approval": approval, "data": approval.data,
        "lbf_form": LbfApprovalForm() if access.can_record_lbf_approval and approval.requires_lbf_approval
        and not approval.lbf_approved_on else None,
    })


@login_required
@require_http_methods(PDF_METHODS)
def approval_pdf(request: HttpRequest, slug: str, number: int, area: str | None = None,
                 document_kind: str | None = None) -> HttpResponse:
    """The approved PDF, once the worker has rendered it; until then the documents' waiting page (or its
    error page, whose "Prøv igen" posts here)."""
    access = selectors.get_plan_access(request.user, slug)
    approval = _approval(access, number, area, document_kind)
    if approval.has_pdf:
        name = f"{access.plan.slug}-{area or document_kind or 'samarbejdsaftale'}-godkendt-v{approval.number}.pdf"
        return file_download(approval.pdf.name, filename=name, content_type="application/pdf")
    if not document_services.approval_pdf_possible(approval):
        raise Http404("Der er ingen PDF til denne godkendelse.")
    if request.method == "POST":
        document_services.approval_pdf_retry(approval=approval)
        return redirect(request.path)
    error = document_services.approval_pdf_error(approval)
    if not error:
        document_services.approval_pdf_request(approval=approval)
    return pdf_status_response(request, title=str(approval), back_url=approval.get_absolute_url(),
                               back_label=f"{approval.title}, version {approval.number}", error=error)
