"""Read-only plan pages. Thin: access and data come from ``selectors``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.plans_visible_to(request.user).select_related("pulje", "municipality")
    return render(request, "agreements/plan_list.html", {"plans": plans})


@login_required
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, slug)
    return render(request, "agreements/plan_detail.html", selectors.plan_overview(plan))


@login_required
def subagreement_detail(request: HttpRequest, slug: str, area: str) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, slug)
    sub_agreement = selectors.get_sub_agreement(plan, area)
    return render(request, "agreements/subagreement_detail.html", {"plan": plan, "sub_agreement": sub_agreement})
