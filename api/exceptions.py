"""API errors with their own status codes (DRF renders them as {"detail": ...})."""

from __future__ import annotations

from rest_framework import status
from rest_framework.exceptions import APIException


class ModelUnavailable(APIException):
    """No model is active, or the active one's artifact is missing or corrupt: 503."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "No model can score right now."
    default_code = "model_unavailable"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The resource already exists."
    default_code = "conflict"
