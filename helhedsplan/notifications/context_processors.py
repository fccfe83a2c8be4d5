from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .services import unread_count


def notifications(request: HttpRequest) -> dict:
    """The header's unread count, read only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
