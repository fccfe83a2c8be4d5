from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("varsler/", views.notification_list, name="list"),
    path("varsler/<int:pk>/", views.notification_open, name="open"),
    path("varsler/laest/", views.mark_all_read, name="mark_all_read"),
    path("varsler/indstillinger/", views.preferences, name="preferences"),
    path("varsler/afmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
