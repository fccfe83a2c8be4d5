"""The budgetark: one budget per plan, its lines (udgiftsposter) and numbered footnotes.

Amounts are whole thousands of kroner (t.kr.), integers, exactly as LBF's budgetark demands.
Calculations (sums, balance, medfinansiering %) live in ``calculations``/``selectors``; rules that
span objects in ``checks``; writes in ``services``. Models hold data and small invariants.
"""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from agreements.models import FocusArea, Plan, StaffResource, VersionedDocument
from helhedsplan.validators import NOTE_TEXT_LIMIT, no_control_characters, text_rules

from .calculations import (
    COFINANCING_FIELDS,
    FINANCING_FIELDS,
    FOOTNOTE_IN_NAME_RE,
    normalise_amounts,
    normalise_footnote_ref,
    split_footnote_ref,
)


class ExpenseType(models.Model):
    """An udgiftstype 0–9 of the tværgående administrationsudgifter (reference data)."""

    code = models.PositiveSmallIntegerField("nummer", unique=True)
    name = models.CharField("navn", max_length=100, validators=[no_control_characters])
    description = models.TextField("beskrivelse", blank=True, **text_rules(NOTE_TEXT_LIMIT))
    history = HistoricalRecords()

    class Meta:
        verbose_name = "udgiftstype"
        verbose_name_plural = "udgiftstyper"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """As LBF's sheet writes it: ``1. Administrativ bistand fra boligorg.``"""
        return f"{self.code}. {self.name}"


