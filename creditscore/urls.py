"""The site's URLs: each user interface mounts its own (see the README's Architecture)."""

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
    # The advisor dashboard: /clients/, /clients/<id>/ and its actions, /reviews/.
    path("", include("dashboard.urls")),
    # The client portal and the risk staff's monitoring pages (empty for now).
    path("portal/", include("portal.urls")),
    path("monitoring/", include("monitoring.urls")),
    # The REST API: /api/v1/..., /api/schema/, /api/docs/ (api/).
    path("api/", include("api.urls")),
]
