"""Notifications: what was said to whom, once per recipient and event, and how each user wants them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from agreements.models import Plan


class Kind(models.TextChoices):
    """What a notification is about; the value names its e-mail templates."""

    SUBMITTED = "submitted", "Sendt til bestyrelsen"
    RETURNED = "returned", "Sendt tilbage til kladde"
    APPROVED = "approved", "Godkendt af bestyrelsen"
    COMMENT = "comment", "Ny kommentar"
    EXPORT_READY = "export_ready", "LBF-udtræk klar"
    INVITATION = "invitation", "Invitation til en helhedsplan"
    REMINDER_FOLLOWUP = "reminder_followup", "Påmindelse: årets opfølgning"
    REMINDER_MILESTONE = "reminder_milestone", "Påmindelse: milepæle"
    REMINDER_WAITING = "reminder_waiting", "Påmindelse: dokumenter venter på bestyrelsen"
    REMINDER_PERIOD_END = "reminder_period_end", "Påmindelse: planperioden slutter"
    MEETING_AGENDA = "meeting_agenda", "Dagsorden til bestyrelsesmøde"


class Delivery(models.TextChoices):
    IMMEDIATE = "straks", "Med det samme"
    DAILY = "dagligt", "Samlet én gang om dagen"
    OFF = "fra", "Fra"


class Notification(models.Model):
    """One message to one recipient about one event. The unique constraints make sending idempotent:
    the same event told twice to the same recipient is one row, sent once."""

    Kind = Kind
    Delivery = Delivery

    class Status(models.TextChoices):
        PENDING = "afventer", "Afventer afsendelse"
        SENT = "sendt", "Sendt"
        FAILED = "fejlet", "Kunne ikke sendes"
        NOT_SENT = "ikke_sendt", "Ikke sendt (fravalgt)"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="notifications", verbose_name="modtager")
    email = models.EmailField("e-mail", blank=True,
                              help_text="Modtagerens adresse, når modtageren ikke har en bruger (invitationer).")
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    event_key = models.CharField("hændelse", max_length=200)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications",
                             verbose_name="helhedsplan")
    url = models.CharField("link", max_length=500)
    subject = models.CharField("emne", max_length=300)
    body_text = models.TextField("tekst")
    body_html = models.TextField("HTML")
    delivery = models.CharField("afsendelse", max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("forsøg", default=0)
    last_error = models.TextField("seneste fejl", blank=True)
    created_at = models.DateTimeField("oprettet", default=timezone.now)
    sent_at = models.DateTimeField("sendt", null=True, blank=True)
    read_at = models.DateTimeField("læst", null=True, blank=True)

    class Meta:
        verbose_name = "varsel"
        verbose_name_plural = "varsler"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "event_key"], condition=Q(user__isnull=False),
                                    name="notification_once_per_user"),
            models.UniqueConstraint(fields=["email", "kind", "event_key"], condition=Q(user__isnull=True),
                                    name="notification_once_per_address"),
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(email=""), name="notification_has_recipient"),
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["status", "delivery"], name="notification_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.user or self.email}"

    @property
    def waits_for_digest(self) -> bool:
        return self.status == self.Status.PENDING and self.delivery == Delivery.DAILY

    @property
    def recipient_address(self) -> str:
        return self.user.email if self.user_id else self.email


class NotificationPreference(models.Model):
    """How a user wants one kind of notification; without a row: at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences", verbose_name="bruger")
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    delivery = models.CharField("afsendelse", max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = "varslingsindstilling"
        verbose_name_plural = "varslingsindstillinger"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} – {self.get_delivery_display()}"


class AddressOptOut(models.Model):
    """An address without a user that asked for no more e-mails of a kind (invitations)."""

    email = models.EmailField("e-mail")
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField("tidspunkt", default=timezone.now)

    class Meta:
        verbose_name = "framelding"
        verbose_name_plural = "frameldinger"
        constraints = [models.UniqueConstraint(fields=["email", "kind"], name="optout_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.email}: {self.get_kind_display()}"
