"""What a user keeps about themselves beyond Django's user: a phone number."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from helhedsplan.validators import no_control_characters


class Profile(models.Model):
    """One per user, created the first time it is needed (``selectors.profile_for``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile",
                                verbose_name="bruger")
    phone = models.CharField("telefon", max_length=40, blank=True, validators=[no_control_characters])
    history = HistoricalRecords()

    class Meta:
        verbose_name = "profil"
        verbose_name_plural = "profiler"

    def __str__(self) -> str:
        return f"Profil for {self.user}"
