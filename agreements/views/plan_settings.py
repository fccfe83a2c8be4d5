"""The plan's beredskabsplan and the settings of its public page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from agreements import permissions, plan_settings, selectors
from agreements.forms import BeredskabsplanForm, PublicPageForm


@login_required
def beredskabsplan(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug)
    plan = access.plan
    form = None
    if access.can_edit:
        form = BeredskabsplanForm(request.POST or None, instance=plan)
        if request.method == "POST" and form.is_valid():
            plan_settings.plan_beredskabsplan_update(plan=plan, text=form.cleaned_data["beredskabsplan"])
            messages.success(request, "Beredskabsplanen er gemt.")
            return redirect("agreements:beredskabsplan", slug=plan.slug)
    elif request.method == "POST":
        access.require(permissions.EDIT_PLAN)
    return render(request, "agreements/beredskabsplan.html", {"plan": plan, "access": access, "form": form})


@login_required
def public_settings(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, permissions.EDIT_PLAN)
    plan = access.plan
    form = PublicPageForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        plan_settings.plan_public_page_update(plan=plan, enabled=form.cleaned_data["public_page_enabled"],
                                              intro=form.cleaned_data["public_intro"])
        messages.success(request, "Indstillingerne for den offentlige side er gemt.")
        return redirect("agreements:public_settings", slug=plan.slug)
    return render(request, "agreements/public_settings.html", {"plan": plan, "access": access, "form": form})

