"""The plan and its agreements: the data behind LBF's strategic agreement and delaftaler.

Models hold data and small invariants; rules that span objects live in ``services.py``.
"""

from __future__ import annotations

import calendar
import secrets
import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from helhedsplan.formatting import MONTHS, format_date
from helhedsplan.validators import DOCUMENT_TEXT_LIMIT, NOTE_TEXT_LIMIT, no_control_characters, text_rules


class Pulje(models.Model):
    """A funding round of Landsbyggefonden (reference data)."""

    code = models.SlugField("kode", max_length=20, unique=True, help_text="F.eks. 2019-26")
    name = models.CharField("navn", max_length=100, validators=[no_control_characters])
    first_year = models.PositiveSmallIntegerField("første år")
    last_year = models.PositiveSmallIntegerField("sidste år")
    min_cofinancing_percent = models.DecimalField(
        "minimum lokal medfinansiering (%)", max_digits=5, decimal_places=1, default=25
    )
    default_length_years = models.PositiveSmallIntegerField("standardvarighed (år)", default=4)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "pulje"
        verbose_name_plural = "puljer"
        ordering = ["-first_year"]

    def __str__(self) -> str:
        return self.name


class PuljeText(models.Model):
    """A fixed text LBF writes into its samarbejdsaftale template for a pulje (reference data).

    The documents print it where the template has it, before the plan's own text; the plans never
    hold it themselves. A pulje without a text for a place prints only the plan's text there.
    """

    class Key(models.TextChoices):
        AGREEMENT_DOCUMENTS = "aftaledokumenter", "Aftaledokumenter"
        SECTION_3 = "afsnit_3", "3. Organisering – indledning"
        SECTION_5 = "afsnit_5", "5. Overordnede mål og indikatorer – indledning"
        SECTION_6 = "afsnit_6", "6. Indsatsområder – indledning"

    pulje = models.ForeignKey(Pulje, on_delete=models.CASCADE, related_name="texts", verbose_name="pulje")
    key = models.CharField("sted i samarbejdsaftalen", max_length=30, choices=Key.choices)
    text = models.TextField(
        "tekst", help_text="Afsnit adskilles af en tom linje; punkter begynder med »- «.",
        **text_rules(DOCUMENT_TEXT_LIMIT),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "standardtekst"
        verbose_name_plural = "standardtekster"
        ordering = ["pulje", "key"]
        constraints = [
            models.UniqueConstraint(fields=["pulje", "key"], name="puljetext_unique_key_per_pulje"),
        ]

    def __str__(self) -> str:
        return f"{self.pulje}: {self.get_key_display()}"


class FocusArea(models.Model):
    """An indsatsområde of a pulje, with LBF's overordnede mål (reference data)."""

    pulje = models.ForeignKey(Pulje, on_delete=models.PROTECT, related_name="focus_areas",
                              verbose_name="pulje")
    name = models.CharField("navn", max_length=200, validators=[no_control_characters])
    slug = models.SlugField("kortnavn", max_length=100)
    lbf_goal = models.TextField("LBF's overordnede mål", blank=True, **text_rules(DOCUMENT_TEXT_LIMIT))
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "indsatsområde"
        verbose_name_plural = "indsatsområder"
        ordering = ["pulje", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pulje", "name"], name="focusarea_unique_name_per_pulje"),
            models.UniqueConstraint(fields=["pulje", "slug"], name="focusarea_unique_slug_per_pulje"),
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A party or partner: boligorganisation, kommune/forvaltning, politi, forening …"""

    class Kind(models.TextChoices):
        HOUSING = "boligorganisation", "Boligorganisation"
        MUNICIPALITY = "kommune", "Kommune/forvaltning"
        POLICE = "politi", "Politi"
        ASSOCIATION = "forening", "Forening/NGO"
        COMPANY = "virksomhed", "Virksomhed"
        FOUNDATION = "fond", "Fond"
        EDUCATION = "uddannelse", "Uddannelsesinstitution"
        OTHER = "andet", "Andet"

    name = models.CharField("navn", max_length=200, unique=True, validators=[no_control_characters])
    short_name = models.CharField("kort navn", max_length=50, blank=True, validators=[no_control_characters])
    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    address = models.CharField("adresse", max_length=200, blank=True, validators=[no_control_characters])
    website = models.URLField("hjemmeside", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="oprettet af", editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisationer"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A kontaktperson at an organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts",
                                     verbose_name="organisation")
    name = models.CharField("navn", max_length=200, validators=[no_control_characters])
    title = models.CharField("funktion/titel", max_length=200, blank=True, validators=[no_control_characters])
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("telefon", max_length=40, blank=True, validators=[no_control_characters])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="oprettet af", editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kontaktperson"
        verbose_name_plural = "kontaktpersoner"
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="contact_unique_name_per_org"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class DocumentKind(models.TextChoices):
    """How a plan's documents are laid out: LBF's 2019-26 templates (samarbejdsaftale, delaftaler, budgetark)
    or a municipal contract about boligsocialt samarbejde (one contract per indsatsområde, as Copenhagen
    writes them)."""

    LBF = "lbf", "LBF-helhedsplan"
    CONTRACT = "kontrakt", "Kontrakt om boligsocialt samarbejde"


class Plan(models.Model):
    """A boligsocial helhedsplan (indsats) for one or more boligområder."""

    name = models.CharField("navn på indsatsen", max_length=200, validators=[no_control_characters])
    slug = models.SlugField("kortnavn (URL)", max_length=100, unique=True)
    area_name = models.CharField("områdets navn", max_length=300, blank=True, validators=[no_control_characters])
    pulje = models.ForeignKey(Pulje, on_delete=models.PROTECT, related_name="plans", verbose_name="pulje")
    start_date = models.DateField("gælder fra")
    end_date = models.DateField("gælder til")
    lbf_journal_number = models.CharField("LBF journalnummer", max_length=50, blank=True,
                                          validators=[no_control_characters])
    administrating_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="administered_plans",
        verbose_name="administrerende boligorganisation",
    )
    municipality = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="municipality_plans",
        verbose_name="kommune",
    )
    document_kind = models.CharField(
        "dokumenttype", max_length=20, choices=DocumentKind.choices, default=DocumentKind.LBF,
        help_text="Bestemmer, hvordan helhedsplanens dokumenter sættes op.",
    )
    beredskabsplan = models.TextField(
        "beredskabsplan", blank=True,
        help_text="Hvad sekretariatet og parterne gør ved uro, kriser og hændelser i boligområdet "
                  "(en side i den samlede plan).", **text_rules(DOCUMENT_TEXT_LIMIT),
    )
    public_page_enabled = models.BooleanField(
        "offentlig side", default=False,
        help_text="Vis en offentlig side uden login med indsatsområder og aktiviteter fra de godkendte delaftaler.",
    )
    public_intro = models.TextField("indledning på den offentlige side", blank=True, **text_rules(DOCUMENT_TEXT_LIMIT))
    followup_month = models.PositiveSmallIntegerField(
        "årlig opfølgning senest – måned", default=3,
        choices=[(number, name) for number, name in enumerate(MONTHS, start=1)],
    )
    followup_day = models.PositiveSmallIntegerField(
        "årlig opfølgning senest – dag", default=1, validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text="Fra denne dato hvert år minder Helhedsplan sekretariatet om indikatorer, der mangler årets værdi.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "helhedsplan"
        verbose_name_plural = "helhedsplaner"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="plan_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("agreements:plan_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "Slutdatoen skal ligge efter startdatoen."
        if self.followup_month and self.followup_day:
            # A day that exists in the month in some year (29 February is allowed: see followup_date).
            days = calendar.monthrange(2000, self.followup_month)[1]
            if self.followup_day > days:
                errors["followup_day"] = f"{MONTHS[self.followup_month - 1].capitalize()} har kun {days} dage."
        if errors:
            raise ValidationError(errors)

    def followup_date(self, year: int) -> date:
        """The day in ``year`` from which that year's indicator values are due (29 February is the 28th in
        a year without it)."""
        last_day = calendar.monthrange(year, self.followup_month)[1]
        return date(year, self.followup_month, min(self.followup_day, last_day))

    @property
    def is_contract(self) -> bool:
        """The plan prints as a Kontrakt om boligsocialt samarbejde."""
        return self.document_kind == DocumentKind.CONTRACT

    @property
    def period_display(self) -> str:
        return f"{format_date(self.start_date)} – {format_date(self.end_date)}"

    def contains_period(self, start: date | None, end: date | None) -> bool:
        """True when [start, end] lies inside the plan period."""
        if start is None or end is None:
            return True
        return self.start_date <= start and end <= self.end_date

    @property
    def years(self) -> list[int]:
        """The calendar years the plan period touches."""
        return list(range(self.start_date.year, self.end_date.year + 1))


class PlanFocusArea(models.Model):
    """An indsatsområde chosen by a plan, with its problemkompleks (section 6)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="plan_focus_areas",
                             verbose_name="helhedsplan")
    focus_area = models.ForeignKey(FocusArea, on_delete=models.PROTECT, related_name="plan_focus_areas",
                                   verbose_name="indsatsområde")
    problem_complex = models.TextField("problemkompleks", blank=True, **text_rules(DOCUMENT_TEXT_LIMIT))
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "valgt indsatsområde"
        verbose_name_plural = "valgte indsatsområder"
        ordering = ["plan", "order", "focus_area__order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "focus_area"], name="planfocusarea_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.focus_area}"

    def clean(self) -> None:
        if self.plan_id and self.focus_area_id and self.focus_area.pulje_id != self.plan.pulje_id:
            raise ValidationError(
                {"focus_area": "Indsatsområdet hører ikke til helhedsplanens pulje."}
            )


