"""/api/v1/predict: a stateless prediction with its explanation; nothing is stored."""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.common import integer_param, language_param, serving_model
from api.exceptions import model_cannot_load, no_active_model
from api.permissions import PREDICT
from api.serializers.examples import PREDICT_EXAMPLES
from api.serializers.manual_review import decision_withheld
from api.serializers.predict import (
    PredictInputSerializer,
    PredictionSerializer,
    prediction_warnings,
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
    Kaggle columns. The fields a score needs are required (400 naming each
    one missing). A history table left out of the body is reported in
    `warnings` (history_absent): the model cannot tell "not sent" from "none",
    so a client without history is sent with empty lists. No application,
    score or explanation is stored; the audit log records who predicted with
    which model, not the data. Throttled more strictly than the rest (rate
    "predict"). 503 when no model can serve.
    """

    access_rule = PREDICT
    throttle_classes = [UserRateThrottle, ScopedRateThrottle]
    throttle_scope = "predict"

    @extend_schema(
        tags=["predict"],
        summary="Stateless prediction with its explanation (nothing stored)",
        request=PredictInputSerializer,
        examples=PREDICT_EXAMPLES,
        parameters=[
            OpenApiParameter("lang", str, enum=["fr", "en"]),
            OpenApiParameter("top", int, description=f"1 to {MAX_TOP_FEATURES}; default 10."),
        ],
        responses={
            200: PredictionSerializer,
            400: OpenApiResponse(description="Each bad, unknown or missing required field named."),
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
            message = gettext("the body cannot be read as Kaggle tables: %(error)s")
            raise ValidationError({"non_field_errors": [message % {"error": error}]}) from error
        serving_model()  # a clear 503 before any work
        try:
            result = prediction_make(tables=tables, actor=request.user, language=language, top=top)
        except NoActiveModel as error:  # deactivated since serving_model()
            raise no_active_model(error) from error
        except ArtifactError as error:
            raise model_cannot_load(error) from error
        return Response(
            decision_withheld(
                {**result, "warnings": prediction_warnings(serializer.validated_data)}
            )
        )
