"""Helpers shared by the API views: the serving model (or a 503) and query parameters."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from api.exceptions import ModelUnavailable
from explanations.feature_labels import LANGUAGES
from ml.artifact import ArtifactError
from ml.predict import ScoringModel
from scoring.models import ModelVersion
from scoring.registry import NoActiveModel, active_scoring_model


def serving_model() -> tuple[ModelVersion, ScoringModel]:
    """The active model version, loaded and verified; a 503 with the reason otherwise."""
    try:
        return active_scoring_model()
    except NoActiveModel as error:
        raise ModelUnavailable(error) from error
    except ArtifactError as error:
        raise ModelUnavailable(f"the active model cannot be loaded: {error}") from error


def integer_param(request: Request, name: str, *, default: int, minimum: int, maximum: int) -> int:
    """A whole number from the query string, within bounds; 400 naming it otherwise."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [f"must be a whole number, got {raw!r}."]}) from None
    if not minimum <= value <= maximum:
        raise ValidationError({name: [f"must be between {minimum} and {maximum}."]})
    return value


def language_param(request: Request) -> str:
    """?lang=fr|en; without it the language negotiated by LocaleMiddleware."""
    raw = request.query_params.get("lang")
    if raw is None or raw == "":
        negotiated = (getattr(request, "LANGUAGE_CODE", "") or "").split("-")[0]
        return negotiated if negotiated in LANGUAGES else "en"
    if raw not in LANGUAGES:
        raise ValidationError({"lang": [f"must be one of {', '.join(LANGUAGES)}."]})
    return raw
