"""The PDF of what the bestyrelse approved, frozen with the approval.

The approval workflow (``helhedsplan.approvals``) freezes the snapshot; this module adds the approved
document itself. Inside the approval's transaction only the document's HTML is built (fast, and exactly
the approved content, with its approval stamp) and kept on the approval; after the commit the
background worker turns that HTML into the PDF and stores it in the default storage (fill-once).
Approvals recorded without HTML (the demo data's) get a PDF only while the document's content is still
exactly the approved content, so the PDF shows what was approved.

Whether a PDF was queued recently, and why its last render failed, is kept in the cache (shared by
every app server when REDIS_URL is set): losing it costs at most one render more.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django_tasks import task

from agreements import permissions, revisions
from agreements.models import StrategicAgreement, SubAgreement
from agreements.services import VersionConflict
from budgets.models import Budget
from helhedsplan.approvals import services as approval_services
from helhedsplan.approvals.models import Approval, BoardMeeting
from helhedsplan.approvals.state import Document, document_state

from . import builders, pdf, word

logger = logging.getLogger(__name__)

#: How long the reason of a failed approval PDF is shown (then the next request simply tries again).
ERROR_SECONDS = 60 * 60


def _built(document: Document) -> builders.Document:
    if isinstance(document, SubAgreement):
        return builders.build_document(plan=document.plan, kind=builders.DELAFTALE,
                                       area_slug=document.focus_area.slug)
    if isinstance(document, Budget):
        return builders.build_document(plan=document.plan, kind=builders.BUDGET)
    return builders.build_document(plan=document.plan, kind=builders.SAMARBEJDSAFTALE)


def document_html(document: Document) -> str:
    """Today's document as HTML (with the approval stamp when its content is approved)."""
    return _built(document).render_html()


def render_document_pdf(document: Document) -> bytes:
    """Today's document as PDF (with the approval stamp when its content is approved)."""
    return _built(document).render_pdf()


def _approved_document(approval: Approval) -> Document | None:
    if approval.kind == Approval.Kind.SUBAGREEMENT:
        return SubAgreement.objects.select_related("plan", "focus_area").filter(pk=approval.sub_agreement_id).first()
    if approval.kind == Approval.Kind.BUDGET:
        return Budget.objects.select_related("plan", "plan__pulje").filter(pk=approval.budget_id).first()
    return StrategicAgreement.objects.select_related("plan").filter(pk=approval.strategic_agreement_id).first()


def _still_approved(approval: Approval, document: Document) -> bool:
    state = document_state(document)
    return state.latest_approval is not None and state.latest_approval.pk == approval.pk and state.matches_approval


def faithful_html(approval: Approval) -> str | None:
    """For an approval recorded without HTML: the document's HTML now, if its content is still exactly
    the approved content (read consistently: the plan's revision is the same before and after), else
    None."""
    document = _approved_document(approval)
    if document is None:
        return None
    before = revisions.tokens(approval.plan_id)
    if not _still_approved(approval, document):
        return None
    html = document_html(document)
    if revisions.tokens(approval.plan_id) != before:  # changed while it was being read
        return None
    return html


def faithful_docx(approval: Approval) -> bytes | None:
    """The approved document as a Word file, written from today's document while its content is still
    exactly the approved content (read consistently, as ``faithful_html``); None otherwise."""
    document = _approved_document(approval)
    if document is None:
        return None
    before = revisions.tokens(approval.plan_id)
    if not _still_approved(approval, document):
        return None
    content = word.render_docx(_built(document))
    if revisions.tokens(approval.plan_id) != before:  # changed while it was being read
        return None
    return content


def approval_pdf_possible(approval: Approval) -> bool:
    """Whether the approval has, or can still get, its PDF."""
    if approval.has_pdf or approval.html:
        return True
    document = _approved_document(approval)
    return document is not None and _still_approved(approval, document)


def approval_pdf_name(approval: Approval) -> str:
    return f"godkendelser/{approval.plan_id}/godkendelse-{approval.pk}-v{approval.number}.pdf"


def approval_fill_pdf(*, approval: Approval) -> bool:
    """Render and store the PDF of an approval that has none: from the HTML frozen with it, or — for
    an approval recorded without HTML — from the document while its content is still exactly the
    approved content. True when a PDF was stored. The PDF is fill-once.

    Renders outside any transaction (it takes seconds); the PDF is attached with one conditional update.
    """
    approval = Approval.objects.get(pk=approval.pk)
    if approval.has_pdf:
        return False
    html = approval.html or faithful_html(approval)
    if not html:
        return False  # changed since: a PDF of today's content would not be what was approved
    content = pdf.render_pdf(html, url_fetcher=pdf.StaticFilesURLFetcher(
        images=builders.plan_document_images(approval.plan)))
    name = default_storage.save(approval_pdf_name(approval), ContentFile(content))
    # A queryset update: the frozen approval gets its file without a history entry or a new revision of
    # the plan (nothing the documents show has changed).
    if not Approval.objects.filter(pk=approval.pk, pdf="").update(pdf=name):
        default_storage.delete(name)  # filled by a concurrent render
        return False
    return True


