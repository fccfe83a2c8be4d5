from django.urls import path

from . import lbf_views, views

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
    # LBF-udtræk, milepælsplan, beredskabsplan, public page (issue 7)
    path(plan + "udtraek/", lbf_views.plan_export, name="plan_export"),
    path(plan + "milepaele/", lbf_views.milestone_list, name="milestone_list"),
    path(plan + "milepaele/ny/", lbf_views.milestone_edit, name="milestone_new"),
    path(plan + "milepaele/<int:milestone>/", lbf_views.milestone_edit, name="milestone_edit"),
    path(plan + "milepaele/<int:milestone>/slet/", lbf_views.milestone_delete, name="milestone_delete"),
    path(plan + "milepaelsplan/", lbf_views.milestone_document, name="milestone_document"),
    path(plan + "milepaelsplan.pdf", lbf_views.milestone_document_pdf, name="milestone_document_pdf"),
    path(plan + "beredskabsplan/", lbf_views.beredskabsplan, name="beredskabsplan"),
    path(plan + "offentlig-side/", lbf_views.public_settings, name="public_settings"),
    path("lbf/", lbf_views.lbf_overview, name="lbf_overview"),
    path("udtraek/", lbf_views.export_list, name="lbf_export_list"),
    path("udtraek/<uuid:pk>/", lbf_views.export_status, name="lbf_export_status"),
    path("udtraek/<uuid:pk>/hent/", lbf_views.export_download, name="lbf_export_download"),
    path("offentlig/<slug:slug>/", lbf_views.public_plan, name="public_plan"),
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
