"""The budgetark in the workspace: its page with the bestyrelse workflow, the changes since the last
approval, and an approved version. The sheet, its editors and the upload are ``budgets.views``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from agreements import selectors
from budgets import views as budget_views
from budgets.compare import compare
from budgets.selectors import budget_content, content_sheet
from budgets.snapshots import snapshot_content
from helhedsplan.approvals.models import Approval
from helhedsplan.findings import plan_findings

from .common import BUDGET, document_for, workflow_context


@login_required
def budget_sheet(request: HttpRequest, slug: str) -> HttpResponse:
    """The budgetark with its checks and (once the plan has a budget) its status and approval."""
    access = selectors.get_plan_access(request.user, slug)
    context = budget_views.sheet_context(request, access.plan)
    budget = context["sheet"]["budget"] if context["sheet"] else None
    if budget is not None:
        budget.plan = access.plan
        context.update(access=access, **workflow_context(budget, access, plan_findings(access.plan)))
    return render(request, "budgets/budget_sheet.html", context)


@login_required
def budget_changes(request: HttpRequest, slug: str) -> HttpResponse:
    """Today's budget against its latest approved version: lines, figures per year and financing, totals."""
    access = selectors.get_plan_access(request.user, slug)
    budget = document_for(access, None, BUDGET)
    context = workflow_context(budget, access, plan_findings(access.plan))
    approval = context["state"].latest_approval
    comparison = compare(access.plan, snapshot_content(approval.data if approval else None),
                         budget_content(access.plan))
    return render(request, "budgets/changes.html", {
        "plan": access.plan, "access": access, "comparison": comparison, **context,
    })


def budget_approval_page(request: HttpRequest, access: selectors.PlanAccess, approval: Approval) -> HttpResponse:
    """An approved version of the budgetark, laid out from its snapshot."""
    return render(request, "budgets/approval_detail.html", {
        "plan": access.plan, "access": access, "approval": approval,
        "sheet": content_sheet(access.plan, snapshot_content(approval.data)),
    })
