"""The milepælsplan: the plan's milestones."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from agreements import milestones as milestone_services
from agreements import permissions, selectors
from agreements.forms import MilestoneForm
from agreements.models import Milestone
from helhedsplan.forms import add_service_errors


@login_required
def milestone_list(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug)
    plan = access.plan
    return render(request, "agreements/milestone_list.html", {
        "plan": plan, "access": access, "milestones": milestone_services.plan_milestones(plan),
        "summary": milestone_services.milestone_summary(plan),
    })


@login_required
def milestone_edit(request: HttpRequest, slug: str, milestone: int | None = None) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug, permissions.EDIT_PLAN)
    plan = access.plan
    milestone = get_object_or_404(Milestone, plan=plan, pk=milestone) if milestone else None
    form = MilestoneForm(request.POST or None, instance=milestone, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            milestone_services.milestone_save(
                plan=plan, milestone=milestone, title=data["title"], due_date=data["due_date"],
                status=data["status"], focus_area=data["focus_area"], done_date=data["done_date"], note=data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Milepælen er gemt.")
            return redirect("agreements:milestone_list", slug=plan.slug)
    return render(request, "agreements/milestone_form.html",
                  {"plan": plan, "access": access, "form": form, "milestone": milestone})


@login_required
@require_POST
def milestone_delete(request: HttpRequest, slug: str, milestone: int) -> HttpResponse:
    plan = selectors.get_plan_access(request.user, slug, permissions.EDIT_PLAN).plan
    milestone_services.milestone_delete(milestone=get_object_or_404(Milestone, plan=plan, pk=milestone))
    messages.success(request, "Milepælen er slettet.")
    return redirect("agreements:milestone_list", slug=plan.slug)

