from django.urls import path

from . import actuals_views, views

app_name = "budgets"

urlpatterns = [
    path("planer/<slug:slug>/budget/budgetark.xlsx", views.download, name="download"),
    path("planer/<slug:slug>/budget/indlaes/", views.upload, name="upload"),
    path("planer/<slug:slug>/budget/indlaes/<uuid:pk>/", views.preview, name="preview"),
    path("planer/<slug:slug>/budget/linjer/ny/", views.line_edit, name="line_add"),
    path("planer/<slug:slug>/budget/linjer/<int:pk>/", views.line_edit, name="line_edit"),
    path("planer/<slug:slug>/budget/linjer/<int:pk>/slet/", views.line_delete, name="line_delete"),
    path("planer/<slug:slug>/budget/fodnoter/", views.footnotes, name="footnotes"),
    path("planer/<slug:slug>/budget/afsnit/<slug:section>/", views.section_grid, name="section_grid"),
]

urlpatterns += [
    path("planer/<slug:slug>/budget/forbrug/", actuals_views.followup_view, name="followup"),
    path("planer/<slug:slug>/budget/forbrug/registrer/", actuals_views.enter_actuals, name="actuals_enter"),
    path("planer/<slug:slug>/budget/forbrug/indlaes/", actuals_views.import_actuals, name="actuals_import"),
    path("planer/<slug:slug>/budget/forbrug.xlsx", actuals_views.download_actuals, name="actuals_download"),
]
