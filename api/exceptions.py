"""API errors with their own status codes (DRF renders them as {"detail": ...}).

Their messages go through gettext like every other: the lower layers'
exceptions (NoActiveModel, ArtifactError) carry English text for logs and
developers, so the API says the same in the response's language instead.

A model that cannot serve is a 503 whose words are generic: its cause (which
may name files, paths or storage) goes to the log under a reference that the
answer gives, for the support team to find it.
"""

from __future__ import annotations

import logging
import uuid

from django.utils.translation import gettext, gettext_lazy
from rest_framework import status
from rest_framework.exceptions import APIException

logger = logging.getLogger(__name__)


def error_reference() -> str:
    """A short random id that ties what a caller was told to the details in the logs."""
    return uuid.uuid4().hex[:12]


class ModelUnavailable(APIException):
    """No model is active, or the active one's artifact is missing or corrupt: 503."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = gettext_lazy("No model can score right now.")
    default_code = "model_unavailable"
    reference: str = ""


def _model_unavailable(code: str, cause: object) -> ModelUnavailable:
    """The 503: `code` says which case (no_active_model, model_cannot_load), the words say
    nothing internal; `cause` is logged under the reference the answer gives."""
    reference = error_reference()
    logger.error("model unavailable: %s (reference %s): %s", code, reference, cause)
    detail = gettext(
        "No model can score right now. Try again later; if this goes on, give the "
        "reference %(reference)s to the support team."
    ) % {"reference": reference}
    error = ModelUnavailable({"detail": detail, "reference": reference}, code=code)
    error.reference = reference
    return error


def no_active_model(cause: object = "no active model version") -> ModelUnavailable:
    return _model_unavailable("no_active_model", cause)


def model_cannot_load(error: Exception) -> ModelUnavailable:
    """The active model's files are missing or damaged (the error says which: logged only)."""
    return _model_unavailable("model_cannot_load", error)


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
