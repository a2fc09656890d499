"""/healthz: can this deployment score? One JSON report for load balancers and people.

    {"status": "ok" | "degraded" | "error",
     "database": {"status": "ok", "ms": 1.2},
     "broker":   {"status": "ok", "ms": 0.8},
     "worker":   {"status": "ok", "workers": ["celery@host"], "ms": 12.0},
     "model":    {"status": "ok", "version": "...", "ms": 40.1}}

HTTP 200 when the database, the broker and the model are fine, 503 when any
of them is not. A missing Celery worker is "degraded" but still 200: the web
process serves pages, explanations and stateless predictions, and score
requests wait in the broker until a worker starts, so a load balancer must
not take the web process out (nor an orchestrator restart it) for that; the
report says `"worker": {"status": "down"}` for whoever watches it.

The model check loads the active version as scoring would (fetched from
storage and verified by hash), then re-hashes the files this machine uses, so
an artifact modified after loading is reported too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import redis
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import PUBLIC, access_rule
from ml.artifact import ArtifactError, artifact_hash
from scoring.registry import NoActiveModel, active_model_version, scoring_model_for

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"
DOWN = "down"
UNKNOWN = "unknown"

Check = dict[str, Any]


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"status": ERROR, "detail": f"database unreachable: {error}".strip()}
    return {"status": OK}


def check_broker() -> Check:
    url = settings.CELERY_BROKER_URL
    # Celery (kombu) spells a unix socket redis+socket:///path, as make demo's
    # embedded Redis does; redis-py spells it unix:///path.
    if url.startswith(("redis+socket://", "socket://")):
        url = "unix://" + url.split("://", 1)[1]
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError) as error:
        return {"status": ERROR, "detail": f"broker unreachable: {error}"}
    return {"status": OK}


def check_worker(*, timeout: float | None = None) -> Check:
    from creditscore.celery import app

    timeout = settings.HEALTHZ_WORKER_TIMEOUT if timeout is None else timeout
    try:
        replies = app.control.inspect(timeout=timeout).ping() or {}
    except Exception as error:  # noqa: BLE001 - any broker trouble means "unknown"
        return {"status": UNKNOWN, "detail": f"could not ask the workers: {error}"}
    if not replies:
        return {
            "status": DOWN,
            "detail": f"no Celery worker answered within {timeout:g} s: "
            "score requests wait in the queue until one starts",
        }
    return {"status": OK, "workers": sorted(replies)}


def check_model() -> Check:
    try:
        version = active_model_version()
    except NoActiveModel as error:
        return {"status": ERROR, "detail": str(error)}
    report: Check = {"version": version.version}
    if not default_storage.exists(version.archive.name):
        return {
            **report,
            "status": ERROR,
            "detail": f"archive {version.archive.name} of model {version.version} is missing "
            "from storage: other machines cannot fetch it (register the artifact again)",
        }
    try:
        model = scoring_model_for(version)
        # Loaded models stay in memory: hash the files again to see a change made since.
        if artifact_hash(model.artifact_dir) != version.artifact_hash:
            raise ArtifactError(
                f"artifact {model.artifact_dir} no longer matches model {version.version}"
            )
    except ArtifactError as error:
        return {**report, "status": ERROR, "detail": str(error)}
    return {**report, "status": OK}


def _timed(check: Callable[[], Check]) -> Check:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as error:  # noqa: BLE001 - the health report answers whatever broke
        logger.exception("health check %s failed", check.__name__)
        result = {"status": ERROR, "detail": f"{type(error).__name__}: {error}"}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def health_report() -> tuple[dict[str, Any], int]:
    """The report and its HTTP status (200 or 503)."""
    report: dict[str, Any] = {
        "database": _timed(check_database),
        "broker": _timed(check_broker),
    }
    if report["broker"]["status"] == OK:
        report["worker"] = _timed(check_worker)
    else:
        report["worker"] = {"status": UNKNOWN, "detail": "the broker is unreachable"}
    if report["database"]["status"] == OK:
        report["model"] = _timed(check_model)
    else:
        report["model"] = {"status": UNKNOWN, "detail": "the database is unreachable"}
    essential = ("database", "broker", "model")
    if any(report[name]["status"] != OK for name in essential):
        overall, code = ERROR, 503
    elif report["worker"]["status"] != OK:
        overall, code = "degraded", 200
    else:
        overall, code = OK, 200
    return {"status": overall, **report}, code


@require_GET
@never_cache
@access_rule(PUBLIC)
def healthz(request: HttpRequest) -> JsonResponse:
    """The health report as JSON: 200 when the deployment can score, 503 otherwise.

    Who: anyone, no login (it shows no client data).
    """
    report, code = health_report()
    return JsonResponse(report, status=code)
