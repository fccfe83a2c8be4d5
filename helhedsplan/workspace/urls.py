"""The plan pages: dashboard, plan, delaftaler, the strategic agreement, the bestyrelse workflow and its
meetings."""

from django.urls import path

from .views import budget, dashboard, meetings, strategic, subagreements, workflow
from .views.common import BUDGET

plan = "planer/<slug:slug>/"
sub = plan + "delaftaler/<slug:area>/"
strategic_ = plan + "samarbejdsaftale/"
meeting = plan + "bestyrelsesmoeder/<int:pk>/"

urlpatterns = [
    path("", dashboard.plan_list, name="plan_list"),
    # Plan
    path(plan, dashboard.plan_detail, name="plan_detail"),
    path(plan + "historik/", dashboard.plan_history, name="plan_history"),
    path(plan + "kommentarer/", subagreements.comment_add, name="plan_comment"),
    path(plan + "ny-delaftale/", subagreements.subagreement_new, name="subagreement_new"),
    # Delaftale
    path(sub, subagreements.subagreement_detail, name="subagreement_detail"),
    path(sub + "rediger/", subagreements.subagreement_edit, name="subagreement_edit"),
    path(sub + "historik/", subagreements.subagreement_history, name="subagreement_history"),
    path(sub + "historik/gendan/<int:history_id>/", subagreements.activity_restore, name="activity_restore"),
    path(sub + "aendringer/", subagreements.subagreement_changes, name="subagreement_changes"),
    path(sub + "send-til-bestyrelsen/", workflow.document_submit, name="subagreement_submit"),
    path(sub + "send-tilbage/", workflow.document_return, name="subagreement_return"),
    path(sub + "godkend/", workflow.document_approve, name="subagreement_approve"),
    path(sub + "godkendelser/<int:number>/", workflow.approval_detail, name="subagreement_approval"),
    path(sub + "godkendelser/<int:number>/pdf/", workflow.approval_pdf, name="subagreement_approval_pdf"),
    path(sub + "kommentarer/", subagreements.comment_add, name="subagreement_comment"),
    path(sub + "aktiviteter/ny/", subagreements.activity_edit, name="activity_new"),
    path(sub + "aktiviteter/<int:pk>/", subagreements.activity_edit, name="activity_edit"),
    # Strategisk samarbejdsaftale
    path(strategic_, strategic.strategic_detail, name="strategic_detail"),
    path(strategic_ + "rediger/", strategic.strategic_edit, name="strategic_edit"),
    path(strategic_ + "aendringer/", strategic.strategic_changes, name="strategic_changes"),
    path(strategic_ + "send-til-bestyrelsen/", workflow.document_submit, name="strategic_submit"),
    path(strategic_ + "send-tilbage/", workflow.document_return, name="strategic_return"),
    path(strategic_ + "godkend/", workflow.document_approve, name="strategic_approve"),
    path(strategic_ + "godkendelser/<int:number>/", workflow.approval_detail, name="strategic_approval"),
    path(strategic_ + "godkendelser/<int:number>/pdf/", workflow.approval_pdf, name="strategic_approval_pdf"),
    path(strategic_ + "godkendelser/<int:number>/lbf/", workflow.lbf_approval, name="strategic_lbf_approval"),
    # Bestyrelsesmøder
    path(plan + "bestyrelsesmoeder/", meetings.meeting_list, name="meeting_list"),
    path(plan + "bestyrelsesmoeder/nyt/", meetings.meeting_edit, name="meeting_new"),
    path(meeting, meetings.meeting_detail, name="meeting_detail"),
    path(meeting + "rediger/", meetings.meeting_edit, name="meeting_edit"),
    path(meeting + "godkend/", meetings.meeting_approve, name="meeting_approve"),
]

# The budgetark's page and workflow (URL namespace "budgets", with the sheet's editors in budgets.urls).
budget_ = plan + "budget/"
in_budget = {"document_kind": BUDGET}

budget_urlpatterns = [
    path(budget_, budget.budget_sheet, name="sheet"),
    path(budget_ + "aendringer/", budget.budget_changes, name="budget_changes"),
    path(budget_ + "send-til-bestyrelsen/", workflow.document_submit, in_budget, name="budget_submit"),
    path(budget_ + "send-tilbage/", workflow.document_return, in_budget, name="budget_return"),
    path(budget_ + "godkend/", workflow.document_approve, in_budget, name="budget_approve"),
    path(budget_ + "godkendelser/<int:number>/", workflow.approval_detail, in_budget, name="budget_approval"),
    path(budget_ + "godkendelser/<int:number>/pdf/", workflow.approval_pdf, in_budget, name="budget_approval_pdf"),
]
