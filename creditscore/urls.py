"""The site's URLs: each user interface mounts its own (see the README's Architecture)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from accounts import views as account_views
from accounts.access import PUBLIC, SIGNED_IN, access_rule
from creditscore import errors, health, views

# Django's own account views, each with its rule (django.contrib.auth.urls, spelled out).
account_urlpatterns = [
    path("login/", access_rule(PUBLIC)(auth_views.LoginView.as_view()), name="login"),
    path("logout/", access_rule(PUBLIC)(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password_change/",
        access_rule(SIGNED_IN)(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password_change/done/",
        access_rule(SIGNED_IN)(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        # Limited per client address and per e-mail address (accounts/views.py).
        access_rule(PUBLIC)(account_views.ThrottledPasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        access_rule(PUBLIC)(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        access_rule(PUBLIC)(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        access_rule(PUBLIC)(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    # The second factor (TOTP): enrol an authenticator app, confirm a login with its code.
    path("two-factor/", account_views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/verify/", account_views.two_factor_verify, name="two-factor-verify"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include(account_urlpatterns)),
    # POST language=fr|en: the language switch of the navbar.
    path("i18n/setlang/", access_rule(PUBLIC)(set_language), name="set_language"),
    # The advisor dashboard: /clients/, /clients/<id>/ and its actions, /reviews/.
    path("", include("dashboard.urls")),
    # The client portal and the risk staff's monitoring pages (empty for now).
    path("portal/", include("portal.urls")),
    path("monitoring/", include("monitoring.urls")),
    # The REST API: /api/v1/..., /api/schema/, /api/docs/ (api/).
    path("api/", include("api.urls")),
]

# Error pages like the site's, naming nothing internal (creditscore/errors.py).
handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
