"""Writes about a user's own account."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Profile
from .selectors import profile_for, users_with_email

EMAIL_TAKEN = "En anden bruger har allerede denne e-mailadresse."


def check_email_free(email: str, *, except_user: AbstractBaseUser | None = None) -> None:
    """Raise ValidationError when another user has ``email`` (compared case-insensitively)."""
    others = users_with_email(email)
    if except_user is not None:
        others = others.exclude(pk=except_user.pk)
    if others.exists():
        raise ValidationError({"email": EMAIL_TAKEN})


@transaction.atomic
def profile_update(*, user: AbstractBaseUser, first_name: str, last_name: str, email: str,
                   phone: str = "") -> Profile:
    """Change the user's name, e-mail address and phone number (the address must be nobody else's)."""
    email = email.strip()
    check_email_free(email, except_user=user)
    user.first_name, user.last_name, user.email = first_name.strip(), last_name.strip(), email
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "email"])
    profile = profile_for(user)
    if profile.phone != phone.strip():
        profile.phone = phone.strip()
        profile.full_clean()
        profile.save()
    return profile
