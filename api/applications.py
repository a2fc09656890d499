"""/api/v1/applications: client applications, their scoring and their explanation."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.request import Request
from rest_framework.response import Response

from api.common import integer_param, language_param, serving_model
from api.exceptions import Conflict, NoAdvisorAvailable, no_active_model
from api.permissions import (
    SCORE_REQUEST,
    VIEW_APPLICATIONS,
    WRITE_APPLICATIONS,
    request_user,
)
from api.serializers.applications import (
    ApplicationCreateSerializer,
    ApplicationSerializer,
    ApplicationUpdateSerializer,
    application_url,
)
from api.serializers.examples import APPLICATION_CREATE_EXAMPLES
from api.serializers.explanations import ExplanationSerializer
from api.serializers.manual_review import decision_withheld
from api.serializers.scores import ScoreSerializer
from audit.models import AuditEvent
from audit.services import audit_event_record
from clients.models import Application
from clients.services import (
    ApplicationExists,
    NoAdvisor,
    application_create_assigned,
    application_update,
)
from scoring.explanations import ExplanationUnavailable, explanation_for_score
from scoring.models import Score
from scoring.registry import NoActiveModel
from scoring.selectors import score_latest_done, score_wait_until_finished
from scoring.services import score_request

MAX_WAIT_SECONDS = 30
MAX_TOP_FEATURES = 100
TAG = "applications"


class _ScopedApplications(GenericAPIView):
    """Lookups through `Application.objects.for_user`: outside one's scope is a 404."""

    lookup_field = "sk_id_curr"

    def get_queryset(self) -> QuerySet[Application]:
        return Application.objects.for_user(self.request.user).select_related("advisor")


