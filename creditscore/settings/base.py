"""Settings shared by every environment.

One django-environ `env` reads the process environment (and `.env` when present).
Environment-specific modules (local, test, production) import from here and
override only what differs.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
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
    "drf_spectacular",
    # Swagger UI's files, served by us: /api/docs/ works without internet access.
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    # Triggers in migrations: the audit tables refuse UPDATE and DELETE (audit/models.py).
    "pgtrigger",
    # Login lockout (django-axes), one-time codes (django-otp, TOTP), Content-Security-Policy.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # Celery beat's schedule in the database: staff edit it in the admin site.
    "django_celery_beat",
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
    # Static files are answered here, before anything below (they hold no personal data).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every other response: Cache-Control no-store, Permissions-Policy.
    "creditscore.middleware.PrivateResponseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session confirmed a one-time code.
    "django_otp.middleware.OTPMiddleware",
    # Tells the audit trail which request an event comes from; records refusals (403).
    "audit.context.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    # A client's session reaches /portal/ only: 403 everywhere else (pages, admin, API).
    "accounts.middleware.PortalConfinementMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a lockout into its page (429).
    "axes.middleware.AxesMiddleware",
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
                "creditscore.context_processors.manual_review",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/creditscore"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A persistent connection is tested before each request reuses it: after PostgreSQL
# restarts, web and workers reconnect on their own instead of failing on a dead socket.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# -- Logging in: lockout, second factor, sessions -------------------------------------------
# django-axes checks every authenticate() call (login page, admin login, the API's token
# endpoint) before the password is even tried, and counts failures per account and per
# client address: either one reaching the limit locks (a guesser spreading over addresses
# still locks the account; one address trying many accounts locks the address).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The address as our own proxies vouch for it (never the raw X-Forwarded-For).
AXES_CLIENT_IP_CALLABLE = "accounts.network.client_address"
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not extend it: a guesser cannot keep an account locked
# for ever by hammering it (the lockout ends LOGIN_LOCKOUT_MINUTES after it began).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Quiet at start-up; failures and lockouts are still logged (warnings of the "axes" logger).
AXES_VERBOSE = False
# django-axes keeps a row per login (AccessLog), per failing account and address
# (AccessAttempt) and, when enabled, per failure (AccessFailureLog), for ever: who logged
# in from where is personal data. Rows older than this many days are deleted daily
# (accounts.services.login_records_purge, periodic task of scoring/schedules.py).
LOGIN_RECORDS_RETENTION_DAYS = env.int("LOGIN_RECORDS_RETENTION_DAYS", default=90)
# The password reset form sends mail rather than logging in: it has a limiter of its own
# (accounts/throttle.py), per address and per e-mail address, within this window.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=10)
PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_LIMIT_PER_EMAIL", default=3)
PASSWORD_RESET_LIMIT_WINDOW = env.int("PASSWORD_RESET_LIMIT_WINDOW", default=3600)

# Staff and supervisors confirm each login with a one-time code (TOTP, django-otp);
# see accounts/second_factor.py. Only `make demo` may turn the obligation off (local
# settings); whoever has enrolled a device is asked for a code in any case.
OTP_REQUIRED = True
OTP_TOTP_ISSUER = "Prêt à dépenser"
# The admin pages of the devices never show their secret keys.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# A session ends after SESSION_IDLE_MINUTES without a request (accounts.middleware), and
# in any case SESSION_MAX_HOURS after the login, or when the browser closes.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_COOKIE_AGE = env.int("SESSION_MAX_HOURS", default=10) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# API tokens expire this many days after they are issued (accounts.ApiToken).
API_TOKEN_LIFETIME_DAYS = env.int("API_TOKEN_LIFETIME_DAYS", default=90)

# -- Response headers ------------------------------------------------------------------------
# No script but our own static files: no inline script, no eval. No inline style either,
# but for two style elements plotly.js creates as it loads, allowed by the hash of their
# exact content (so nothing else inline is): an empty one it then fills through the CSSOM
# (which CSP does not govern), and the CSS of its bundled map library (maplibre-gl). A
# plotly upgrade that changes the latter shows in tests/browser/test_content_security_policy.py.
PLOTLY_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # "" (plotly.js-style-global)
    "'sha256-gG0b4ixT/IQUp7JJLbyKcpYcYDjq2Wp8NGv3f+aasqo='",  # maplibre-gl's CSS
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-elem": [SELF, *PLOTLY_STYLE_HASHES],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "creditscore.errors.csrf_failure"

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
        # Redis, but a Redis that is down is a cache miss, not an error page: every page
        # that needs no new score keeps working from the database (creditscore/cache.py).
        "BACKEND": "creditscore.cache.DegradingRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="creditscore"),
        # A dead Redis answers "connection refused" at once; one that hangs must not hang
        # the page: give up after half a second.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
# Results that matter (scores) are rows in Postgres; the broker's result
# backend only carries task state for progress polling.
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# Sending a task to a broker that is down gives up within about a second
# (scoring/queueing.py): the request still succeeds, its row stays pending, and the
# sweeper sends it again (scoring/sweeper.py), after these delays without progress:
CELERY_BROKER_CONNECTION_TIMEOUT = 1
SWEEP_PENDING_AFTER_SECONDS = env.int("SWEEP_PENDING_AFTER_SECONDS", default=60)
# Longer than a score task may run (time_limit 90 s), and than a batch (3,700 s).
SWEEP_RUNNING_AFTER_SECONDS = env.int("SWEEP_RUNNING_AFTER_SECONDS", default=300)
SWEEP_BATCH_RUNNING_AFTER_SECONDS = env.int("SWEEP_BATCH_RUNNING_AFTER_SECONDS", default=3_900)
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Beat reads its schedule from the database (django-celery-beat): the monitoring migrations
# register the periodic tasks (monitoring/schedules.py), and staff change them in the admin.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Uploaded batch files and their results (applicants' data) are deleted this many days
# after submission (scoring.batch.batch_files_purge), daily, by the periodic task of
# scoring/schedules.py (in the database: staff may change its time in the admin).
BATCH_FILE_RETENTION_DAYS = env.int("BATCH_FILE_RETENTION_DAYS", default=30)

# What-if and counterfactual simulations per person and minute (each scores the client
# again, a counterfactual a whole grid of scenarios): beyond, a 429 asks to wait.
SIMULATIONS_PER_MINUTE = env.int("SIMULATIONS_PER_MINUTE", default=30)

# The currency of every amount of the data (ISO 4217): the Kaggle files carry none, and
# Prêt à dépenser lends in France. formatting.money writes it the way each language does.
CURRENCY = env("CURRENCY", default="EUR")
# Our name, where the Kaggle data says "Home Credit" (the lender whose history it records):
# "Previous applications at Prêt à dépenser".
COMPANY_NAME = env("COMPANY_NAME", default="Prêt à dépenser")

# The address clients reach the site at: links in the e-mails sent to them (a worker
# sends them, with no request to read the host from).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# E-mail to clients (invitations, password resets, a review's steps): SMTP in production;
# local.py (development, `make demo`) writes each message as a file under EMAIL_FILE_PATH
# instead (README).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / ".demo" / "mail"))
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Prêt à dépenser <ne-pas-repondre@pret-a-depenser.example>"
)

# Where model artifacts live (written by `manage.py train_model`).
MODEL_ARTIFACTS_DIR = Path(env("MODEL_ARTIFACTS_DIR", default=str(BASE_DIR / "artifacts")))

# The business cost of errors: a missed defaulter costs 10 wrongly refused clients.
COST_FALSE_NEGATIVE = env.float("COST_FALSE_NEGATIVE", default=10.0)
COST_FALSE_POSITIVE = env.float("COST_FALSE_POSITIVE", default=1.0)

# The largest upload accepted (a batch CSV): refused before it is stored, while it streams
# in (creditscore/uploads.py). Bodies other than files are capped by Django's
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) and, in the API, by API_BODY_MAX_BYTES.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=200) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "creditscore.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# The largest JSON or form body the API reads (api/parsers.py): 413 beyond it.
API_BODY_MAX_BYTES = env.int("API_BODY_MAX_BYTES", default=1024 * 1024)
REST_FRAMEWORK = {
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.BoundedJSONParser",
        "api.parsers.BoundedFormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First: a 401 naming the Token scheme for "Authorization: Bearer ..." and the like.
        "api.authentication.TokenSchemeHint",
        # Authorization: Token <key>, checked against the stored digests (api/authentication.py).
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Every API view declares its access rule (api/permissions.py); a view without one is closed.
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.FollowsAccessRule"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
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
    # The error answers of every operation (401, 403, 404, 429...: api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_error_responses",
    ],
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
# Each web process computes the report at most this often (creditscore/health.py).
HEALTHZ_CACHE_SECONDS = env.float("HEALTHZ_CACHE_SECONDS", default=5.0)
# Sent as `X-Healthz-Token` by a monitoring system, it gets the detailed report (empty: none).
HEALTHZ_TOKEN = env("HEALTHZ_TOKEN", default="")
# Set in production.py only.
IS_PRODUCTION = False

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # django-axes logs every successful login at INFO; failures and lockouts are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
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
