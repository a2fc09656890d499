from django.contrib import admin
from django.urls import include, path

from creditscore import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    # POST language=fr|en: the language switch of the navbar.
    path("i18n/", include("django.conf.urls.i18n")),
    path("clients/", include("clients.urls")),
    # The client page's scoring actions and charts (/clients/<id>/score, /what-if,
    # /decision, /charts/...) and the review queue (/reviews/).
    path("", include("scoring.urls")),
    path("", include("explanations.urls")),
    # The REST API: /api/v1/..., /api/schema/, /api/docs/ (creditscore/api/).
    path("api/", include("creditscore.api.urls")),
]
