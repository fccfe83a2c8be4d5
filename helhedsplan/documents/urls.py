"""URLs of the documents: an HTML preview and a PDF per document, and a Word file of the LBF documents."""

from django.urls import path

from . import views

app_name = "documents"

PREFIX = "planer/<slug:slug>/dokumenter/"

urlpatterns = [
    path(PREFIX + "samarbejdsaftale/", views.samarbejdsaftale, name="samarbejdsaftale"),
    path(PREFIX + "samarbejdsaftale.pdf", views.samarbejdsaftale_pdf, name="samarbejdsaftale_pdf"),
    path(PREFIX + "samarbejdsaftale.docx", views.samarbejdsaftale_docx, name="samarbejdsaftale_docx"),
    path(PREFIX + "delaftaler/<slug:area>/", views.delaftale, name="delaftale"),
    path(PREFIX + "delaftaler/<slug:area>.pdf", views.delaftale_pdf, name="delaftale_pdf"),
    path(PREFIX + "delaftaler/<slug:area>.docx", views.delaftale_docx, name="delaftale_docx"),
    path(PREFIX + "indlaes-word/", views.word_import_view, name="word_import"),
    path(PREFIX + "budgetark/", views.budget, name="budget"),
    path(PREFIX + "budgetark.pdf", views.budget_pdf, name="budget_pdf"),
    path(PREFIX + "budgetark.docx", views.budget_docx, name="budget_docx"),
    path(PREFIX + "samlet-plan/", views.samlet, name="samlet"),
    path(PREFIX + "samlet-plan.pdf", views.samlet_pdf, name="samlet_pdf"),
    path(PREFIX + "samlet-plan.docx", views.samlet_docx, name="samlet_docx"),
    path(PREFIX + "okonomiopfolgning/", views.okonomiopfolgning, name="okonomiopfolgning"),
    path(PREFIX + "okonomiopfolgning.pdf", views.okonomiopfolgning_pdf, name="okonomiopfolgning_pdf"),
    path("planer/<slug:slug>/milepaelsplan/", views.milestone_document, name="milestone_document"),
    path("planer/<slug:slug>/milepaelsplan.pdf", views.milestone_document_pdf, name="milestone_document_pdf"),
]
