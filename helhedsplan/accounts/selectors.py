"""Reads about users: who a login name or an e-mail address belongs to."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from .models import Profile


def users_with_email(email: str) -> QuerySet:
    """Users whose e-mail is ``email``, whatever the case (e-mail addresses are compared case-insensitively)."""
    email = (email or "").strip()
    if not email:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(email__iexact=email)


def user_for_login(identifier: str) -> AbstractBaseUser | None:
    """The user a login name means: the user with exactly that username, else the one user with that
    e-mail address (case-insensitive). None when nobody, or more than one user, has the address."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    user_model = get_user_model()
    user = user_model.objects.filter(**{user_model.USERNAME_FIELD: identifier}).first()
    if user is not None:
        return user
    matches = list(users_with_email(identifier)[:2])
    return matches[0] if len(matches) == 1 else None


def profile_for(user: AbstractBaseUser) -> Profile:
    """The user's profile, created (empty) the first time it is asked for."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile
