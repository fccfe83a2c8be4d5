"""URLs of the documents: an HTML preview and a PDF per document."""

from django.urls import path

from . import views

app_name = "documents"

PREFIX = "planer/<slug:slug>/dokumenter/"

urlpatterns = [
    path(PREFIX + "samarbejdsaftale/", views.samarbejdsaftale, name="samarbejdsaftale"),
    path(PREFIX + "samarbejdsaftale.pdf", views.samarbejdsaftale_pdf, name="samarbejdsaftale_pdf"),
    path(PREFIX + "delaftaler/<slug:area>/", views.delaftale, name="delaftale"),
    path(PREFIX + "delaftaler/<slug:area>.pdf", views.delaftale_pdf, name="delaftale_pdf"),
    path(PREFIX + "budgetark/", views.budget, name="budget"),
    path(PREFIX + "budgetark.pdf", views.budget_pdf, name="budget_pdf"),
    path(PREFIX + "samlet-plan/", views.samlet, name="samlet"),
    path(PREFIX + "samlet-plan.pdf", views.samlet_pdf, name="samlet_pdf"),
    path(PREFIX + "okonomiopfolgning/", views.okonomiopfolgning, name="okonomiopfolgning"),
    path(PREFIX + "okonomiopfolgning.pdf", views.okonomiopfolgning_pdf, name="okonomiopfolgning_pdf"),
    path("planer/<slug:slug>/milepaelsplan/", views.milestone_document, name="milestone_document"),
    path("planer/<slug:slug>/milepaelsplan.pdf", views.milestone_document_pdf, name="milestone_document_pdf"),
]
