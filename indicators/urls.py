from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("planer/<slug:slug>/indikatorer/", views.plan_indicators, name="plan"),
    path("planer/<slug:slug>/indikatorer/registrer/", views.enter_values, name="enter_plan"),
    path("planer/<slug:slug>/indikatorer/import/", views.import_values, name="import"),
    path("planer/<slug:slug>/indikatorer/eksport/", views.export_values, name="export"),
    path("planer/<slug:slug>/delaftaler/<slug:area>/indikatorer/", views.subagreement_indicators,
         name="subagreement"),
    path("planer/<slug:slug>/delaftaler/<slug:area>/indikatorer/registrer/", views.enter_values,
         name="enter_subagreement"),
]
