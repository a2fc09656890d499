"""/healthz: can this deployment score? A bare status for anyone, details for staff.

Anyone (a load balancer):

    {"status": "ok" | "degraded" | "error"}      HTTP 200, 200 or 503

Risk staff signed in, or a monitoring system sending `X-Healthz-Token: <HEALTHZ_TOKEN>`:

    {"status": "ok",
     "database": {"status": "ok", "ms": 1.2},
     "broker":   {"status": "ok", "ms": 0.8},
     "worker":   {"status": "ok", "workers": 2, "ms": 12.0},
     "model":    {"status": "ok", "version": "d95e1bbe716a", "verified": true, "ms": 40.1}}

Even the details name no host, path, user or library version: a failed check
says what failed in a few words and gives a reference, and the log line with
that reference holds the error itself.

HTTP 200 when the database and the model are fine, 503 when either is not. A
missing Celery worker or an unreachable broker (Redis) is "degraded" but still
200: the web process serves pages, explanations and stateless predictions, and
score requests wait (in the broker, or pending in Postgres until the sweeper
sends them again: scoring/sweeper.py), so a load balancer must not take the
web process out (nor an orchestrator restart it) for that.

The model check loads the active version as scoring would (fetched from
storage and verified by hash), then re-hashes the files this machine uses, so
an artifact modified after loading is reported too.

Each web process computes the report at most every `HEALTHZ_CACHE_SECONDS`
and serves it to every caller meanwhile: the checks wait up to a second for a
Celery ping and re-hash the model files, and a few callers polling in a loop
must not occupy every web worker with that. While one thread recomputes,
the others get the previous report rather than wait.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import PUBLIC, access_rule
from accounts.second_factor import second_factor_step
from api.exceptions import error_reference
from ml.artifact import ArtifactError, artifact_hash
from scoring.registry import NoActiveModel, active_model_version, scoring_model_for

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"
DOWN = "down"
UNKNOWN = "unknown"
DEGRADED = "degraded"

Check = dict[str, Any]


class CheckFailed(Exception):
    """A check's failure: `reason` may be shown (a few words), `detail` goes to the log only."""

    def __init__(self, reason: str, detail: object = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        raise CheckFailed("database unreachable", error) from error
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
        raise CheckFailed("broker unreachable", error) from error
    return {"status": OK}


def check_worker(*, timeout: float | None = None) -> Check:
    from creditscore.celery import app

    timeout = settings.HEALTHZ_WORKER_TIMEOUT if timeout is None else timeout
    try:
        replies = app.control.inspect(timeout=timeout).ping() or {}
    except Exception as error:  # noqa: BLE001 - any broker trouble means "unknown"
        logger.warning("health: could not ask the Celery workers: %s", error)
        return {"status": UNKNOWN, "reason": "could not ask the workers"}
    if not replies:
        return {
            "status": DOWN,
            "reason": f"no worker answered within {timeout:g} s: score requests wait in the queue",
        }
    # How many, not their names: a worker's name is its host's.
    return {"status": OK, "workers": len(replies)}


def check_model() -> Check:
    try:
        version = active_model_version()
    except NoActiveModel as error:
        raise CheckFailed("no active model version", error) from error
    if not version.archive.name or not default_storage.exists(version.archive.name):
        raise CheckFailed(
            f"the archive of model {version.version} is missing from storage",
            f"archive {version.archive.name} of model {version.version} is missing from storage",
        )
    try:
        model = scoring_model_for(version)
        # Loaded models stay in memory: hash the files again to see a change made since.
        if artifact_hash(model.artifact_dir) != version.artifact_hash:
            raise ArtifactError(
                f"artifact {model.artifact_dir} no longer matches model {version.version}"
            )
    except ArtifactError as error:
        raise CheckFailed(f"model {version.version} failed its verification", error) from error
    return {"status": OK, "version": version.version, "verified": True}


def _timed(name: str, check: Callable[[], Check]) -> Check:
    started = time.perf_counter()
    try:
        result = check()
    except CheckFailed as failure:
        reference = error_reference()
        logger.error("health: %s (reference %s): %s", failure.reason, reference, failure.detail)
        result = {"status": ERROR, "reason": failure.reason, "reference": reference}
    except Exception:  # the report answers whatever broke, the log says what
        reference = error_reference()
        logger.exception("health: the %s check failed (reference %s)", name, reference)
        result = {"status": ERROR, "reason": f"the {name} check failed", "reference": reference}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def health_report() -> tuple[dict[str, Any], int]:
    """The detailed report and its HTTP status (200 or 503), computed now."""
    report: dict[str, Any] = {
        "database": _timed("database", check_database),
        "broker": _timed("broker", check_broker),
    }
    if report["broker"]["status"] == OK:
        report["worker"] = _timed("worker", check_worker)
    else:
        report["worker"] = {"status": UNKNOWN, "reason": "the broker is unreachable"}
    if report["database"]["status"] == OK:
        report["model"] = _timed("model", check_model)
    else:
        report["model"] = {"status": UNKNOWN, "reason": "the database is unreachable"}
    essential = ("database", "model")
    if any(report[name]["status"] != OK for name in essential):
        overall, code = ERROR, 503
    elif report["broker"]["status"] != OK or report["worker"]["status"] != OK:
        overall, code = DEGRADED, 200
    else:
        overall, code = OK, 200
    return {"status": overall, **report}, code


@dataclass(frozen=True)
class _Computed:
    at: float
    report: dict[str, Any]
    code: int


_computed: _Computed | None = None
_computing = threading.Lock()


def cached_health_report() -> tuple[dict[str, Any], int]:
    """The report of the last `HEALTHZ_CACHE_SECONDS`, computed by one caller at a time.

    A caller finding it stale recomputes it; callers arriving meanwhile get the
    stale one at once (only the very first report is waited for).
    """
    global _computed
    computed = _computed
    if computed is not None and time.monotonic() - computed.at < settings.HEALTHZ_CACHE_SECONDS:
        return computed.report, computed.code
    if _computing.acquire(blocking=computed is None):
        try:
            computed = _computed
            if computed is None or time.monotonic() - computed.at >= settings.HEALTHZ_CACHE_SECONDS:
                report, code = health_report()
                computed = _computed = _Computed(at=time.monotonic(), report=report, code=code)
        finally:
            _computing.release()
    assert computed is not None
    return computed.report, computed.code


def forget_cached_report() -> None:
    """Drop the cached report (tests; the next call computes afresh)."""
    global _computed
    _computed = None


def sees_details(request: HttpRequest) -> bool:
    """Risk staff signed in, or a monitoring system with the token (compared in constant time)."""
    user = request.user
    if (
        user.is_authenticated
        and user.is_active
        and (user.is_staff or user.has_perm("accounts.view_monitoring"))
        and second_factor_step(request) is None
    ):
        return True
    expected = settings.HEALTHZ_TOKEN
    sent = request.headers.get("X-Healthz-Token", "")
    return bool(expected) and hmac.compare_digest(sent.encode(), expected.encode())


@require_GET
@never_cache
@access_rule(PUBLIC)
def healthz(request: HttpRequest) -> JsonResponse:
    """The health report as JSON: 200 when the deployment can score, 503 otherwise.

    Who: anyone gets the status alone; risk staff (signed in) and holders of
    the monitoring token (`X-Healthz-Token`) get the details of each check.
    """
    report, code = cached_health_report()
    if not sees_details(request):
        report = {"status": report["status"]}
    return JsonResponse(report, status=code)
