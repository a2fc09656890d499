"""API errors with their own status codes (DRF renders them as {"detail": ...}).

Their messages go through gettext like every other: the lower layers'
exceptions (NoActiveModel, ArtifactError) carry English text for logs and
developers, so the API says the same in the response's language instead.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext, gettext_lazy
from rest_framework import status
from rest_framework.exceptions import APIException

logger = logging.getLogger(__name__)


class ModelUnavailable(APIException):
    """No model is active, or the active one's artifact is missing or corrupt: 503."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = gettext_lazy("No model can score right now.")
    default_code = "model_unavailable"


def no_active_model() -> ModelUnavailable:
    return ModelUnavailable(
        gettext(
            "no active model version: train one (manage.py train_model) "
            "or activate one (manage.py activate_model VERSION)."
        ),
        code="no_active_model",
    )


def model_cannot_load(error: Exception) -> ModelUnavailable:
    """503 in the response's language; `cause` is the server's own diagnostic (which file is
    missing or altered), untranslated, as its log and /healthz give it."""
    logger.error("the active model cannot be loaded: %s", error)
    detail = gettext("the active model cannot be loaded: its files are missing or damaged.")
    return ModelUnavailable(
        {"detail": detail, "cause": str(error)},
        code="model_cannot_load",
    )


class NoAdvisorAvailable(APIException):
    """No advisor could take a new application: 503 rather than an application nobody sees."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = gettext_lazy(
        "no advisor can take this application: there is no active advisor account and this "
        "integration account has no default advisor. Nothing was recorded; ask the "
        "administrator to create an advisor or set the account's default advisor."
    )
    default_code = "no_advisor"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The resource already exists.")
    default_code = "conflict"