class HousingArea(models.Model):
    """A boligområde covered by the plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="housing_areas",
                             verbose_name="helhedsplan")
    name = models.CharField("navn", max_length=200, validators=[no_control_characters])
    description = models.TextField("beskrivelse", blank=True, **text_rules(NOTE_TEXT_LIMIT))
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "boligområde"
        verbose_name_plural = "boligområder"
        ordering = ["plan", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="housingarea_unique_name_per_plan"),
        ]

    def __str__(self) -> str:
        return self.name


class HousingDepartment(models.Model):
    """A boligafdeling: afdeling number of a boligorganisation inside a boligområde."""

    housing_area = models.ForeignKey(HousingArea, on_delete=models.CASCADE, related_name="departments",
                                     verbose_name="boligområde")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="departments",
                                     verbose_name="boligorganisation")
    number = models.CharField("afdelingsnummer", max_length=20, blank=True, validators=[no_control_characters])
    name = models.CharField("navn", max_length=200, blank=True, validators=[no_control_characters])
    history = HistoricalRecords()

    class Meta:
        verbose_name = "boligafdeling"
        verbose_name_plural = "boligafdelinger"
        ordering = ["housing_area", "organisation__name", "number"]
        constraints = [
            # Only a numbered afdeling is unique: sources list several afdelinger of one
            # organisation without a number (or with the number blacked out), each its own row.
            models.UniqueConstraint(fields=["housing_area", "organisation", "number"],
                                    condition=~models.Q(number=""), name="department_unique"),
        ]

    def __str__(self) -> str:
        label = f"afd. {self.number}, {self.organisation}" if self.number else str(self.organisation)
        if self.name:
            return f"{self.name} ({label})"
        return label if self.number else f"Afdeling uden navn ({label})"


class DocumentStatus(models.TextChoices):
    """Whether the secretariat has sent an agreement document to the bestyrelse.

    "Godkendt" is not stored: a document is approved exactly while its content equals its latest
    approval snapshot (``helhedsplan.approvals.state``).
    """

    DRAFT = "kladde", "Kladde"
    SUBMITTED = "til_behandling", "Til behandling i bestyrelsen"


class VersionedDocument(models.Model):
    """An agreement document with a workflow status and a version number for optimistic locking.

    ``version`` grows with every save; editors send back the version they loaded, and the locking
    service (``agreements.services.claim_version``) refuses a save against a newer version. A save
    that bypasses the service (the admin, scripts) still bumps the number so open editors notice.
    """

    status = models.CharField("sendt til bestyrelsen", max_length=20, choices=DocumentStatus.choices,
                              default=DocumentStatus.DRAFT)
    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk and not getattr(self, "_version_claimed", False):
            self.version = (self.version or 0) + 1
        self._version_claimed = False
        super().save(*args, **kwargs)


class StrategicAgreement(VersionedDocument):
    """The strategisk samarbejdsaftale (one per plan), sections 1–4, 7 and 8.

    Section 5 (mål og indikatorer) lives in ``indicators``; section 6 is each chosen indsatsområde's
    problemkompleks (``PlanFocusArea``).
    """

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="strategic_agreement",
                                verbose_name="helhedsplan")
    documents = models.TextField(
        "aftaledokumenter", blank=True,
        help_text="Planens egne dokumenter ud over dem, LBF's standardtekst for puljen nævner; ét pr. linje.",
        **text_rules(DOCUMENT_TEXT_LIMIT),
    )
    section_1_area = models.TextField("1. Kort om boligområdet", blank=True, **text_rules(DOCUMENT_TEXT_LIMIT))
    section_2_vision = models.TextField("2. Vision for boligområdet", blank=True, **text_rules(DOCUMENT_TEXT_LIMIT))
    section_3_organisation = models.TextField("3. Organisering", blank=True, **text_rules(DOCUMENT_TEXT_LIMIT))
    section_4_interplay = models.TextField(
        "4. Samspil med centrale tiltag og indsatser i boligområdet", blank=True, **text_rules(DOCUMENT_TEXT_LIMIT),
    )
    section_7_evaluation = models.TextField("7. Lokal evaluering", blank=True, **text_rules(DOCUMENT_TEXT_LIMIT))
    section_8_revision = models.TextField("8. Revision af samarbejdsaftalen", blank=True,
                                          **text_rules(DOCUMENT_TEXT_LIMIT))
    # A contract's cover: its date and who issued it (printed when the plan is a contract).
    contract_date = models.DateField("kontraktens dato", null=True, blank=True)
    contract_issuer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="issued_contracts",
        verbose_name="udsteder", help_text="F.eks. kommunen, der har udarbejdet kontrakten.",
    )
    contract_issuer_department = models.CharField(
        "udstedende forvaltning/afdeling", max_length=200, blank=True, validators=[no_control_characters],
        help_text="F.eks. Teknik- og Miljøforvaltningen.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "strategisk samarbejdsaftale"
        verbose_name_plural = "strategiske samarbejdsaftaler"

    def __str__(self) -> str:
        return f"Strategisk samarbejdsaftale – {self.plan}"

    @property
    def document_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.documents.splitlines() if line.strip(" -•\t")]


class AgreementParty(models.Model):
    """A part of the strategic agreement with its signatory (Underskrifter)."""

    agreement = models.ForeignKey(StrategicAgreement, on_delete=models.CASCADE, related_name="parties",
                                  verbose_name="samarbejdsaftale")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="agreement_parties",
                                     verbose_name="organisation")
    role = models.CharField("rolle", max_length=200, blank=True, validators=[no_control_characters])
    signatory_name = models.CharField("underskriver", max_length=200, blank=True, validators=[no_control_characters])
    signatory_title = models.CharField("underskrivers titel", max_length=200, blank=True,
                                       validators=[no_control_characters])
    signed_date = models.DateField("dato for underskrift", null=True, blank=True)
    contacts = models.ManyToManyField(Contact, through="AgreementPartyContact", blank=True,
                                      related_name="agreement_parties", verbose_name="kontaktpersoner")
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "aftalepart"
        verbose_name_plural = "aftalens parter"
        ordering = ["agreement", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="agreementparty_unique"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def contact_list(self) -> list[Contact]:
        """The party's contact persons in the order they were entered."""
        return [link.contact for link in self.contact_links.all()]


class SubAgreement(VersionedDocument):
    """A delaftale: one per chosen indsatsområde of a plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sub_agreements",
                             verbose_name="helhedsplan")
    focus_area = models.ForeignKey(FocusArea, on_delete=models.PROTECT, related_name="sub_agreements",
                                   verbose_name="indsatsområde")
    initiative_name = models.CharField("navn på den boligsociale indsats", max_length=300, blank=True,
                                       validators=[no_control_characters])
    start_date = models.DateField("gælder fra")
    end_date = models.DateField("gælder til")
    municipal_coherence = models.TextField("sammenhæng med den kommunale indsats i boligområdet", blank=True,
                                           **text_rules(DOCUMENT_TEXT_LIMIT))
    conflict_handling = models.TextField("konflikthåndtering og underretning", blank=True,
                                         **text_rules(DOCUMENT_TEXT_LIMIT))
    revision = models.TextField("revision af delaftalen", blank=True, **text_rules(DOCUMENT_TEXT_LIMIT))
    # A contract has no budgetark: it states the economic frame of the indsatsområde instead.
    economic_frame_amount = models.PositiveBigIntegerField(
        "samlet økonomisk ramme (kr.)", null=True, blank=True,
        help_text="I hele kroner. Tom, hvis rammen kun er beskrevet i teksten.",
    )
    economic_frame = models.TextField("indsatsområdets samlede økonomiske ramme", blank=True,
                                      **text_rules(DOCUMENT_TEXT_LIMIT))
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "delaftale"
        verbose_name_plural = "delaftaler"
        ordering = ["plan", "order", "focus_area__order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "focus_area"], name="subagreement_one_per_focus_area",
                                    violation_error_message="Der findes allerede en delaftale for dette "
                                                            "indsatsområde i helhedsplanen."),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")),
                                   name="subagreement_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"Delaftale for indsatsområdet {self.focus_area}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:subagreement_detail",
                       kwargs={"slug": self.plan.slug, "area": self.focus_area.slug})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "Slutdatoen skal ligge efter startdatoen."
        if self.plan_id:
            plan = self.plan
            if self.start_date and not (plan.start_date <= self.start_date <= plan.end_date):
                errors["start_date"] = (
                    f"Delaftalens startdato skal ligge inden for helhedsplanens periode "
                    f"({plan.period_display})."
                )
            if self.end_date and not (plan.start_date <= self.end_date <= plan.end_date):
                errors["end_date"] = (
                    f"Delaftalens slutdato skal ligge inden for helhedsplanens periode "
                    f"({plan.period_display})."
                )
            if self.focus_area_id:
                if self.focus_area.pulje_id != plan.pulje_id:
                    errors["focus_area"] = "Indsatsområdet hører ikke til helhedsplanens pulje."
                elif not plan.plan_focus_areas.filter(focus_area_id=self.focus_area_id).exists():
                    errors["focus_area"] = "Indsatsområdet er ikke valgt i helhedsplanen."
        if errors:
            raise ValidationError(errors)


class SubAgreementParty(models.Model):
    """A party of a delaftale: organisation/function responsible locally, with its contact persons."""

    sub_agreement = models.ForeignKey(SubAgreement, on_delete=models.CASCADE, related_name="parties",
                                      verbose_name="delaftale")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="sub_agreement_parties", verbose_name="organisation")
    contacts = models.ManyToManyField(Contact, through="SubAgreementPartyContact", blank=True,
                                      related_name="sub_agreement_parties", verbose_name="kontaktpersoner")
    role = models.CharField("rolle/funktion", max_length=300, blank=True, validators=[no_control_characters])
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "delaftalepart"
        verbose_name_plural = "delaftalens parter"
        ordering = ["sub_agreement", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sub_agreement", "organisation"], name="subagreementparty_unique"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def contact_list(self) -> list[Contact]:
        """The party's contact persons in the order they were entered."""
        return [link.contact for link in self.contact_links.all()]


