"""Settings shared by every environment.

One django-environ `env` reads the process environment (and `.env` when present).
Environment-specific modules (local, test, production) import from here and
override only what differs.
"""

from pathlib import Path

import environ
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    env.read_env(str(env_file))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Django's admin with the site of creditscore/admin_site.py (it declares its access rule).
    "creditscore.apps.AdminSiteConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    # Swagger UI's files, served by us: /api/docs/ works without internet access.
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    # Triggers in migrations: the audit tables refuse UPDATE and DELETE (audit/models.py).
    "pgtrigger",
    # The domain, from the bottom up (imports only go down: see the README's Architecture).
    "accounts",
    "audit",
    "clients",
    "explanations",
    "scoring",
    # One user interface per audience.
    "dashboard",
    "portal",
    "monitoring",
    "api",
    # The project itself: create_demo_users (beside the demo it serves).
    "creditscore",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Tells the audit trail which request an event comes from; records refusals (403).
    "audit.context.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "creditscore.urls"
WSGI_APPLICATION = "creditscore.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dashboard.context_processors.open_reviews",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/creditscore"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.min.js straight from the installed plotly package (not committed).
    "clients.finders.PlotlyFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Redis is both the Celery broker and the cache of explanations.
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="creditscore"),
    }
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
# Results that matter (scores) are rows in Postgres; the broker's result
# backend only carries task state for progress polling.
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE

# The currency of every amount of the data (ISO 4217): the Kaggle files carry none, and
# Prêt à dépenser lends in France. formatting.money writes it the way each language does.
CURRENCY = env("CURRENCY", default="EUR")

# Where model artifacts live (written by `manage.py train_model`).
MODEL_ARTIFACTS_DIR = Path(env("MODEL_ARTIFACTS_DIR", default=str(BASE_DIR / "artifacts")))

# The business cost of errors: a missed defaulter costs 10 wrongly refused clients.
COST_FALSE_NEGATIVE = env.float("COST_FALSE_NEGATIVE", default=10.0)
COST_FALSE_POSITIVE = env.float("COST_FALSE_POSITIVE", default=1.0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First: a 401 naming the Token scheme for "Authorization: Bearer ..." and the like.
        "api.authentication.TokenSchemeHint",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Every API view declares its access rule (api/permissions.py); a view without one is closed.
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.FollowsAccessRule"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Per user (so per token); the classes read these rates at request time.
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("API_THROTTLE_RATE", default="600/minute"),
        # Anonymous calls are only token requests: slows down password guessing.
        "anon": env("API_ANON_THROTTLE_RATE", default="30/minute"),
        # Stateless predictions compute features and SHAP values in the web process.
        "predict": env("API_PREDICT_THROTTLE_RATE", default="120/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Negotiates the response's language (?lang=, Accept-Language) with its format, before
    # authentication: every message of a response in one language (api/negotiation.py).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.LanguageAndContentNegotiation",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "creditscore API",
    "DESCRIPTION": "Credit scoring of Home Credit-style applications.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the drf-spectacular-sidecar package: no CDN needed.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Enum components are named after their field (NAMEINCOMETYPEEnum). These need a name
    # of their own: Y/N is shared by several fields, NAME_CONTRACT_TYPE has other levels in
    # previous_application than in an application, and two would read like StatusEnum/Code.
    "ENUM_NAME_OVERRIDES": {
        "YesNoEnum": "ml.levels.YES_NO",
        "ApplicationContractTypeEnum": "ml.levels.CONTRACT_TYPES",
        "BureauBalanceStatusEnum": "ml.levels.BUREAU_BALANCE_STATUS",
        "PredictionWarningCodeEnum": "api.serializers.predict.WARNING_CODES",
    },
}
# Reverse proxies in front of the web processes: X-Forwarded-For is read only as far as
# they vouch for it (accounts/network.py). 0: the header is ignored (gunicorn exposed directly).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The audit trail keeps events this many days (ten years by default; never under six
# months: a system check refuses less). Only `manage.py audit_prune` removes older ones.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=3653)
# /healthz waits this long for a Celery worker to answer a ping.
HEALTHZ_WORKER_TIMEOUT = env.float("HEALTHZ_WORKER_TIMEOUT", default=1.0)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Each machine unpacks the model versions it uses here, fetched from storage.
MODEL_CACHE_DIR = Path(env("MODEL_CACHE_DIR", default=str(BASE_DIR / ".model-cache")))

# Scoring has a queue of its own, so a flood of batch work never starves
# other tasks and scoring workers can be scaled separately.
SCORING_QUEUE = env("SCORING_QUEUE", default="scoring")
CELERY_TASK_ROUTES = {"scoring.*": {"queue": SCORING_QUEUE}}
# Each queue has its own exchange and routing key: with Celery's defaults
# every queue would be bound to the "default" key and receive every task.
# A worker started without -Q consumes both queues.
CELERY_TASK_QUEUES = tuple(
    Queue(name, Exchange(name), routing_key=name)
    for name in (CELERY_TASK_DEFAULT_QUEUE, SCORING_QUEUE)
)
# A task taken by a worker that dies unacknowledged goes back to the queue
# after this long (Redis has no other way to know the worker is gone).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
