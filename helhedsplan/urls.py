from django.contrib import admin
from django.urls import include, path

from agreements import urls as agreement_urls
from budgets import urls as budget_urls
from helhedsplan.accounts import urls as account_urls
from helhedsplan.lbf import urls as lbf_urls
from helhedsplan.views import healthz
from helhedsplan.workspace import urls as workspace_urls

admin.site.site_header = "Helhedsplan – administration"
admin.site.site_title = "Helhedsplan"
admin.site.index_title = "Administration"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include(account_urls.auth_urlpatterns)),
    path("", include(account_urls)),
    # The plan pages keep one URL namespace ("agreements") across the layers that serve them.
    path("", include(([*agreement_urls.urlpatterns, *workspace_urls.urlpatterns, *lbf_urls.urlpatterns],
                      "agreements"))),
    # The budgetark's page and workflow (workspace) and its editors (budgets) share the namespace "budgets".
    path("", include(([*budget_urls.urlpatterns, *workspace_urls.budget_urlpatterns], "budgets"))),
    path("", include("indicators.urls")),
    path("", include("helhedsplan.documents.urls")),
    path("", include("helhedsplan.notifications.urls")),
    path("", include("helhedsplan.team.urls")),
]
