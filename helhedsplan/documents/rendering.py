"""PDFs of a plan's documents, made by the background worker and kept in the default storage.

A web request never renders a PDF. It asks :func:`rendered_document_request` for today's version of
the document, named by a key of the plan, the document, the day and the plan's revision tokens (one
query: ``agreements.revisions.tokens``). If the file for that key exists the view hands it out;
otherwise the first request creates the :class:`RenderedDocument` row (once: the key is unique, so
concurrent requests never queue twice) and queues :func:`render_document` after its transaction
commits, and the browser is told to come back in two seconds. A render that failed keeps its error
on the row until someone asks again (:func:`rendered_document_retry`); one that was queued and never
finished (a worker lost) is queued again by the first request after PDF_RENDER_REQUEUE_SECONDS.

The worker builds the HTML and checks that the key is still the plan's current one before and after
(an edit in between would have replaced a token), so a file always shows exactly the version its key
names. Old files are deleted by :func:`rendered_documents_cleanup`: for the document just rendered
after each render, and for all documents by ``manage.py cleanup_rendered_documents`` (daily).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task

from agreements import revisions
from agreements.models import Plan, SubAgreement
from helhedsplan.approvals.models import Approval

from . import builders
from .models import RenderedDocument

logger = logging.getLogger(__name__)

MILEPAELSPLAN = "milepaelsplan"
#: The documents that have a PDF, by name; a delaftale's name also holds its indsatsområde.
DOCUMENT_NAMES = (builders.SAMARBEJDSAFTALE, builders.DELAFTALE, builders.BUDGET, builders.SAMLET,
                  builders.OKONOMIOPFOLGNING, MILEPAELSPLAN)
#: A superseded file is kept at least this long after it was last requested or rendered, so that a
#: download handed out just before (a presigned URL is valid DOWNLOAD_URL_SECONDS) still works.
MIN_KEEP_SUPERSEDED = timedelta(minutes=10)


def document_name(kind: str, area: str | None = None) -> str:
    """The name a document's rendered versions are kept under: ``samlet``, ``delaftale:<område>`` …"""
    return f"{kind}:{area}" if kind == builders.DELAFTALE else kind


def _split(name: str) -> tuple[str, str | None]:
    kind, _, area = name.partition(":")
    return kind, area or None


def build(plan: Plan, name: str) -> builders.Document:
    """The document ``name`` of ``plan`` as it is now."""
    kind, area = _split(name)
    if kind == MILEPAELSPLAN:
        return builders.milepaelsplan_document(plan)
    return builders.build_document(plan=plan, kind=kind, area_slug=area)


def _exists(plan: Plan, name: str) -> bool:
    kind, area = _split(name)
    if kind == builders.DELAFTALE:
        return bool(area) and SubAgreement.objects.filter(plan=plan, focus_area__slug=area).exists()
    return kind in DOCUMENT_NAMES and area is None


def version_key(plan_id: int, name: str, *, day: date | None = None, tokens: str | None = None) -> str:
    """The key of the document's version: the plan, the document, the day and the revision tokens."""
    day = day or timezone.localdate()
    tokens = tokens if tokens is not None else revisions.tokens(plan_id)
    return f"{plan_id}:{name}:{day.isoformat()}:{tokens}"


def keep_superseded() -> timedelta:
    return max(MIN_KEEP_SUPERSEDED, timedelta(seconds=2 * settings.DOWNLOAD_URL_SECONDS))


# --- Requests (web) ---------------------------------------------------------------------------------

def rendered_document_request(*, plan: Plan, name: str) -> RenderedDocument:
    """Today's version of the document: rendered, failed, or queued (by this request if it is the first
    one, or if its render was lost). ``builders.DocumentNotFound`` if the plan has no such document.

    The caller has checked that the user may see the plan.
    """
    key = version_key(plan.pk, name)
    rendered = RenderedDocument.objects.filter(key=key).first()
    if rendered is None:
        if not _exists(plan, name):
            raise builders.DocumentNotFound(f"Helhedsplanen »{plan.slug}« har ikke dokumentet »{name}«.")
        rendered, created = _create(plan, name, key)
        if created:
            transaction.on_commit(partial(_enqueue, rendered.pk))
    elif rendered.is_stale():
        _requeue(rendered)
    return rendered


def rendered_document_retry(*, plan: Plan, name: str) -> RenderedDocument:
    """Queue today's version again after its render failed (or was lost); otherwise as a request."""
    rendered = rendered_document_request(plan=plan, name=name)
    if rendered.has_failed:
        _requeue(rendered)
    return rendered


def _create(plan: Plan, name: str, key: str) -> tuple[RenderedDocument, bool]:
    try:
        with transaction.atomic():
            return RenderedDocument.objects.create(plan=plan, document=name, key=key), True
    except IntegrityError:  # a concurrent request created it first and queued it
        return RenderedDocument.objects.get(key=key), False


