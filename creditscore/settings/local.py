"""Settings for a developer's machine and `make demo`."""

from .base import *  # noqa: F403
from .base import env

# E-mails to clients are written as files a person can open (.demo/mail/ by default), not sent.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A fixed key is acceptable only here: local sessions protect nothing of value.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-insecure-key-do-not-use-in-production")
# `make demo` turns the second factor's obligation off for its demo logins (README, "make
# demo"); production.py never reads this variable.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=True)
# In `make demo` every request comes from 127.0.0.1 (no proxy in front): locking that
# address would lock every demo login at once, so the demo locks by account only.
if not env.bool("LOGIN_LOCKOUT_BY_ADDRESS", default=True):
    AXES_LOCKOUT_PARAMETERS = ["username"]
# Without DEBUG (as `make demo` serves), WhiteNoise serves the static files straight from
# the apps' folders: no collectstatic step for a demo.
WHITENOISE_USE_FINDERS = True
