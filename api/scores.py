"""/api/v1/scores/{id}: one score, reached through its application's scope."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from api.permissions import VIEW_APPLICATIONS
from api.serializers.scores import ScoreSerializer
from audit.models import AuditEvent
from audit.services import audit_event_record
from scoring.models import Score
from scoring.selectors import score_get_for_user


class ScoreDetailView(GenericAPIView):
    """One score: status, probability, decision, threshold and model version.

    Who: whoever may see the application (advisors: their portfolio;
    supervisors, staff, integrations: all; clients: their own); any other
    score is a 404, existing or not. Every read is written to the audit log.
    """

    serializer_class = ScoreSerializer
    access_rule = VIEW_APPLICATIONS

    @extend_schema(tags=["scores"], summary="One score (poll it until done or failed)")
    def get(self, request: Request, score_id: uuid.UUID) -> Response:
        try:
            score = score_get_for_user(user=request.user, score_id=score_id)
        except Score.DoesNotExist:
            raise NotFound(
                gettext("no score %(id)s among the applications you may see.") % {"id": score_id}
            ) from None
        audit_event_record(
            actor=request.user,
            action=AuditEvent.Action.SCORE_VIEWED,
            application_id=score.application_id,
            model_version=score.model_version.version,
            detail={"score": str(score.pk), "channel": "api", "status": score.status},
        )
        return Response(self.get_serializer(score).data)
