from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from helhedsplan.views import healthz

admin.site.site_header = "Helhedsplan – administration"
admin.site.site_title = "Helhedsplan"
admin.site.index_title = "Administration"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("agreements.urls")),
    path("", include("budgets.urls")),
    path("", include("indicators.urls")),
    path("", include("agreements.document_urls")),
]
