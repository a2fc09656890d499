"""Helpers shared by the API views: the serving model (or a 503) and query parameters."""

from __future__ import annotations

from django.utils.translation import gettext
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from api.exceptions import model_cannot_load, no_active_model
from explanations.feature_labels import LANGUAGES
from formatting import active_language
from ml.artifact import ArtifactError
from ml.predict import ScoringModel
from scoring.models import ModelVersion
from scoring.registry import NoActiveModel, active_scoring_model


def serving_model() -> tuple[ModelVersion, ScoringModel]:
    """The active model version, loaded and verified; a 503 with the reason otherwise."""
    try:
        return active_scoring_model()
    except NoActiveModel as error:
        raise no_active_model(error) from error
    except ArtifactError as error:
        raise model_cannot_load(error) from error


def integer_param(request: Request, name: str, *, default: int, minimum: int, maximum: int) -> int:
    """A whole number from the query string, within bounds; 400 naming it otherwise."""
    raw = request.query_params.get(name)
    if raw is None:
        return default  # absent; an empty value is no number (400 below)
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError(
            {name: [gettext("must be a whole number, got %(value)s.") % {"value": repr(raw)}]}
        ) from None
    if not minimum <= value <= maximum:
        raise ValidationError(
            {
                name: [
                    gettext("must be between %(minimum)s and %(maximum)s.")
                    % {"minimum": minimum, "maximum": maximum}
                ]
            }
        )
    return value


def language_param(request: Request) -> str:
    """The response's language: ?lang=fr|en, else Accept-Language (see api/negotiation.py,
    which has activated it already); a `lang` we do not write is a 400."""
    raw = request.query_params.get("lang")
    # An empty `lang=` is refused like any other value we do not write (found by the
    # fuzzer: it used to fall back silently to the negotiated language).
    if raw is not None and raw not in LANGUAGES:
        message = gettext("must be one of %(languages)s.") % {"languages": ", ".join(LANGUAGES)}
        raise ValidationError({"lang": [message]})
    return active_language()
