from django.urls import path

from . import views

app_name = "agreements"

plan = "planer/<slug:slug>/"
sub = plan + "delaftaler/<slug:area>/"
strategic = plan + "samarbejdsaftale/"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    # Plan
    path(plan, views.plan_detail, name="plan_detail"),
    path(plan + "historik/", views.plan_history, name="plan_history"),
    path(plan + "kommentarer/", views.comment_add, name="plan_comment"),
    path(plan + "ny-delaftale/", views.subagreement_new, name="subagreement_new"),
    # Delaftale
    path(sub, views.subagreement_detail, name="subagreement_detail"),
    path(sub + "rediger/", views.subagreement_edit, name="subagreement_edit"),
    path(sub + "historik/", views.subagreement_history, name="subagreement_history"),
    path(sub + "historik/gendan/<int:history_id>/", views.activity_restore, name="activity_restore"),
    path(sub + "aendringer/", views.subagreement_changes, name="subagreement_changes"),
    path(sub + "send-til-bestyrelsen/", views.document_submit, name="subagreement_submit"),
    path(sub + "send-tilbage/", views.document_return, name="subagreement_return"),
    path(sub + "godkend/", views.document_approve, name="subagreement_approve"),
    path(sub + "godkendelser/<int:number>/", views.approval_detail, name="subagreement_approval"),
    path(sub + "godkendelser/<int:number>/pdf/", views.approval_pdf, name="subagreement_approval_pdf"),
    path(sub + "kommentarer/", views.comment_add, name="subagreement_comment"),
    path(sub + "aktiviteter/ny/", views.activity_edit, name="activity_new"),
    path(sub + "aktiviteter/<int:pk>/", views.activity_edit, name="activity_edit"),
    # Strategisk samarbejdsaftale
    path(strategic, views.strategic_detail, name="strategic_detail"),
    path(strategic + "rediger/", views.strategic_edit, name="strategic_edit"),
    path(strategic + "aendringer/", views.strategic_changes, name="strategic_changes"),
    path(strategic + "send-til-bestyrelsen/", views.document_submit, name="strategic_submit"),
    path(strategic + "send-tilbage/", views.document_return, name="strategic_return"),
    path(strategic + "godkend/", views.document_approve, name="strategic_approve"),
    path(strategic + "godkendelser/<int:number>/", views.approval_detail, name="strategic_approval"),
    path(strategic + "godkendelser/<int:number>/pdf/", views.approval_pdf, name="strategic_approval_pdf"),
    path(strategic + "godkendelser/<int:number>/lbf/", views.lbf_approval, name="strategic_lbf_approval"),
    # Shared across plans
    path("eksempelklausuler/", views.clause_list, name="clause_list"),
    path("eksempelklausuler/ny/", views.clause_edit, name="clause_new"),
    path("eksempelklausuler/<int:pk>/rediger/", views.clause_edit, name="clause_edit"),
    path("organisationer/", views.organisation_list, name="organisation_list"),
    path("organisationer/ny/", views.organisation_edit, name="organisation_new"),
    path("organisationer/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisationer/<int:pk>/rediger/", views.organisation_edit, name="organisation_edit"),
    path("kontaktpersoner/ny/", views.contact_edit, name="contact_new"),
    path("kontaktpersoner/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("kontaktpersoner/<int:pk>/rediger/", views.contact_edit, name="contact_edit"),
]