def _requeue(rendered: RenderedDocument) -> bool:
    """Queue the row again, unless a concurrent request just did (the update is conditional on the
    queue time this request read)."""
    now = timezone.now()
    queued = RenderedDocument.objects.filter(pk=rendered.pk, file="", queued_at=rendered.queued_at).update(
        queued_at=now, started_at=None, error="")
    if queued:
        rendered.queued_at, rendered.started_at, rendered.error = now, None, ""
        transaction.on_commit(partial(_enqueue, rendered.pk))
    return bool(queued)


def _enqueue(rendered_id: int) -> None:
    result = render_document.enqueue(rendered_id)
    RenderedDocument.objects.filter(pk=rendered_id).update(task_id=str(result.id)[:64])


# --- Rendering (worker) -------------------------------------------------------------------------------

def rendered_document_render(*, rendered_id: int) -> bool:
    """Render a queued document (the background task's body); True when a file was stored.

    A row whose key is no longer the plan's current one (the plan changed, or the day passed, since
    it was requested) is deleted instead: nobody will ask for that version again. A failure is kept
    on the row (the user sees it and may try again); the traceback goes to the worker's log.
    """
    rendered = RenderedDocument.objects.select_related("plan").filter(pk=rendered_id).first()
    if rendered is None or rendered.file:
        return False
    plan = rendered.plan
    if version_key(plan.pk, rendered.document) != rendered.key:
        RenderedDocument.objects.filter(pk=rendered.pk, file="").delete()
        return False
    RenderedDocument.objects.filter(pk=rendered.pk).update(started_at=timezone.now())
    try:
        document = build(plan, rendered.document)
        html = document.render_html()
        if version_key(plan.pk, rendered.document) != rendered.key:  # changed while it was being read
            RenderedDocument.objects.filter(pk=rendered.pk, file="").delete()
            return False
        content = document.render_pdf(html)
        name = default_storage.save(f"dokumenter/{plan.pk}/{rendered.pk}.pdf", ContentFile(content))
    except Exception as exc:
        logger.exception("Dokument %s (række %s) kunne ikke dannes", rendered.document, rendered.pk)
        RenderedDocument.objects.filter(pk=rendered.pk, file="").update(
            error=f"Dokumentet kunne ikke dannes ({type(exc).__name__}). Prøv igen, eller kontakt "
                  f"administratoren, hvis det bliver ved.")
        return False
    stored = RenderedDocument.objects.filter(pk=rendered.pk, file="").update(
        file=name, filename=document.filename, rendered_at=timezone.now(), error="")
    if not stored:  # rendered twice (a requeued task), or deleted meanwhile: keep no stray file
        default_storage.delete(name)
        return False
    rendered_documents_cleanup(plan_id=plan.pk, document=rendered.document)
    return True


def rendered_documents_cleanup(*, now: datetime | None = None, plan_id: int | None = None,
                               document: str | None = None) -> int:
    """Delete the rendered documents (rows and files) no request will ask for again — those of an
    earlier day or an older revision of their plan — once they have not been requested or rendered
    for ``keep_superseded()``. Returns how many were deleted."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cutoff = now - keep_superseded()
    rows = RenderedDocument.objects.only("pk", "plan_id", "document", "key", "file", "requested_at",
                                         "queued_at", "rendered_at")
    if plan_id is not None:
        rows = rows.filter(plan_id=plan_id)
    if document is not None:
        rows = rows.filter(document=document)
    tokens: dict[int, str] = {}
    deleted = 0
    for row in rows.order_by("pk").iterator(chunk_size=200):
        if row.plan_id not in tokens:
            tokens[row.plan_id] = revisions.tokens(row.plan_id)
        if row.key == version_key(row.plan_id, row.document, day=today, tokens=tokens[row.plan_id]):
            continue
        if max(row.requested_at, row.queued_at, row.rendered_at or row.queued_at) > cutoff:
            continue
        row.delete()  # the file goes with it (see _delete_file)
        deleted += 1
    return deleted


@receiver(post_delete, sender=RenderedDocument, dispatch_uid="rendered-document-file")
@receiver(post_delete, sender=Approval, dispatch_uid="approval-pdf-file")
def _delete_file(sender, instance, **kwargs) -> None:
    """A deleted row's file goes too (also when its plan is deleted), once the deletion is committed."""
    field = instance.file if sender is RenderedDocument else instance.pdf
    if field and field.name:
        name, storage = field.name, field.storage
        transaction.on_commit(partial(storage.delete, name))


# --- Background tasks (django-tasks; the database backend's worker is ``manage.py db_worker``) -----------

@task()
def render_document(rendered_id: int) -> bool:
    """Render a requested document version into the default storage."""
    return rendered_document_render(rendered_id=rendered_id)


@task()
def cleanup_rendered_documents() -> int:
    """Delete rendered documents of earlier days and older revisions."""
    return rendered_documents_cleanup()
