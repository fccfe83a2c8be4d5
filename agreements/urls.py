from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("planer/<slug:slug>/", views.plan_detail, name="plan_detail"),
    path("planer/<slug:slug>/delaftaler/<slug:area>/", views.subagreement_detail, name="subagreement_detail"),
]
