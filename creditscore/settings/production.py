"""Production settings: every secret comes from the environment, no defaults.

`python manage.py check --deploy --fail-level WARNING` passes with these settings
(tests/creditscore/test_production_settings.py runs it).
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
IS_PRODUCTION = True
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# HTTPS only. Behind a reverse proxy that terminates TLS, name the header it sets
# (e.g. DJANGO_PROXY_SSL_HEADER=X-Forwarded-Proto): Django then believes it, and only
# then. Unset, the header is ignored: a client could write it itself when gunicorn is
# reached directly.
_proxy_ssl_header = env("DJANGO_PROXY_SSL_HEADER", default="")
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)

SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # __Host-: the browser keeps the cookie only if it is Secure, for this host alone
    # (no Domain) and the whole site (Path=/), so no sibling domain can set or read it.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# The second factor cannot be turned off here (local settings only).
OTP_REQUIRED = True