class PartyContactLink(models.Model):
    """A contact person of a party, in the order the contact persons were entered.

    The contact person must work for the party's organisation."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+", verbose_name="kontaktperson")
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.contact)

    def clean(self) -> None:
        if self.contact_id and self.party_id and self.contact.organisation_id != self.party.organisation_id:
            raise ValidationError({"contact": f"Kontaktpersonen {self.contact.name} hører ikke til "
                                              f"organisationen {self.party.organisation}."})


class SubAgreementPartyContact(PartyContactLink):
    """A contact person of a delaftale's party."""

    party = models.ForeignKey(SubAgreementParty, on_delete=models.CASCADE, related_name="contact_links",
                              verbose_name="delaftalepart")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kontaktperson for delaftalepart"
        verbose_name_plural = "kontaktpersoner for delaftalepart"
        ordering = ["party", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["party", "contact"], name="subagreementpartycontact_unique"),
        ]


class AgreementPartyContact(PartyContactLink):
    """A contact person of a party of the strategic agreement."""

    party = models.ForeignKey(AgreementParty, on_delete=models.CASCADE, related_name="contact_links",
                              verbose_name="aftalepart")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kontaktperson for aftalepart"
        verbose_name_plural = "kontaktpersoner for aftalepart"
        ordering = ["party", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["party", "contact"], name="agreementpartycontact_unique"),
        ]


