"""Pages of the domain layer: the milepælsplan, the bilag, the plan's settings, the clause library and partners."""

from django.urls import path

from .views import attachments, clauses, milestones, partners, plan_settings, plans

plan = "planer/<slug:slug>/"

urlpatterns = [
    path("ny-helhedsplan/", plans.plan_new, name="plan_new"),
    path(plan + "milepaele/", milestones.milestone_list, name="milestone_list"),
    path(plan + "milepaele/ny/", milestones.milestone_edit, name="milestone_new"),
    path(plan + "milepaele/<int:milestone>/", milestones.milestone_edit, name="milestone_edit"),
    path(plan + "milepaele/<int:milestone>/slet/", milestones.milestone_delete, name="milestone_delete"),
    path(plan + "bilag/", attachments.attachment_list, name="attachment_list"),
    path(plan + "bilag/<int:pk>/fil/", attachments.attachment_download, name="attachment_download"),
    path(plan + "bilag/<int:pk>/slet/", attachments.attachment_delete, name="attachment_delete"),
    path(plan + "beredskabsplan/", plan_settings.beredskabsplan, name="beredskabsplan"),
    path(plan + "offentlig-side/", plan_settings.public_settings, name="public_settings"),
    path("eksempelklausuler/", clauses.clause_list, name="clause_list"),
    path("eksempelklausuler/ny/", clauses.clause_edit, name="clause_new"),
    path("eksempelklausuler/<int:pk>/rediger/", clauses.clause_edit, name="clause_edit"),
    path("organisationer/", partners.organisation_list, name="organisation_list"),
    path("organisationer/ny/", partners.organisation_edit, name="organisation_new"),
    path("organisationer/<int:pk>/", partners.organisation_detail, name="organisation_detail"),
    path("organisationer/<int:pk>/rediger/", partners.organisation_edit, name="organisation_edit"),
    path("kontaktpersoner/ny/", partners.contact_edit, name="contact_new"),
    path("kontaktpersoner/<int:pk>/", partners.contact_detail, name="contact_detail"),
    path("kontaktpersoner/<int:pk>/rediger/", partners.contact_edit, name="contact_edit"),
]
