"""The user's notifications in the app, their settings, and the unsubscribe link from e-mails."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services
from .forms import PreferencesForm
from .models import Kind, Notification


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.filter(user=request.user).select_related("plan")
    page = Paginator(rows, 50).get_page(request.GET.get("side"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go where it points (a path in the app)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.mark_read(user=request.user, notification_id=notification.pk)
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None) or not target.startswith("/"):
        target = "/"
    return redirect(target)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_read(user=request.user)
    messages.success(request, "1 varsel er markeret som læst." if count == 1
                     else f"{count} varsler er markeret som læst.")
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, initial_deliveries=services.preferences_for(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_save(user=request.user, deliveries=form.cleaned_data)
        messages.success(request, "Dine varslingsindstillinger er gemt.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# The token in the address is the credential: the link works without logging in, and mail programs
# post to it without a CSRF token (one-click unsubscribe). Opening the link only asks; posting acts,
# so a mail scanner that follows links unsubscribes nobody.
@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    payload = services.read_unsubscribe_token(token)
    if payload is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        kinds = services.unsubscribe(payload)
        return render(request, "notifications/unsubscribe.html", {"done": True, "kinds": kinds})
    return render(request, "notifications/unsubscribe.html", {"kinds": [Kind(k).label for k in payload["k"]]})