class Activity(models.Model):
    """An aktivitet of a delaftale: one LBF skema."""

    sub_agreement = models.ForeignKey(SubAgreement, on_delete=models.CASCADE, related_name="activities",
                                      verbose_name="delaftale")
    name = models.CharField("aktivitetsnavn", max_length=300, validators=[no_control_characters])
    short_description = models.CharField(
        "kort beskrivelse", max_length=300, blank=True, validators=[no_control_characters],
        help_text="Én linje, som står efter aktivitetens navn i delaftalens liste over aktiviteter.",
    )
    purpose = models.TextField("formål", blank=True, **text_rules(DOCUMENT_TEXT_LIMIT))
    target_group = models.TextField("målgruppe(r)", blank=True, **text_rules(DOCUMENT_TEXT_LIMIT))
    content = models.TextField("indhold og praksis", blank=True, **text_rules(DOCUMENT_TEXT_LIMIT))
    anchoring = models.TextField("forankring", blank=True, **text_rules(DOCUMENT_TEXT_LIMIT))
    responsibilities = models.TextField("ansvars- og rollefordeling", blank=True, **text_rules(DOCUMENT_TEXT_LIMIT))
    locations = models.TextField("lokaliteter", blank=True, **text_rules(DOCUMENT_TEXT_LIMIT))
    housing_areas = models.ManyToManyField(HousingArea, blank=True, related_name="activities",
                                           verbose_name="boligområder")
    responsible_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="responsible_for_activities",
        verbose_name="ansvarlige organisationer",
    )
    contacts = models.ManyToManyField(Contact, blank=True, related_name="activities",
                                      verbose_name="kontaktpersoner")
    municipal_cofinancing = models.BooleanField("del af den kommunale medfinansiering", default=False)
    revision = models.TextField("revision af aftalen", blank=True, help_text="Hvem reviderer aftalen om aktiviteten.",
                                **text_rules(DOCUMENT_TEXT_LIMIT))
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)
    history = HistoricalRecords(m2m_fields=[housing_areas, responsible_organisations, contacts])

    class Meta:
        verbose_name = "aktivitet"
        verbose_name_plural = "aktiviteter"
        ordering = ["sub_agreement", "order", "id"]

    def __str__(self) -> str:
        return self.name


