"""/api/v1/models/active: the model card of the version that serves."""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.common import language_param, serving_model
from api.permissions import VIEW_MODEL_CARD
from api.serializers.model_versions import ModelCardSerializer
from scoring.explanations import global_importance
from scoring.models import ModelVersion
from scoring.selectors import model_version_card

IMPORTANCE_TOP = 20


class ActiveModelView(APIView):
    """The active model: version, threshold, cost weights, metrics, training data,
    feature count, the 20 most important features and the model card (Markdown).

    Who: every role but clients (integrations, advisors, supervisors, staff).
    404 when no version is active; 503 when its artifact cannot be loaded.
    """

    access_rule = VIEW_MODEL_CARD

    @extend_schema(
        tags=["models"],
        summary="The model card of the active model",
        parameters=[OpenApiParameter("lang", str, enum=["fr", "en"])],
        responses={
            200: ModelCardSerializer,
            404: OpenApiResponse(description="No active model version."),
            503: OpenApiResponse(description="The active model's artifact is broken."),
        },
    )
    def get(self, request: Request) -> Response:
        if not ModelVersion.objects.filter(is_active=True).exists():
            raise NotFound(gettext("no active model version: train one (manage.py train_model)."))
        version, model = serving_model()
        importance = global_importance(
            model_version=version, language=language_param(request), top=IMPORTANCE_TOP
        )
        return Response(model_version_card(version=version, model=model, importance=importance))
