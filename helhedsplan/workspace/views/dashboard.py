"""The dashboard, the plan page and the plan's history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from agreements import permissions, selectors
from agreements.forms import (
    CommentForm,
    NewSubAgreementForm,
)
from agreements.models import (
    Comment,
)
from helhedsplan.approvals import history
from helhedsplan.approvals.selectors import DocumentRow, plan_documents, plans_documents
from helhedsplan.findings import plan_findings
from helhedsplan.templatetags.findings import index_findings


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """The dashboard: the user's plans, the status of each document, open findings, recent changes."""
    plans = list(permissions.plans_visible_to(request.user).select_related("pulje", "municipality"))
    roles = dict(request.user.plan_memberships.values_list("plan_id", "role"))
    for plan in plans:
        plan._viewer = (request.user.pk, roles.get(plan.pk))  # the role, read once for the permission rules
    member_plan_ids = set(roles)
    member_plans = [plan for plan in plans if plan.pk in member_plan_ids]
    documents = plans_documents(member_plans)  # every card's documents and their states, read together
    cards = [{"plan": plan, "html": _plan_card(permissions.PlanAccess(user=request.user, plan=plan),
                                                documents[plan.pk])}
             for plan in member_plans]
    return render(request, "agreements/dashboard.html", {
        "cards": cards,
        "other_plans": [plan for plan in plans if plan.pk not in member_plan_ids],
        "recent_changes": history.plan_changes(member_plans, limit=10) if member_plans else [],
    })


def _plan_card(access: selectors.PlanAccess, documents: list[DocumentRow]) -> str:
    """One plan's card on the dashboard."""
    findings = plan_findings(access.plan)
    return render_to_string("agreements/_plan_card.html", {"card": {
        "plan": access.plan,
        "access": access,
        "documents": documents,
        "errors": [f for f in findings if f.is_error],
        "warnings": [f for f in findings if not f.is_error],
    }})


def _plan_detail_parts(access: selectors.PlanAccess) -> dict[str, str]:
    """The plan page's parts."""
    plan = access.plan
    findings = plan_findings(plan)
    context = selectors.plan_overview(plan, parties=False)  # the plan page does not list the parties
    context.update({
        "access": access,
        "documents": plan_documents(plan),
        "findings": findings,
        "findings_index": index_findings(findings),
        "recent_changes": history.plan_changes(plan, limit=8),
        "can_add_subagreement": access.can_edit and NewSubAgreementForm(plan=plan)
        .fields["focus_area"].queryset.exists(),
    })
    parts = {part: render_to_string(f"agreements/_plan_detail_{part}.html", context) for part in ("head", "body")}
    parts["comments"] = render_to_string("agreements/_comment_list.html", {
        "comments": Comment.objects.filter(plan=plan, sub_agreement=None).select_related("author")})
    parts["comment_field"] = render_to_string("agreements/_field.html", {"field": CommentForm()["text"]}) \
        if access.can_comment else ""
    return parts


@login_required
def plan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug)
    plan = access.plan
    parts = _plan_detail_parts(access)
    return render(request, "agreements/plan_detail.html", {
        "plan": plan,
        "access": access,
        "parts": parts,
        "comments_html": parts["comments"],
        "comment_field_html": parts["comment_field"],
        "comment_form": access.can_comment,
    })


@login_required
def plan_history(request: HttpRequest, slug: str) -> HttpResponse:
    access = selectors.get_plan_access(request.user, slug)
    page = Paginator(history.plan_changes(access.plan), 50).get_page(request.GET.get("side"))
    return render(request, "agreements/plan_history.html", {"plan": access.plan, "access": access, "page": page})

