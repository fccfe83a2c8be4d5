from django.urls import path

from . import views

app_name = "team"

plan = "planer/<slug:slug>/team/"

urlpatterns = [
    path(plan, views.team, name="team"),
    path(plan + "inviter/", views.invite, name="invite"),
    path(plan + "invitationer/<int:pk>/send-igen/", views.resend, name="resend"),
    path(plan + "invitationer/<int:pk>/traek-tilbage/", views.withdraw, name="withdraw"),
    path(plan + "medlemmer/<int:pk>/fjern/", views.remove, name="remove"),
    path("invitation/<str:token>/", views.accept, name="accept"),
]
