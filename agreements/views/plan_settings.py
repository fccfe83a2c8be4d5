"""The plan's beredskabsplan and its settings: the public page and the day of the annual follow-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from agreements import permissions, plan_settings, selectors
from agreements.forms import BeredskabsplanForm, DocumentKindForm, FollowupDateForm, PublicPageForm
from helhedsplan.forms import add_service_errors


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
    """The plan's settings page: the public page, the day of the annual follow-up and the document kind
    (three forms)."""
    access = selectors.get_plan_access(request.user, slug, permissions.EDIT_PLAN)
    plan = access.plan
    posted_followup = request.method == "POST" and f"{FollowupDateForm.prefix}-followup_month" in request.POST
    posted_kind = request.method == "POST" and f"{DocumentKindForm.prefix}-document_kind" in request.POST
    posted_public = request.method == "POST" and not posted_followup and not posted_kind
    form = PublicPageForm(request.POST if posted_public else None, instance=plan)
    followup_form = FollowupDateForm(request.POST if posted_followup else None, instance=plan)
    kind_form = DocumentKindForm(request.POST if posted_kind else None, instance=plan)
    if posted_kind and kind_form.is_valid():
        plan_settings.plan_document_kind_update(plan=plan, document_kind=kind_form.cleaned_data["document_kind"])
        messages.success(request, f"Dokumenttypen er gemt: {plan.get_document_kind_display()}.")
        return redirect("agreements:public_settings", slug=plan.slug)
    if posted_public and form.is_valid():
        plan_settings.plan_public_page_update(plan=plan, enabled=form.cleaned_data["public_page_enabled"],
                                              intro=form.cleaned_data["public_intro"])
        messages.success(request, "Indstillingerne for den offentlige side er gemt.")
        return redirect("agreements:public_settings", slug=plan.slug)
    if posted_followup and followup_form.is_valid():
        try:
            plan_settings.plan_followup_date_update(plan=plan, month=followup_form.cleaned_data["followup_month"],
                                                    day=followup_form.cleaned_data["followup_day"])
        except ValidationError as exc:
            add_service_errors(followup_form, exc)
        else:
            messages.success(request, "Datoen for den årlige opfølgning er gemt.")
            return redirect("agreements:public_settings", slug=plan.slug)
    return render(request, "agreements/public_settings.html",
                  {"plan": plan, "access": access, "form": form, "followup_form": followup_form,
                   "kind_form": kind_form})
