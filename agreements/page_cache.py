"""A signed-in visitor's whole page, kept per plan revision, day and CSRF secret.

The plan page is the page everybody opens first and most often. Its shared parts are cached per
role (``revisions.cached``); this module keeps the finished page for one visitor, so a repeated visit
costs what every signed-in page costs (the session and the user) and one small query for the plan's
revision tokens: no access query, no template.

A page is served from here only where rendering it again would give the same page:

- The key holds the user, the plan's and the shared data's revision tokens, the day and the
  language. Every change to what the page shows, and to who may see it (memberships, users, their
  groups), replaces a token in the same transaction (``revisions``), so a page kept before the
  change is never read again: a visitor who has lost access meets the access check, not an old page.
- The key also holds a hash of the visitor's CSRF secret: the page's forms carry tokens masked from
  that secret, which stay valid for as long as the secret does (until the next login).
- A request with messages waiting ("Kommentaren er gemt") is rendered afresh and not kept.
- Only successful, complete responses to GET and HEAD are kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.contrib import messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from . import revisions

CACHE_ALIAS = "pages"


def _key(request: HttpRequest, slug: str) -> str | None:
    secret = request.META.get("CSRF_COOKIE")
    if (request.method not in ("GET", "HEAD") or not secret or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or not request.user.is_authenticated):
        return None
    if len(messages.get_messages(request)):  # len() reads the messages without marking them shown
        return None
    found = revisions.tokens_for_slug(slug)
    if found is None:
        return None
    plan_id, tokens = found
    csrf = hashlib.sha256(secret.encode()).hexdigest()[:32]
    return (f"page:{plan_id}:{request.user.pk}:{translation.get_language()}:{timezone.localdate()}:"
            f"{tokens}:{csrf}")


def personal_page(request: HttpRequest, slug: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The page ``render()`` gives this visitor for plan ``slug``, rendered once per revision and day.

    ``render`` must check the visitor's access itself: it runs whenever there is no kept page.
    """
    key = _key(request, slug)
    if key is None:
        return render()
    store = caches[CACHE_ALIAS]
    kept = store.get(key)
    if kept is not None:
        content, content_type = kept
        return HttpResponse(content, content_type=content_type)
    response = render()
    if response.status_code == 200 and not response.streaming:
        store.set(key, (response.content, response["Content-Type"]), revisions.CACHE_SECONDS)
    return response
