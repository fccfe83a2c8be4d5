"""Bilag: the plan's organisationsdiagrammer and PDF bilag — list, upload, download and delete.

Every download checks the user's access at that moment (the plan must be visible to them), also for the
picture the document preview shows.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from agreements import attachments as attachment_services
from agreements import permissions, selectors
from agreements.forms import AttachmentForm
from agreements.models import Attachment
from helhedsplan.forms import add_service_errors
from helhedsplan.storage import file_download
from helhedsplan.uploads import ImportRefused


@login_required
def attachment_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan's attachments; the secretariat uploads here."""
    access = selectors.get_plan_access(request.user, slug)
    plan = access.plan
    form = None
    if request.user.has_perm(permissions.ADD_ATTACHMENT, plan):
        form = AttachmentForm(request.POST or None, request.FILES or None, plan=plan)
    elif request.method == "POST":
        access.require(permissions.ADD_ATTACHMENT)
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            attachment = attachment_services.attachment_upload(
                plan=plan, by=request.user, content=upload.read(), title=data["title"], kind=data["kind"],
                sub_agreement=data["sub_agreement"], file_name=upload.name or "")
        except ImportRefused as exc:
            form.add_error("file", exc.message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"»{attachment.title}« er tilføjet.")
            return redirect("agreements:attachment_list", slug=plan.slug)
    status = 400 if form is not None and form.errors else 200
    return render(request, "agreements/attachment_list.html", {
        "plan": plan, "access": access, "form": form,
        "attachments": attachment_services.plan_attachments(plan),
    }, status=status)


def _attachment(request: HttpRequest, slug: str, pk: int, permission: str = permissions.VIEW_PLAN) -> Attachment:
    plan = selectors.get_plan_access(request.user, slug, permission).plan
    attachment = get_object_or_404(Attachment, plan=plan, pk=pk)
    attachment.plan = plan
    return attachment


@login_required
def attachment_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The file, for everybody who sees the plan: a picture shown in the page (streamed, also from the
    bucket, so the page needs no other origin), a PDF as a download."""
    attachment = _attachment(request, slug, pk)
    if not attachment.is_image:
        return file_download(attachment.file.name, filename=attachment.download_name,
                             content_type=attachment.content_type, storage=attachment.file.storage)
    try:
        handle = attachment.file.storage.open(attachment.file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404("Filen findes ikke længere.") from exc
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(False, attachment.download_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    attachment = _attachment(request, slug, pk, permissions.DELETE_ATTACHMENT)
    attachment_services.attachment_delete(attachment=attachment, by=request.user)
    messages.success(request, f"»{attachment.title}« er slettet.")
    return redirect("agreements:attachment_list", slug=slug)
