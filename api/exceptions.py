"""API errors with their own status codes (DRF renders them as {"detail": ...})."""

from __future__ import annotations

import logging
import uuid

from django.utils.translation import gettext
from rest_framework import status
from rest_framework.exceptions import APIException

logger = logging.getLogger(__name__)


def error_reference() -> str:
    """A short random id that ties what a caller was told to the details in the logs."""
    return uuid.uuid4().hex[:12]


class ModelUnavailable(APIException):
    """No model is active, or the active one's artifact is missing or corrupt: 503.

    The caller reads a generic sentence and a reference; the cause (which may
    name files, paths or storage) goes to the log under that reference.
    """

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "No model can score right now."
    default_code = "model_unavailable"

    def __init__(self, cause: object = None) -> None:
        self.reference = error_reference()
        logger.error("model unavailable (reference %s): %s", self.reference, cause)
        super().__init__(
            detail={
                "detail": gettext(
                    "No model can score right now. Try again later; if this goes on, give "
                    "the reference %(reference)s to the support team."
                )
                % {"reference": self.reference},
                "reference": self.reference,
            }
        )


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The resource already exists."
    default_code = "conflict"
