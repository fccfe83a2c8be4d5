"""The LBF-udtræk and the public plan page."""

from django.urls import path

from . import views

urlpatterns = [
    path("planer/<slug:slug>/udtraek/", views.plan_export, name="plan_export"),
    path("lbf/", views.lbf_overview, name="lbf_overview"),
    path("udtraek/", views.export_list, name="lbf_export_list"),
    path("udtraek/<uuid:pk>/", views.export_status, name="lbf_export_status"),
    path("udtraek/<uuid:pk>/hent/", views.export_download, name="lbf_export_download"),
    path("offentlig/<slug:slug>/", views.public_plan, name="public_plan"),
]
