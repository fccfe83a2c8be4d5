"""The PDF of what the bestyrelse approved, frozen with the approval.

The approval workflow (``helhedsplan.approvals``) freezes the snapshot; this module adds the rendered
PDF of the approved document, in the same transaction when the bestyrelse approves in the system, or
later for approvals recorded without one (the demo data's): then only while the document's content
is still exactly the approved content, so the PDF shows what was approved.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_tasks import task

from agreements.models import StrategicAgreement, SubAgreement
from helhedsplan.approvals import services as approval_services
from helhedsplan.approvals.models import Approval
from helhedsplan.approvals.state import document_state

from . import builders, pdf


def render_document_pdf(document: SubAgreement | StrategicAgreement) -> bytes:
    """Today's document as PDF (with the approval stamp when its content is approved)."""
    if isinstance(document, SubAgreement):
        built = builders.build_document(plan=document.plan, kind=builders.DELAFTALE,
                                        area_slug=document.focus_area.slug)
    else:
        built = builders.build_document(plan=document.plan, kind=builders.SAMARBEJDSAFTALE)
    return pdf.render_pdf(built.render_html())


@transaction.atomic
def approval_fill_pdf(*, approval: Approval) -> bool:
    """Render and store the PDF of an approval saved without one, if the document's content is still
    exactly the approved content; True when a PDF was stored. The PDF is fill-once."""
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    document = approval.sub_agreement if approval.kind == Approval.Kind.SUBAGREEMENT else approval.strategic_agreement
    if approval.has_pdf or document is None:
        return False
    related = ["plan", "focus_area"] if isinstance(document, SubAgreement) else ["plan"]
    document = type(document).objects.select_related(*related).get(pk=document.pk)
    state = document_state(document)
    if state.latest_approval is None or state.latest_approval.pk != approval.pk or not state.matches_approval:
        return False  # changed since: a PDF of today's content would not be what was approved
    approval.pdf = render_document_pdf(document)
    approval.save(update_fields=["pdf"])
    return True


@transaction.atomic
def document_approve(*, document: SubAgreement | StrategicAgreement, by: AbstractBaseUser, meeting_date: date,
                     referat: str, expected_version: int | None = None) -> Approval:
    """The bestyrelse approves a submitted document: the frozen snapshot and the PDF of it, together."""
    approval = approval_services.document_approve(document=document, by=by, meeting_date=meeting_date,
                                                  referat=referat, expected_version=expected_version)
    approval_fill_pdf(approval=approval)
    approval.refresh_from_db()
    return approval


@task()
def render_approval_pdfs() -> int:
    """Render the PDFs of approvals saved without one (the demo data's), where still faithful."""
    return sum(approval_fill_pdf(approval=approval) for approval in Approval.objects.filter(pdf__isnull=True))
