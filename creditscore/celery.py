"""The Celery application shared by the web process and the workers."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditscore.settings.local")

app = Celery("creditscore")
# Every Celery option lives in Django settings under the CELERY_ prefix.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
