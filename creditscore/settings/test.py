"""Settings for the test suite: the real Postgres and Redis, fast hashing."""

from .base import *  # noqa: F403
from .base import CACHES, env

SECRET_KEY = "test-secret-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Unit tests run Celery tasks inline; tests of the worker path start a real worker.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="creditscore-test")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Most tests sign staff and supervisors in with force_login, which no one-time code
# follows; the second factor's own tests (tests/accounts/test_second_factor.py) turn the
# obligation back on, as it is everywhere but in `make demo`.
OTP_REQUIRED = False