@transaction.atomic
def document_approve(*, document: Document, by: AbstractBaseUser, meeting_date: date,
                     referat: str, expected_version: int | None = None,
                     meeting: BoardMeeting | None = None) -> Approval:
    """The bestyrelse approves a submitted document: the frozen snapshot and the approved document's
    HTML, together; its PDF is rendered by the worker once the approval is committed."""
    approval = approval_services.document_approve(document=document, by=by, meeting_date=meeting_date,
                                                  referat=referat, expected_version=expected_version,
                                                  meeting=meeting)
    related = ["plan", "focus_area"] if isinstance(document, SubAgreement) else ["plan", "plan__pulje"]
    current = type(document).objects.select_related(*related).get(pk=document.pk)
    Approval.objects.filter(pk=approval.pk, html="").update(html=document_html(current))
    transaction.on_commit(partial(approval_pdf_enqueue, approval))
    approval.refresh_from_db()
    return approval


@transaction.atomic
def meeting_approve_agenda(*, meeting: BoardMeeting, by: AbstractBaseUser, referat: str,
                           expected_versions: Mapping[int, int] | None = None) -> list[Approval]:
    """The bestyrelse approves every document on the meeting's agenda at once, all or nothing.

    Each document is approved as ``document_approve`` approves one, with the meeting, its date and
    ``referat`` (which becomes the meeting's referat). ``expected_versions`` maps agenda item ids to the
    document versions the approver looked at. If any document cannot be approved (sent back, changed,
    the plan's checks report errors), nothing is approved and the ValidationError names the document.
    """
    permissions.require(by, permissions.APPROVE, meeting.plan)
    meeting = BoardMeeting.objects.select_for_update().select_related("plan").get(pk=meeting.pk)
    referat = referat.strip()
    errors = approval_services.meeting_approval_blockers(meeting)
    if not referat:
        errors.append("Skriv mødets referat, før dokumenterne godkendes.")
    if errors:
        raise ValidationError(errors)
    meeting.referat = referat
    meeting.full_clean()
    meeting.save(update_fields=["referat"])
    approvals: list[Approval] = []
    items = meeting.agenda_items.select_related("sub_agreement__focus_area", "sub_agreement__plan",
                                                "strategic_agreement__plan").order_by("order", "id")
    for item in items:
        document = item.document
        try:
            approvals.append(document_approve(
                document=document, by=by, meeting_date=meeting.date, referat=referat, meeting=meeting,
                expected_version=(expected_versions or {}).get(item.pk)))
        except VersionConflict as exc:
            raise ValidationError(f"Intet er godkendt: »{document}« er ændret, efter du åbnede dagsordenen. "
                                  f"Se ændringerne igen, før I godkender.") from exc
        except ValidationError as exc:
            reasons = " ".join(exc.messages)
            raise ValidationError(f"Intet er godkendt: »{document}« kan ikke godkendes. {reasons}") from exc
    return approvals


# --- Queueing and failures ----------------------------------------------------------------------------

def _cache_key(what: str, approval: Approval) -> str:
    # The approval time as well as the id: an id can come again (a restored database), a moment cannot.
    return f"approval-pdf:{what}:{approval.pk}:{approval.approved_at.timestamp():.6f}"


def approval_pdf_enqueue(approval: Approval) -> None:
    """Queue the approval's PDF now (right after its approval is committed)."""
    cache.set(_cache_key("queued", approval), True, settings.PDF_RENDER_REQUEUE_SECONDS)
    render_approval_pdf.enqueue(approval.pk)


def approval_pdf_request(*, approval: Approval) -> None:
    """Someone waits for the approval's PDF: queue it unless it was queued within
    PDF_RENDER_REQUEUE_SECONDS (``cache.add`` is atomic, so concurrent requests queue it once)."""
    if cache.add(_cache_key("queued", approval), True, settings.PDF_RENDER_REQUEUE_SECONDS):
        transaction.on_commit(partial(render_approval_pdf.enqueue, approval.pk))


def approval_pdf_error(approval: Approval) -> str:
    """Why the last render of the approval's PDF failed ("" if it did not)."""
    return cache.get(_cache_key("error", approval), "")


def approval_pdf_retry(*, approval: Approval) -> None:
    """Forget the failure and queue the PDF again."""
    cache.delete_many([_cache_key("error", approval), _cache_key("queued", approval)])
    approval_pdf_request(approval=approval)


def approval_pdf_render(*, approval_id: int) -> bool:
    """The background task's body: fill the PDF; a failure is kept (for the waiting page), not raised."""
    approval = Approval.objects.filter(pk=approval_id).first()
    if approval is None:
        return False
    try:
        filled = approval_fill_pdf(approval=approval)
    except Exception as exc:
        logger.exception("PDF'en til godkendelse %s kunne ikke dannes", approval_id)
        cache.set(_cache_key("error", approval), f"PDF'en kunne ikke dannes ({type(exc).__name__}). Prøv igen, "
                                                 f"eller kontakt administratoren, hvis det bliver ved.",
                  ERROR_SECONDS)
        return False
    cache.delete(_cache_key("error", approval))
    return filled


@task()
def render_approval_pdf(approval_id: int) -> bool:
    """Render the PDF of one approval from the HTML frozen with it."""
    return approval_pdf_render(approval_id=approval_id)


@task()
def render_approval_pdfs() -> int:
    """Render the PDFs of approvals saved without one (the demo data's), where still faithful."""
    missing = Approval.objects.filter(pdf="").values_list("pk", flat=True)
    return sum(approval_pdf_render(approval_id=pk) for pk in missing)