class ApplicationListView(ListModelMixin, _ScopedApplications):
    """List the applications one may see, or record a new one.

    Who: GET - advisors (their portfolio), supervisors, risk staff and
    integration accounts (every application), clients (their own);
    POST - integration accounts (accounts.use_api) only.

    A new application joins an advisor's portfolio at once: the integration
    account's default advisor, else the advisor with the fewest applications
    (clients/selectors/advisors.py); the assignment is audited. With no
    advisor at all, 503 and nothing is recorded.
    """

    serializer_class = ApplicationSerializer
    access_rules = {"GET": VIEW_APPLICATIONS, "POST": WRITE_APPLICATIONS}

    @extend_schema(tags=[TAG], summary="List the applications one may see (50 per page)")
    def get(self, request: Request) -> Response:
        response = self.list(request)
        # A page of full records is a view of each of them: one event naming them all.
        shown = [row["SK_ID_CURR"] for row in response.data.get("results", [])]
        audit_event_record(
            action=AuditEvent.Action.CLIENT_RECORDS_LISTED,
            actor=request.user,
            detail={"applications": shown, "page": request.query_params.get("page", "1")},
        )
        return response

    @extend_schema(
        tags=[TAG],
        summary="Record a new application (Kaggle fields, upper case)",
        description=(
            "The application joins an advisor's portfolio: the integration account's "
            "default advisor, else the advisor with the fewest applications (its `advisor` "
            "field says who)."
        ),
        request=ApplicationCreateSerializer,
        examples=APPLICATION_CREATE_EXAMPLES,
        responses={
            201: ApplicationSerializer,
            400: OpenApiResponse(description="Each bad, unknown or missing required field named."),
            409: OpenApiResponse(description="SK_ID_CURR already exists: use PUT or PATCH."),
            503: OpenApiResponse(description="No advisor can take it; nothing recorded."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            application = application_create_assigned(
                fields=serializer.validated_data, created_by=request_user(request), channel="api"
            )
        except ApplicationExists as error:
            raise Conflict(
                gettext("application %(id)s already exists: use PUT or PATCH on its URL.")
                % {"id": serializer.validated_data["SK_ID_CURR"]}
            ) from error
        except NoAdvisor as error:
            raise NoAdvisorAvailable() from error
        return Response(
            ApplicationSerializer(application).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": application_url(request, application)},
        )


class ApplicationDetailView(_ScopedApplications):
    """One application.

    Who: GET - as the list (404 outside one's scope, whether or not it
    exists); PUT (every field, the missing ones emptied; the required ones
    must be given) and PATCH (only the fields given; a required one cannot be
    emptied) - integration accounts only.
    """

    serializer_class = ApplicationSerializer
    access_rules = {
        "GET": VIEW_APPLICATIONS,
        "PUT": WRITE_APPLICATIONS,
        "PATCH": WRITE_APPLICATIONS,
    }

    @extend_schema(tags=[TAG], summary="One application")
    def get(self, request: Request, sk_id_curr: int) -> Response:
        application = self.get_object()
        audit_event_record(
            action=AuditEvent.Action.CLIENT_RECORD_VIEWED,
            actor=request.user,
            application_id=application.pk,
        )
        return Response(self.get_serializer(application).data)

    def _update(self, request: Request, *, replace: bool) -> Response:
        application = self.get_object()
        serializer = ApplicationUpdateSerializer(data=request.data, partial=not replace)
        serializer.is_valid(raise_exception=True)
        fields = serializer.validated_data
        if fields.get("SK_ID_CURR", application.pk) != application.pk:
            message = gettext("is %(id)s for this URL; it cannot be changed.")
            return Response(
                {"SK_ID_CURR": [message % {"id": application.pk}]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        application = application_update(
            application=application, fields=fields, replace=replace, actor=request_user(request)
        )
        return Response(self.get_serializer(application).data)

    @extend_schema(
        tags=[TAG],
        summary="Replace an application's fields (the missing ones become empty)",
        request=ApplicationUpdateSerializer,
        responses={200: ApplicationSerializer, 400: OpenApiResponse(description="Bad fields.")},
    )
    def put(self, request: Request, sk_id_curr: int) -> Response:
        return self._update(request, replace=True)

    @extend_schema(
        tags=[TAG],
        summary="Change some of an application's fields",
        request=ApplicationUpdateSerializer,
        responses={200: ApplicationSerializer, 400: OpenApiResponse(description="Bad fields.")},
    )
    def patch(self, request: Request, sk_id_curr: int) -> Response:
        return self._update(request, replace=False)


class ApplicationScoreView(_ScopedApplications):
    """Ask for the application to be scored by the active model.

    Who: advisors (their portfolio), supervisors and integration accounts
    (clients.request_score); 404 outside one's scope. Idempotent: the same
    data and the same model give back the same score. 202 while the score is
    computed (poll its URL, also in the Location header), 200 once finished;
    `?wait=N` (N <= 30) waits up to N seconds for the result. 503 when no
    model can serve.
    """

    serializer_class = ScoreSerializer
    access_rule = SCORE_REQUEST

    @extend_schema(
        tags=[TAG],
        summary="Score an application (asynchronous; ?wait=N seconds for the result)",
        request=None,
        parameters=[
            OpenApiParameter(
                "wait",
                int,
                description=f"Seconds to wait for the result, 0 to {MAX_WAIT_SECONDS}.",
            )
        ],
        responses={
            200: ScoreSerializer,
            202: ScoreSerializer,
            503: OpenApiResponse(description="No active model, or its artifact is broken."),
        },
    )
    def post(self, request: Request, sk_id_curr: int) -> Response:
        application = self.get_object()
        wait = integer_param(request, "wait", default=0, minimum=0, maximum=MAX_WAIT_SECONDS)
        serving_model()  # 503 now rather than a score that fails in the worker
        try:
            score = score_request(
                application=application, requested_by=request.user, channel=Score.Channel.API
            )
        except NoActiveModel as error:  # deactivated since serving_model()
            raise no_active_model(error) from error
        if wait:
            score = score_wait_until_finished(score_id=score.pk, timeout=wait)
        data = self.get_serializer(score).data
        if score.status in (Score.Status.DONE, Score.Status.FAILED):
            return Response(data, status=status.HTTP_200_OK)
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


class ApplicationExplanationView(_ScopedApplications):
    """Why the application's latest score is what it is.

    Who: as the application (advisors: their portfolio; supervisors, staff,
    integrations: all; clients: their own). `lang` fr|en (default: the
    negotiated language), `top` features (default 10). 404 with a message
    when the application has no finished score yet.
    """

    serializer_class = ExplanationSerializer
    access_rule = VIEW_APPLICATIONS

    @extend_schema(
        tags=[TAG],
        summary="Explanation of the latest score (contributions and plain-language reasons)",
        parameters=[
            OpenApiParameter("lang", str, enum=["fr", "en"]),
            OpenApiParameter("top", int, description=f"1 to {MAX_TOP_FEATURES}; default 10."),
        ],
        responses={200: ExplanationSerializer, 404: OpenApiResponse(description="Not scored.")},
    )
    def get(self, request: Request, sk_id_curr: int) -> Response:
        application = self.get_object()
        language = language_param(request)
        top = integer_param(request, "top", default=10, minimum=1, maximum=MAX_TOP_FEATURES)
        score = score_latest_done(application=application)
        not_scored = NotFound(
            gettext(
                "application %(id)s has no finished score yet: "
                "POST /api/v1/applications/%(id)s/score first."
            )
            % {"id": application.pk}
        )
        if score is None:
            raise not_scored
        try:
            payload = explanation_for_score(score=score, language=language, top=top)
        except ExplanationUnavailable as error:
            raise not_scored from error
        audit_event_record(
            actor=request.user,
            action=AuditEvent.Action.EXPLANATION_VIEWED,
            application_id=application.pk,
            model_version=score.model_version.version,
            detail={"score": str(score.pk), "channel": "api", "language": language},
        )
        return Response(decision_withheld(payload))
