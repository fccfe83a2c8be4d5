"""LBF-udtræk: exports of current delaftaler, built in the background."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


def export_file_name(instance: LbfExport, filename: str) -> str:
    """Where an export's ZIP lies in the default storage: ``LBF_EXPORT_DIR/<export id>.zip`` (the id is a
    random UUID, so the name cannot be guessed; the file is only ever handed out by the download view)."""
    return f"{settings.LBF_EXPORT_DIR}/{instance.pk}.zip"


class LbfExport(models.Model):
    """One requested LBF-udtræk (a ZIP of current delaftaler), built in the background.

    Not user-edited (the export task writes it), so it keeps no history; the file lies in the default
    storage (local files or the S3 bucket) until ``expires_at`` and is only handed out through the
    access-checked download view.
    """

    class Status(models.TextChoices):
        QUEUED = "venter", "Venter"
        RUNNING = "koerer", "I gang"
        DONE = "faerdig", "Færdig"
        FAILED = "fejlet", "Fejlet"
        EXPIRED = "udloebet", "Udløbet"

    UNFINISHED = (Status.QUEUED, Status.RUNNING)
    STUCK_AFTER = timedelta(hours=1)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lbf_exports",
                                     verbose_name="bestilt af")
    plan_slugs = models.JSONField("helhedsplaner", default=list, blank=True, help_text="Tom: alle planer.")
    as_of = models.DateField("gældende pr.", null=True, blank=True)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.QUEUED)
    steps_done = models.PositiveIntegerField("trin udført", default=0)
    steps_total = models.PositiveIntegerField("trin i alt", default=0)
    current_step = models.CharField("arbejder på", max_length=300, blank=True)
    error = models.TextField("fejl", blank=True)
    file = models.FileField("fil", upload_to=export_file_name, max_length=300, blank=True, editable=False)
    file_size = models.PositiveBigIntegerField("filstørrelse (bytes)", default=0)
    task_id = models.CharField("baggrundsopgave", max_length=64, blank=True)
    created_at = models.DateTimeField("bestilt", default=timezone.now)
    started_at = models.DateTimeField("startet", null=True, blank=True)
    finished_at = models.DateTimeField("færdig", null=True, blank=True)
    expires_at = models.DateTimeField("slettes", null=True, blank=True)

    class Meta:
        verbose_name = "LBF-udtræk"
        verbose_name_plural = "LBF-udtræk"
        db_table = "agreements_lbfexport"  # the table predates the lbf app
        constraints = [
            # One export per user at a time: a second request waits until the first is done.
            models.UniqueConstraint(fields=["requested_by"], condition=models.Q(status__in=["venter", "koerer"]),
                                    name="lbfexport_one_unfinished_per_user"),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"LBF-udtræk {self.created_at:%d.%m.%Y %H:%M} ({', '.join(self.plan_slugs) or 'alle planer'})"

    def get_absolute_url(self) -> str:
        return reverse("agreements:lbf_export_status", kwargs={"pk": self.pk})

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.steps_done / self.steps_total) if self.steps_total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)

    @property
    def download_name(self) -> str:
        when = timezone.localtime(self.created_at).strftime("%Y-%m-%d-%H%M")
        scope = self.plan_slugs[0] if len(self.plan_slugs) == 1 else "helhedsplaner"
        suffix = f"-pr-{self.as_of.isoformat()}" if self.as_of else ""
        return f"lbf-udtraek-{scope}{suffix}-{when}.zip"


