"""The bestyrelse's approvals (frozen snapshots of what was approved) and its meetings."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from agreements.models import FocusArea, Plan, StrategicAgreement, SubAgreement
from budgets.models import Budget
from helhedsplan.formatting import format_date
from helhedsplan.validators import DOCUMENT_TEXT_LIMIT, no_control_characters, text_rules


class BoardMeeting(models.Model):
    """A bestyrelsesmøde of a plan: when and where, its referat, and its agenda (``AgendaItem``).

    The documents on the agenda are approved together (``meeting_approve_agenda``); each approval then
    carries the meeting, its date and its referat.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="board_meetings",
                             verbose_name="helhedsplan")
    date = models.DateField("dato")
    place = models.CharField("sted", max_length=300, validators=[no_control_characters])
    referat = models.TextField("referat", blank=True, help_text="Udfyldes på eller efter mødet.",
                               **text_rules(DOCUMENT_TEXT_LIMIT))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="oprettet af")
    created_at = models.DateTimeField("oprettet", default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bestyrelsesmøde"
        verbose_name_plural = "bestyrelsesmøder"
        ordering = ["plan", "-date", "-id"]

    def __str__(self) -> str:
        return f"Bestyrelsesmøde {format_date(self.date)}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:meeting_detail", kwargs={"slug": self.plan.slug, "pk": self.pk})


class AgendaItem(models.Model):
    """A document til behandling on a meeting's agenda: the strategic agreement or one delaftale."""

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="agenda_items",
                                verbose_name="bestyrelsesmøde")
    sub_agreement = models.ForeignKey(SubAgreement, on_delete=models.CASCADE, null=True, blank=True,
                                      related_name="agenda_items", verbose_name="delaftale")
    strategic_agreement = models.ForeignKey(StrategicAgreement, on_delete=models.CASCADE, null=True, blank=True,
                                            related_name="agenda_items", verbose_name="samarbejdsaftale")
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "punkt på dagsordenen"
        verbose_name_plural = "punkter på dagsordenen"
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(sub_agreement__isnull=False, strategic_agreement__isnull=True)
                           | Q(sub_agreement__isnull=True, strategic_agreement__isnull=False)),
                name="agendaitem_exactly_one_document",
                violation_error_message="Et punkt på dagsordenen er enten samarbejdsaftalen eller én delaftale.",
            ),
            models.UniqueConstraint(fields=["meeting", "sub_agreement"], name="agendaitem_unique_subagreement"),
            models.UniqueConstraint(fields=["meeting", "strategic_agreement"], name="agendaitem_unique_strategic"),
        ]

    def __str__(self) -> str:
        return str(self.document)

    @property
    def document(self) -> SubAgreement | StrategicAgreement:
        return self.sub_agreement if self.sub_agreement_id else self.strategic_agreement


