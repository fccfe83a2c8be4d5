"""Logging in with a username or an e-mail address.

``EmailOrUsernameBackend`` replaces Django's ``ModelBackend`` in ``AUTHENTICATION_BACKENDS``, after
the throttling backend (django-axes), which refuses locked logins before any password is checked.
``throttling_username`` gives axes one name per person, so failed attempts with the username, the
e-mail address or the address in other letter cases all count together.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from .selectors import user_for_login


class EmailOrUsernameBackend(ModelBackend):
    """Django's ModelBackend, finding the user by username or by e-mail (case-insensitive)."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> AbstractBaseUser | None:
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            # Hash the password anyway: a missing user takes as long as a wrong password.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def throttling_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The name django-axes counts a login attempt under (``AXES_USERNAME_CALLABLE``): the username of
    the user the login name means, else the login name itself in lower case."""
    if credentials:
        given = credentials.get("username")
    else:
        given = getattr(request, "data", request.POST).get("username")
    given = (given or "").strip()
    user = user_for_login(given)
    return user.get_username() if user is not None else given.lower()
