"""The user's own profile ("Min profil")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from helhedsplan.forms import add_service_errors

from . import services
from .forms import ProfileForm
from .selectors import profile_for


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = profile_for(user)
    initial = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email,
               "phone": current.phone}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Din profil er gemt.")
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
