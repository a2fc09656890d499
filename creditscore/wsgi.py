"""The WSGI entry point (gunicorn `creditscore.wsgi`)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditscore.settings.production")

application = get_wsgi_application()

# Load every view module now: the scoring and API views import pandas, scikit-learn
# and LightGBM (3 s on this machine), which Django would otherwise do on the first
# request a process serves, making one user wait for it after every deploy or restart.
get_resolver().url_patterns  # noqa: B018
