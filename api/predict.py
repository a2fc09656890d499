"""/api/v1/predict: a stateless prediction with its explanation; nothing is stored."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.common import integer_param, language_param, serving_model
from api.exceptions import ModelUnavailable
from api.permissions import PREDICT
from api.serializers.predict import (
    PredictInputSerializer,
    PredictionSerializer,
    tables_from_prediction_input,
)
from api.throttling import ScopedRateThrottle, UserRateThrottle
from ml.artifact import ArtifactError
from ml.dataset import DatasetError
from scoring.registry import NoActiveModel
from scoring.services import prediction_make

MAX_TOP_FEATURES = 100


class PredictView(APIView):
    """Score one application sent in the body, in this request, and forget it.

    Who: advisors, supervisors and integration accounts (clients.request_score).
    The body holds the application's Kaggle fields (SK_ID_CURR optional),
    and optionally history rows under the Kaggle table names ("bureau",
    "bureau_balance", "previous_application", "POS_CASH_balance",
    "installments_payments", "credit_card_balance"), each a list of rows with
    Kaggle columns. No application, score or explanation is stored; the audit
    log records who predicted with which model, not the data. Throttled more
    strictly than the rest (rate "predict"). 503 when no model can serve.
    """

    access_rule = PREDICT
    throttle_classes = [UserRateThrottle, ScopedRateThrottle]
    throttle_scope = "predict"

    @extend_schema(
        tags=["predict"],
        summary="Stateless prediction with its explanation (nothing stored)",
        request=PredictInputSerializer,
        parameters=[
            OpenApiParameter("lang", str, enum=["fr", "en"]),
            OpenApiParameter("top", int, description=f"1 to {MAX_TOP_FEATURES}; default 10."),
        ],
        responses={
            200: PredictionSerializer,
            400: OpenApiResponse(description="Each bad or unknown field named."),
            503: OpenApiResponse(description="No active model, or its artifact is broken."),
        },
    )
    def post(self, request: Request) -> Response:
        language = language_param(request)
        top = integer_param(request, "top", default=10, minimum=1, maximum=MAX_TOP_FEATURES)
        serializer = PredictInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            tables = tables_from_prediction_input(serializer.validated_data)
        except DatasetError as error:  # validated already; kept as a 400 should a case slip by
            raise ValidationError({"non_field_errors": [str(error)]}) from error
        serving_model()  # a clear 503 before any work
        try:
            result = prediction_make(tables=tables, actor=request.user, language=language, top=top)
        except (NoActiveModel, ArtifactError) as error:  # changed since serving_model()
            raise ModelUnavailable(error) from error
        return Response(result)
