"""Invitations to join a plan's team (sekretariat or bestyrelse)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from agreements.models import Plan, PlanMembership


class InvitationQuerySet(models.QuerySet):
    def open(self) -> InvitationQuerySet:
        """Neither accepted nor withdrawn (an open invitation may still have expired)."""
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)


class Invitation(models.Model):
    """An e-mail address invited to a plan with a role. Each sending gives a new link; only the newest
    link of an open invitation works, and only for ``services.INVITATION_VALID_FOR``."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="invitations", verbose_name="helhedsplan")
    email = models.EmailField("e-mail")
    role = models.CharField("rolle", max_length=20, choices=PlanMembership.Role.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="inviteret af")
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    sent_count = models.PositiveSmallIntegerField("gange sendt", default=0)
    last_sent_at = models.DateTimeField("senest sendt", null=True, blank=True)
    accepted_at = models.DateTimeField("taget imod", null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="taget imod af")
    withdrawn_at = models.DateTimeField("trukket tilbage", null=True, blank=True)
    history = HistoricalRecords()

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitationer"
        ordering = ["plan", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "email"], condition=Q(accepted_at__isnull=True,
                                                                          withdrawn_at__isnull=True),
                                    name="invitation_one_open_per_address"),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.plan} ({self.get_role_display()})"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None
