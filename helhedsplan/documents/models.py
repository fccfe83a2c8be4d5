"""Rendered documents: the PDF of one version of a plan's document, made by the background worker."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from agreements.models import Plan


class RenderedDocument(models.Model):
    """The PDF of one version of one of a plan's documents, kept in the default storage.

    ``key`` names the version: the plan, the document, the day (documents print their date) and the
    plan's revision tokens (``agreements.revisions.tokens``), so a request finds the current file in
    two small queries, and an edit (or a new day) gives a new key. The first request for a key creates
    the row (once: the key is unique) and queues the render; the worker fills ``file`` or ``error``.

    Bookkeeping written by the worker, not user data: it keeps no history, and a change to it is not
    a change to the plan.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rendered_documents",
                             verbose_name="helhedsplan")
    document = models.CharField("dokument", max_length=150,
                                help_text="Fx »samlet«, »delaftale:beskaeftigelse« eller »milepaelsplan«.")
    key = models.CharField("version (nøgle)", max_length=255, unique=True)
    file = models.FileField("PDF-fil", upload_to="dokumenter/", max_length=300, blank=True)
    filename = models.CharField("filnavn ved download", max_length=200, blank=True)
    requested_at = models.DateTimeField("bestilt", default=timezone.now)
    queued_at = models.DateTimeField("sat i kø", default=timezone.now)
    started_at = models.DateTimeField("påbegyndt", null=True, blank=True)
    rendered_at = models.DateTimeField("dannet", null=True, blank=True)
    error = models.TextField("fejl", blank=True)
    task_id = models.CharField("baggrundsopgave", max_length=64, blank=True)

    class Meta:
        verbose_name = "dannet dokument"
        verbose_name_plural = "dannede dokumenter"
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["plan", "document"], name="rendered_plan_document")]

    def __str__(self) -> str:
        return f"{self.document} ({self.plan_id}, {self.requested_at:%d.%m.%Y %H:%M})"

    @property
    def is_rendered(self) -> bool:
        return bool(self.file)

    @property
    def has_failed(self) -> bool:
        return not self.file and bool(self.error)

    def is_stale(self, *, now=None) -> bool:
        """Queued (or started) longer ago than PDF_RENDER_REQUEUE_SECONDS without a result: its worker
        was lost, so the next request queues it again."""
        if self.file or self.error:
            return False
        now = now or timezone.now()
        last = max(self.queued_at, self.started_at or self.queued_at)
        return (now - last).total_seconds() > settings.PDF_RENDER_REQUEUE_SECONDS
