"""Fixtures of the API tests: a client per kind of caller, a serving model, a scored client.

Callers (the rows of every permission matrix):

    anonymous      no credentials
    integration    an integration account with its token (Authorization: Token ...)
    advisor        the advisor of `application` (session)
    colleague      another advisor, `application` is not in their portfolio
    supervisor     sees every portfolio
    client_own     the client of `application` (portal login)
    client_other   a client with an application of their own, not `application`
    staff          risk staff (is_staff)
    stranger       logged in, no role
"""

from __future__ import annotations

import io
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from ml.predict import load_model
from scoring.models import ModelVersion, Score
from tests.factories import ApplicationFactory, UserFactory

CALLERS = (
    "anonymous",
    "integration",
    "advisor",
    "colleague",
    "supervisor",
    "client_own",
    "client_other",
    "staff",
    "stranger",
)


@pytest.fixture(autouse=True)
def _fresh_throttle_history():
    """Throttle counts live in Redis and outlive a test's database rollback: forget them."""
    cache = django_settings.CACHES["default"]
    client = redis.Redis.from_url(cache["LOCATION"])
    try:
        keys = list(client.scan_iter(match=f"{cache['KEY_PREFIX']}:*throttle_*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def client_other(db):
    """A client whose own application is another one."""
    user = UserFactory(username="client-oscar", role=Role.CLIENT)
    ApplicationFactory(portal_user=user)
    return user


@pytest.fixture
def integration_token(integration) -> str:
    _token, key = api_token_issue(user=integration)
    return key


@pytest.fixture
def api_as(request) -> Callable[[str], APIClient]:
    """`api_as("advisor")`: an APIClient authenticated as that caller (see the module doc)."""

    def make(caller: str) -> APIClient:
        # DRF's own messages follow Accept-Language (the site's default is French).
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if caller == "anonymous":
            return client
        if caller == "integration":
            key = request.getfixturevalue("integration_token")
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            return client
        fixture = {
            "client_own": "client_user",
            "staff": "risk_staff",
        }.get(caller, caller)
        client.force_login(request.getfixturevalue(fixture))
        return client

    return make


# -- a model that serves, cheap per test ----------------------------------------------------


@pytest.fixture(scope="session")
def _served_artifact(tmp_path_factory, trained_artifact) -> dict:
    """The session's model archived once into a storage dir and unpacked into a cache dir.

    Registering through `model_version_register` archives (gzip) the
    artifact on every test: 1-2 s each. The registry's own tests cover that;
    here the archive is made once and every test only adds the row.
    """
    model = load_model(trained_artifact)
    media = tmp_path_factory.mktemp("api-media")
    cache = tmp_path_factory.mktemp("api-model-cache")
    archive_name = f"model-artifacts/{model.artifact_hash}.tar.gz"
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=1) as archive:
        for path in sorted(Path(trained_artifact).iterdir()):
            archive.add(path, arcname=path.name)
    (media / archive_name).parent.mkdir(parents=True)
    (media / archive_name).write_bytes(buffer.getvalue())
    with tarfile.open(fileobj=io.BytesIO(buffer.getvalue()), mode="r:gz") as archive:
        archive.extractall(cache / model.artifact_hash, filter="data")
    return {"model": model, "media": media, "cache": cache, "archive": archive_name}


@pytest.fixture
def serving_version(db, settings, _served_artifact) -> ModelVersion:
    """The session's trained model, active (the API tests' usual model)."""
    model = _served_artifact["model"]
    settings.MEDIA_ROOT = str(_served_artifact["media"])
    settings.MODEL_CACHE_DIR = _served_artifact["cache"]
    metadata = model.metadata
    return ModelVersion.objects.create(
        version=model.version,
        artifact_hash=model.artifact_hash,
        archive=_served_artifact["archive"],
        threshold=model.threshold,
        cost_false_negative=float(model.cost_weights.get("cost_fn", 10.0)),
        cost_false_positive=float(model.cost_weights.get("cost_fp", 1.0)),
        metrics=metadata.get("metrics", {}),
        trained_on=metadata.get("data", {}),
        feature_names=model.feature_names,
        is_active=True,
        activated_at=timezone.now(),
    )


@pytest.fixture
def scored(application, serving_version, score_now) -> Score:
    """`application`, scored by the serving model (done, with its explanation)."""
    return score_now(application)


# -- a model that cannot serve: a generic 503 for the caller, the cause in the log -----------


@pytest.fixture
def assert_model_unavailable(caplog):
    """`assert_model_unavailable(response, cause)`: the caller reads a generic 503 with a
    reference; the log line with that reference names the cause, which the answer does not."""
    import logging
    import re

    caplog.set_level(logging.ERROR, logger="api.exceptions")

    def check(response, cause: str) -> None:
        assert response.status_code == 503
        assert response["Content-Type"] == "application/json"
        body = response.json()
        reference = body["reference"]
        assert re.fullmatch(r"[0-9a-f]{12}", reference)
        assert body["detail"].startswith("No model can score right now.")
        assert reference in body["detail"]
        assert cause not in response.content.decode()
        logged = [r.getMessage() for r in caplog.records if reference in r.getMessage()]
        assert logged and cause in logged[0], caplog.text

    return check