class StaffResource(models.Model):
    """A medarbejderressource of a delaftale: function, share and who pays."""

    sub_agreement = models.ForeignKey(SubAgreement, on_delete=models.CASCADE, related_name="staff_resources",
                                      verbose_name="delaftale")
    function = models.CharField("funktion", max_length=200, validators=[no_control_characters])
    percent = models.DecimalField(
        "andel (%)", max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    hours_per_week = models.DecimalField(
        "timer pr. uge", max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(80)],
    )
    financed_by = models.CharField("finansieret af", max_length=200, blank=True, validators=[no_control_characters])
    financed_by_plan = models.BooleanField(
        "finansieret af helhedsplanens budget", default=True,
        help_text="Skal modsvares af en budgetlinje i indsatsområdets budget.",
    )
    note = models.TextField("bemærkning", blank=True, **text_rules(NOTE_TEXT_LIMIT))
    contacts = models.ManyToManyField(Contact, blank=True, related_name="staff_resources",
                                      verbose_name="kontaktpersoner")
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)
    history = HistoricalRecords(m2m_fields=[contacts])

    class Meta:
        verbose_name = "medarbejderressource"
        verbose_name_plural = "medarbejderressourcer"
        ordering = ["sub_agreement", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | (Q(percent__gte=0) & Q(percent__lte=100)),
                name="staffresource_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.function} ({self.share_display})"

    def clean(self) -> None:
        if self.percent is not None and self.hours_per_week is not None:
            raise ValidationError({"hours_per_week": "Angiv enten andel i procent eller timer pr. uge, ikke begge."})

    @property
    def share_display(self) -> str:
        from helhedsplan.formatting import format_number

        if self.percent is not None:
            return f"{format_number(self.percent)} %"
        if self.hours_per_week is not None:
            return f"{format_number(self.hours_per_week)} timer/uge"
        return ""


# The folder (storage prefix) of the plans' attachments: ``bilag/<plan id>/<random>.<png|jpg|pdf>``.
ATTACHMENT_DIR = "bilag"
ATTACHMENT_SUFFIXES = {"image/png": "png", "image/jpeg": "jpg", "application/pdf": "pdf"}


def attachment_upload_name(instance: Attachment, filename: str) -> str:
    """A new, unguessable name (never the user's file name); the suffix follows the checked content type."""
    suffix = ATTACHMENT_SUFFIXES.get(instance.content_type, "bin")
    return f"{ATTACHMENT_DIR}/{instance.plan_id}/{secrets.token_hex(16)}.{suffix}"


class Attachment(models.Model):
    """A file attached to the plan or to one of its delaftaler: an organisationsdiagram (PNG or JPEG, printed
    in section 3 of the samarbejdsaftale) or a bilag (PDF, appended to the samlet plan).

    Written only by ``agreements.attachments``, which checks the content first. The file lies in the default
    storage; ``sha256`` is the digest of its bytes and is part of the approval snapshot, so a replaced file
    un-approves the document it belongs to.
    """

    class Kind(models.TextChoices):
        ORGANISATION_DIAGRAM = "organisationsdiagram", "Organisationsdiagram"
        APPENDIX = "bilag", "Bilag"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="attachments", verbose_name="helhedsplan")
    sub_agreement = models.ForeignKey(SubAgreement, on_delete=models.CASCADE, null=True, blank=True,
                                      related_name="attachments", verbose_name="delaftale",
                                      help_text="Tom, hvis filen hører til hele helhedsplanen.")
    kind = models.CharField("type", max_length=30, choices=Kind.choices, default=Kind.APPENDIX)
    title = models.CharField("titel", max_length=200, validators=[no_control_characters])
    file = models.FileField("fil", upload_to=attachment_upload_name, max_length=300)
    file_name = models.CharField("oprindeligt filnavn", max_length=255, blank=True,
                                 validators=[no_control_characters])
    content_type = models.CharField("indholdstype", max_length=50,
                                    choices=[(key, key) for key in ATTACHMENT_SUFFIXES])
    size = models.PositiveBigIntegerField("størrelse (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="uploadet af")
    uploaded_at = models.DateTimeField("uploadet", default=timezone.now)
    order = models.PositiveSmallIntegerField("rækkefølge", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bilag"
        verbose_name_plural = "bilag"
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_image(self) -> bool:
        return self.content_type in ("image/png", "image/jpeg")

    @property
    def download_name(self) -> str:
        """The file name a download gets: the title with the content's suffix."""
        stem = "".join(char for char in self.title if char not in '\\/:*?"<>|').strip() or "bilag"
        return f"{stem}.{ATTACHMENT_SUFFIXES.get(self.content_type, 'bin')}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.sub_agreement_id and self.plan_id and self.sub_agreement.plan_id != self.plan_id:
            errors["sub_agreement"] = "Delaftalen hører ikke til helhedsplanen."
        if self.kind == self.Kind.ORGANISATION_DIAGRAM:
            if self.content_type and not self.is_image:
                errors["file"] = "Et organisationsdiagram skal være et billede (PNG eller JPEG)."
            if self.sub_agreement_id:
                errors["sub_agreement"] = ("Organisationsdiagrammet hører til samarbejdsaftalens afsnit 3 "
                                           "og dermed til hele helhedsplanen.")
        elif self.content_type and self.content_type != "application/pdf":
            errors["file"] = "Et bilag skal være en PDF-fil (et billede uploades som organisationsdiagram)."
        if errors:
            raise ValidationError(errors)


class Clause(models.Model):
    """An eksempelklausul: a reusable text for a delaftale field."""

    class Category(models.TextChoices):
        MUNICIPAL = "sammenhaeng", "Sammenhæng med den kommunale indsats"
        CONFLICT = "konflikt", "Konflikthåndtering og underretning"
        REVISION = "revision", "Revision af delaftalen"
        OTHER = "andet", "Andet"

    category = models.CharField("kategori", max_length=20, choices=Category.choices)
    title = models.CharField("titel", max_length=200, validators=[no_control_characters])
    text = models.TextField("tekst", **text_rules(DOCUMENT_TEXT_LIMIT))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   verbose_name="oprettet af")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "eksempelklausul"
        verbose_name_plural = "eksempelklausuler"
        ordering = ["category", "title"]
        constraints = [
            models.UniqueConstraint(fields=["category", "title"], name="clause_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanMembership(models.Model):
    """Who works on a plan, and as what."""

    class Role(models.TextChoices):
        SECRETARIAT = "sekretariat", "Sekretariat"
        BOARD = "bestyrelse", "Bestyrelse"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="plan_memberships", verbose_name="bruger")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name="helhedsplan")
    role = models.CharField("rolle", max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "medlemskab"
        verbose_name_plural = "medlemskaber"
        constraints = [
            models.UniqueConstraint(fields=["user", "plan"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.plan} ({self.get_role_display()})"


class Comment(models.Model):
    """A comment of a bestyrelse or secretariat member on a delaftale or the strategic agreement."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments", verbose_name="helhedsplan")
    sub_agreement = models.ForeignKey(SubAgreement, on_delete=models.CASCADE, null=True, blank=True,
                                      related_name="comments", verbose_name="delaftale")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name="skrevet af")
    text = models.TextField("kommentar", **text_rules(NOTE_TEXT_LIMIT))
    created_at = models.DateTimeField("tidspunkt", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kommentar"
        verbose_name_plural = "kommentarer"
        ordering = ["plan", "-created_at"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"


class Milestone(models.Model):
    """A milepæl of the plan's milepælsplan: what is to be reached by when, and whether it was."""

    class Status(models.TextChoices):
        PLANNED = "planlagt", "Planlagt"
        IN_PROGRESS = "i_gang", "I gang"
        DONE = "naaet", "Nået"
        POSTPONED = "udskudt", "Udskudt"
        CANCELLED = "opgivet", "Opgivet"

    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS, Status.POSTPONED)

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="milestones", verbose_name="helhedsplan")
    title = models.CharField("milepæl", max_length=300, validators=[no_control_characters])
    focus_area = models.ForeignKey(FocusArea, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="milestones", verbose_name="indsatsområde",
                                   help_text="Tom, hvis milepælen gælder hele helhedsplanen.")
    due_date = models.DateField("frist")
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.PLANNED)
    done_date = models.DateField("nået den", null=True, blank=True)
    note = models.TextField("bemærkning", blank=True, **text_rules(NOTE_TEXT_LIMIT))
    history = HistoricalRecords()

    class Meta:
        verbose_name = "milepæl"
        verbose_name_plural = "milepæle"
        ordering = ["plan", "due_date", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({format_date(self.due_date)})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.status == self.Status.DONE and self.done_date is None:
            errors["done_date"] = "Angiv datoen, hvor milepælen blev nået."
        if self.status != self.Status.DONE and self.done_date is not None:
            errors["done_date"] = "Datoen for »nået« udfyldes kun, når status er »Nået«."
        if self.done_date and self.done_date > timezone.localdate():
            errors["done_date"] = "Milepælen kan ikke være nået i fremtiden."
        if self.plan_id and self.due_date and not (self.plan.start_date <= self.due_date <= self.plan.end_date):
            errors["due_date"] = f"Fristen skal ligge inden for helhedsplanens periode ({self.plan.period_display})."
        if self.plan_id and self.focus_area_id and not PlanFocusArea.objects.filter(
                plan_id=self.plan_id, focus_area_id=self.focus_area_id).exists():
            errors["focus_area"] = "Indsatsområdet er ikke valgt i helhedsplanen."
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()


class Revision(models.Model):
    """A token that changes whenever the data behind one plan (``plan:<id>``) or the data shared by all
    plans (``global``) changes. Cache keys include it, so a cached page can never outlive its data.
    Written by ``agreements.revisions`` only; infrastructure, not user data (no history)."""

    key = models.CharField("nøgle", max_length=40, unique=True, validators=[no_control_characters])
    token = models.UUIDField("token", default=uuid.uuid4)

    class Meta:
        verbose_name = "revision"
        verbose_name_plural = "revisioner"

    def __str__(self) -> str:
        return f"{self.key}: {self.token}"