class Budget(VersionedDocument):
    """The budgetark of a plan; its years are the calendar years the plan period touches.

    Like the agreement documents it goes to the bestyrelse (``status``) and carries a ``version`` for
    optimistic locking: every change of a line or footnote moves the version on (``signals``), so an
    editor opened before the change cannot silently overwrite it.
    """

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="budget", verbose_name="helhedsplan")
    source_name = models.CharField("senest indlæst fra", max_length=255, blank=True,
                                   help_text="Filnavnet på det senest indlæste budgetark.",
                                   validators=[no_control_characters])
    updated_at = models.DateTimeField("senest ændret", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "budget"
        verbose_name_plural = "budgetter"
        ordering = ["plan__name"]

    # How a refused save names the budget (``agreements.services.VersionConflict``).
    conflict_name = ("Budgettet", "det")

    def __str__(self) -> str:
        return f"Budget for {self.plan}"

    @property
    def years(self) -> list[int]:
        return self.plan.years

    def get_absolute_url(self) -> str:
        return reverse("budgets:sheet", kwargs={"slug": self.plan.slug})


class BudgetFootnote(models.Model):
    """A numbered footnote of the budgetark (``12) Medarbejderens tid fordeles …``)."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="footnotes", verbose_name="budget")
    number = models.CharField("nummer", max_length=10, help_text="F.eks. 12 eller 17b.",
                              validators=[no_control_characters])
    text = models.TextField("tekst", blank=True, **text_rules(NOTE_TEXT_LIMIT))
    order = models.PositiveIntegerField("rækkefølge", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "fodnote"
        verbose_name_plural = "fodnoter"
        ordering = ["budget", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "number"], name="budgetfootnote_unique_number",
                                    violation_error_message="Budgettet har allerede en fodnote med dette nummer."),
        ]

    def __str__(self) -> str:
        return f"{self.number}) {self.text[:60]}"

    def clean(self) -> None:
        number = (self.number or "").strip().lower()
        if not number or split_footnote_ref(number) != [number]:
            raise ValidationError({"number": "Et fodnotenummer er et tal, evt. med et bogstav (f.eks. 12 eller 17b)."})
        self.number = number
        self.text = (self.text or "").replace("\r\n", "\n").strip()


class BudgetLine(models.Model):
    """An udgiftspost: one row of the budgetark."""

    class Section(models.TextChoices):
        CROSS_CUTTING = "tvaergaaende", "Tværgående administrationsudgifter"
        FOCUS_AREA = "indsatsomraade", "Indsatsområde"
        LOCAL_EVALUATION = "lokal_evaluering", "Lokal evaluering"

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines", verbose_name="budget")
    section = models.CharField("afsnit", max_length=20, choices=Section.choices)
    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.PROTECT, null=True, blank=True, related_name="budget_lines",
        verbose_name="indsatsområde", help_text="Kun for afsnittet Indsatsområde.",
    )
    name = models.CharField("udgiftspost", max_length=300, validators=[no_control_characters])
    expense_type = models.ForeignKey(
        ExpenseType, on_delete=models.PROTECT, null=True, blank=True, related_name="lines",
        verbose_name="udgiftstype", help_text="Kun for tværgående administrationsudgifter.",
    )
    description = models.CharField(
        "beskrivelse", max_length=300, blank=True,
        help_text="Tekst i budgetarkets anden kolonne for indsatsområder (f.eks. »Andel af projektlederløn«).",
        validators=[no_control_characters],
    )
    footnote = models.CharField(
        "fodnote(r)", max_length=50, blank=True,
        help_text="Fodnotenummer som i budgetarket, f.eks. 12, 17b eller 11 + 12.", validators=[no_control_characters],
    )
    order = models.PositiveIntegerField("rækkefølge", default=0)
    amounts = models.JSONField("beløb pr. år (t.kr.)", default=dict, blank=True,
                               help_text="År → hele tusinde kroner; år uden beløb udelades.")
    lbf = models.PositiveIntegerField("LBF", default=0)
    bo_cash = models.PositiveIntegerField("medfinansiering boligorganisation(er), kontant", default=0)
    bo_hours = models.PositiveIntegerField("medfinansiering boligorganisation(er), timer og lokaler", default=0)
    kom_cash = models.PositiveIntegerField("medfinansiering kommune, kontant", default=0)
    kom_hours = models.PositiveIntegerField("medfinansiering kommune, timer og lokaler", default=0)
    other = models.PositiveIntegerField("evt. anden lokal medfinansiering", default=0)
    staff_resources = models.ManyToManyField(
        StaffResource, blank=True, related_name="budget_lines", verbose_name="medarbejderressourcer",
        help_text="Delaftalernes medarbejderressourcer, som lønnes af denne udgiftspost.",
    )
    history = HistoricalRecords(m2m_fields=[staff_resources])

    class Meta:
        verbose_name = "udgiftspost"
        verbose_name_plural = "udgiftsposter"
        ordering = ["budget", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(section="indsatsomraade", focus_area__isnull=False)
                           | (~Q(section="indsatsomraade") & Q(focus_area__isnull=True))),
                name="budgetline_focus_area_iff_section",
                violation_error_message="Vælg et indsatsområde for afsnittet Indsatsområde – og kun dér.",
            ),
            models.CheckConstraint(
                condition=Q(expense_type__isnull=True) | Q(section="tvaergaaende"),
                name="budgetline_expense_type_only_cross_cutting",
                violation_error_message="Udgiftstype bruges kun ved tværgående administrationsudgifter.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def section_label(self) -> str:
        if self.section == self.Section.FOCUS_AREA and self.focus_area_id:
            return self.focus_area.name
        return self.get_section_display()

    @property
    def footnote_numbers(self) -> list[str]:
        return split_footnote_ref(self.footnote)

    @property
    def total(self) -> int:
        return sum(self.amounts.values())

    @property
    def financing_total(self) -> int:
        return sum(getattr(self, name) for name in FINANCING_FIELDS)

    @property
    def cofinancing(self) -> int:
        return sum(getattr(self, name) for name in COFINANCING_FIELDS)

    def amount(self, year: int) -> int:
        return self.amounts.get(str(year), 0)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.name = " ".join((self.name or "").split())
        self.description = " ".join((self.description or "").split())
        if self.description and self.section == self.Section.CROSS_CUTTING:
            errors["description"] = "Tværgående udgiftsposter har en udgiftstype i stedet for en beskrivelse."
        if FOOTNOTE_IN_NAME_RE.search(self.name):
            errors["name"] = "Skriv fodnotens nummer i feltet »fodnote(r)«, ikke i navnet."
        if self.section == self.Section.FOCUS_AREA:
            if not self.focus_area_id:
                errors["focus_area"] = "Vælg indsatsområdet for udgiftsposten."
            elif self.budget_id and self.focus_area.pulje_id != self.budget.plan.pulje_id:
                errors["focus_area"] = "Indsatsområdet hører ikke til helhedsplanens pulje."
        elif self.focus_area_id:
            errors["focus_area"] = "Indsatsområde angives kun for afsnittet Indsatsområde."
        if self.expense_type_id and self.section != self.Section.CROSS_CUTTING:
            errors["expense_type"] = "Udgiftstype bruges kun ved tværgående administrationsudgifter."
        try:
            self.footnote = normalise_footnote_ref(self.footnote)
        except ValueError as exc:
            errors["footnote"] = str(exc)
        try:
            self.amounts = normalise_amounts(self.amounts)
        except ValueError as exc:
            errors["amounts"] = str(exc)
        if errors:
            raise ValidationError(errors)


# The folder (storage prefix) of uploaded budgetark waiting for their preview to be confirmed.
PENDING_UPLOAD_DIR = "budgetark-indlaesninger"


def pending_upload_name(instance: PendingBudgetImport | None, filename: str) -> str:
    """A new, unguessable name in PENDING_UPLOAD_DIR (never the user's file name, which is kept apart)."""
    return f"{PENDING_UPLOAD_DIR}/{secrets.token_hex(16)}.xlsx"


class PendingBudgetImport(models.Model):
    """An uploaded budgetark kept between the preview and the confirmation.

    Not user-edited (no history): it is created by an upload, read by the preview and deleted on
    confirmation or cancellation; stale ones are removed after a day. The file lies in the default
    storage (local files or the S3 bucket, so any app server can show and confirm it) under a name of
    its own; ``sha256`` is the digest of the uploaded bytes, so that what is confirmed is exactly what
    was previewed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="pending_budget_imports",
                             verbose_name="helhedsplan")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name="bruger")
    file_name = models.CharField("filnavn", max_length=255, validators=[no_control_characters])
    file = models.FileField("fil", upload_to=pending_upload_name, max_length=300, editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    created_at = models.DateTimeField("oprettet", auto_now_add=True)

    class Meta:
        verbose_name = "afventende budgetindlæsning"
        verbose_name_plural = "afventende budgetindlæsninger"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.plan})"


# --- Actuals (forbrug) ---------------------------------------------------------------------------------
# Amounts spent and medfinansiering realised, in thousands of kroner like the budget, but with one
# decimal (100 kr.), since accounts are kept in kroner and rounding every line to whole thousands would
# lose more than the differences the follow-up is about.

ACTUAL_FIELDS: tuple[str, ...] = ("spent", "bo_cash", "bo_hours", "kom_cash", "kom_hours", "other")
ACTUAL_COFINANCING_FIELDS: tuple[str, ...] = ACTUAL_FIELDS[1:]
ACTUAL_LABELS: dict[str, str] = {
    "spent": "Forbrug",
    "bo_cash": "Medfinansiering boligorganisation(er), kontant",
    "bo_hours": "Medfinansiering boligorganisation(er), timer og lokaler",
    "kom_cash": "Medfinansiering kommune, kontant",
    "kom_hours": "Medfinansiering kommune, timer og lokaler",
    "other": "Evt. anden lokal medfinansiering",
}


def _amount_field(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=12, decimal_places=1, default=0,
                               validators=[MinValueValidator(0)], help_text="Tusinde kroner (t.kr.), én decimal.")


class ActualYear(models.Model):
    """A regnskabsår of a budget: whether it is closed, and the version its editors lock on.

    ``version`` grows with every save of the year's actuals (browser or import); an editor sends back
    the version it was opened with and a save against a newer one is refused. A closed year's actuals
    change only with a note, kept as the history's change reason.
    """

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="actual_years", verbose_name="budget")
    year = models.PositiveSmallIntegerField("år")
    closed = models.BooleanField("regnskabsår afsluttet", default=False)
    version = models.PositiveIntegerField("version", default=1, editable=False)
    updated_at = models.DateTimeField("senest ændret", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "regnskabsår"
        verbose_name_plural = "regnskabsår"
        ordering = ["budget", "year"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "year"], name="actualyear_unique_year",
                                    violation_error_message="Budgettet har allerede dette regnskabsår."),
        ]

    def __str__(self) -> str:
        return f"Regnskabsår {self.year}" + (" (afsluttet)" if self.closed else "")


class Actual(models.Model):
    """Forbrug and realised medfinansiering of one udgiftspost in one year (t.kr., one decimal)."""

    # PROTECT: deleting a line never deletes its forbrug (the services refuse it with a message first).
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="actuals", verbose_name="udgiftspost")
    year = models.PositiveSmallIntegerField("år")
    spent = _amount_field("forbrug")
    bo_cash = _amount_field("realiseret medfinansiering boligorganisation(er), kontant")
    bo_hours = _amount_field("realiseret medfinansiering boligorganisation(er), timer og lokaler")
    kom_cash = _amount_field("realiseret medfinansiering kommune, kontant")
    kom_hours = _amount_field("realiseret medfinansiering kommune, timer og lokaler")
    other = _amount_field("realiseret anden lokal medfinansiering")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "forbrug"
        verbose_name_plural = "forbrug"
        ordering = ["line", "year"]
        constraints = [
            models.UniqueConstraint(fields=["line", "year"], name="actual_unique_line_year",
                                    violation_error_message="Udgiftsposten har allerede forbrug for dette år."),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.year}"

    @property
    def cofinancing(self):
        return sum(getattr(self, name) for name in ACTUAL_COFINANCING_FIELDS)

    def values(self) -> dict[str, Decimal]:
        return {name: getattr(self, name) for name in ACTUAL_FIELDS}
def budget_touch(budget_id: int | None) -> None:
    """The budget's content changed: move its version on (a queryset update: no history entry of its own)."""
    if budget_id is not None:
        Budget.objects.filter(pk=budget_id).update(version=F("version") + 1)
