"""Settings for a developer's machine and `make demo`."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A fixed key is acceptable only here: local sessions protect nothing of value.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-insecure-key-do-not-use-in-production")
