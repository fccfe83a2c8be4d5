"""Logging in and out, passwords (Django's auth views with Danish templates) and "Min profil".

``auth_urlpatterns`` keep Django's own URL names (``login``, ``password_reset_done`` …), which its
views reverse without a namespace; the profile lives in the ``accounts`` namespace.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import LoginForm

app_name = "accounts"

auth_urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("adgangskode/skift/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("adgangskode/skift/gemt/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("adgangskode/glemt/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("adgangskode/glemt/sendt/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("adgangskode/ny/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("adgangskode/ny/gemt/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path("profil/", views.profile, name="profile"),
]