class Approval(models.Model):
    """A frozen bestyrelse approval of a delaftale, the strategic agreement or the budgetark.

    Holds what was approved — structured JSON of the document and its children, the document's HTML
    as approved and its PDF — with the meeting date, the referat reference and the approving user.
    Nothing of it changes after it is saved; the only later facts are LBF's approval date (for a
    changed strategic agreement) and the PDF, each filled once. The PDF is rendered from ``html`` by
    the background worker after the approval is committed (``helhedsplan.documents.services``) and
    kept in the default storage. Approvals recorded without HTML (the demo data's) get theirs only
    while the document's content still equals the approved content.
    """

    class Kind(models.TextChoices):
        SUBAGREEMENT = "delaftale", "Delaftale"
        STRATEGIC = "samarbejdsaftale", "Strategisk samarbejdsaftale"
        BUDGET = "budget", "Budgetark"

    FILL_ONCE_FIELDS = ("html", "pdf", "lbf_approved_on", "lbf_recorded_by")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="approvals", verbose_name="helhedsplan")
    kind = models.CharField("dokument", max_length=20, choices=Kind.choices)
    sub_agreement = models.ForeignKey(SubAgreement, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="approvals", verbose_name="delaftale")
    focus_area = models.ForeignKey(FocusArea, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="approvals", verbose_name="indsatsområde")
    strategic_agreement = models.ForeignKey(StrategicAgreement, on_delete=models.SET_NULL, null=True, blank=True,
                                            related_name="approvals", verbose_name="samarbejdsaftale")
    budget = models.ForeignKey(Budget, on_delete=models.SET_NULL, null=True, blank=True, related_name="approvals",
                               verbose_name="budget")
    number = models.PositiveIntegerField("godkendt version nr.")
    document_version = models.PositiveIntegerField("dokumentets versionsnummer ved godkendelsen")
    title = models.CharField("titel", max_length=300)
    data = models.JSONField("godkendt indhold (JSON)")
    content_hash = models.CharField(
        "indholdets fingeraftryk", max_length=64, editable=False,
        help_text="SHA-256 af det godkendte indhold; dokumentet er godkendt, så længe dets indhold giver samme "
                  "fingeraftryk.",
    )
    meeting = models.ForeignKey(BoardMeeting, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="approvals", verbose_name="bestyrelsesmøde",
                                help_text="Mødet, hvis godkendelsen er registreret fra mødets dagsorden.")
    meeting_date = models.DateField("dato for bestyrelsesmødet")
    # A reference (»Referat af bestyrelsesmøde, pkt. 4«), or the whole referat of the meeting the
    # approval was recorded from.
    referat = models.TextField("referat", **text_rules(DOCUMENT_TEXT_LIMIT))
    approved_at = models.DateTimeField("godkendelsesdato", default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="godkendt af")
    approved_by_name = models.CharField("godkendt af (navn)", max_length=300)
    html = models.TextField("godkendt dokument (HTML)", blank=True, editable=False)
    pdf = models.FileField("PDF", upload_to="godkendelser/", max_length=300, blank=True, editable=False)
    requires_lbf_approval = models.BooleanField("kræver LBF-godkendelse", default=False)
    lbf_approved_on = models.DateField("LBF's godkendelsesdato", null=True, blank=True)
    lbf_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name="LBF-godkendelse registreret af")
    history = HistoricalRecords(excluded_fields=["pdf", "data", "html"], table_name="agreements_historicalapproval")

    class Meta:
        verbose_name = "godkendelse"
        verbose_name_plural = "godkendelser"
        db_table = "agreements_approval"  # the table predates the approvals app
        ordering = ["plan", "kind", "focus_area", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "focus_area", "number"], condition=Q(kind="delaftale"),
                                    name="approval_unique_subagreement_number"),
            models.UniqueConstraint(fields=["plan", "number"], condition=Q(kind="samarbejdsaftale"),
                                    name="approval_unique_strategic_number"),
            models.UniqueConstraint(fields=["plan", "number"], condition=Q(kind="budget"),
                                    name="approval_unique_budget_number"),
            models.CheckConstraint(
                condition=(Q(kind="delaftale", focus_area__isnull=False)
                           | Q(kind__in=["samarbejdsaftale", "budget"], focus_area__isnull=True)),
                name="approval_kind_matches_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} – godkendt {format_date(self.meeting_date)} (version {self.number})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            self._refuse_changes_to_frozen_fields()
        super().save(*args, **kwargs)

    # The URL names of each kind's approved version (``<prefix>_approval``, ``<prefix>_approval_pdf``).
    URL_PREFIXES = {"delaftale": "agreements:subagreement", "samarbejdsaftale": "agreements:strategic",
                    "budget": "budgets:budget"}

    def get_absolute_url(self) -> str:
        return reverse(f"{self.URL_PREFIXES[self.kind]}_approval", kwargs=self._url_kwargs())

    def delete(self, *args, **kwargs):
        raise ValidationError("En godkendelse kan ikke slettes.")

    def _refuse_changes_to_frozen_fields(self) -> None:
        stored = Approval.objects.filter(pk=self.pk).values().first()
        if stored is None:
            return
        for field in self._meta.concrete_fields:
            old = stored[field.attname]
            new = getattr(self, field.attname)
            if field.name in self.FILL_ONCE_FIELDS:
                if old not in (None, b"", "") and _normalise(old) != _normalise(new):
                    raise ValidationError(f"»{field.verbose_name}« er allerede udfyldt og kan ikke ændres.")
            elif _normalise(old) != _normalise(new):
                raise ValidationError("En godkendelse kan ikke ændres, når den er gemt.")

    @property
    def has_pdf(self) -> bool:
        return bool(self.pdf)

    @property
    def pdf_pending(self) -> bool:
        """Approved in the system, its PDF not rendered yet (the worker renders it from ``html``)."""
        return not self.pdf and bool(self.html)

    def read_pdf(self) -> bytes:
        """The stored PDF's bytes (from local files or the bucket)."""
        with self.pdf.storage.open(self.pdf.name, "rb") as handle:
            return handle.read()

    def _url_kwargs(self) -> dict:
        kwargs = {"slug": self.plan.slug, "number": self.number}
        if self.kind == self.Kind.SUBAGREEMENT:
            kwargs["area"] = self.focus_area.slug
        return kwargs

    def get_pdf_url(self) -> str:
        return reverse(f"{self.URL_PREFIXES[self.kind]}_approval_pdf", kwargs=self._url_kwargs())


def _normalise(value):
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


