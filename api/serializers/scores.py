"""A score as the API shows it, with where to poll it and where its explanation is."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from api.serializers.manual_review import WithholdsDecision, decision_field, manual_review_field
from scoring.models import Score


class ScoreSerializer(WithholdsDecision, serializers.ModelSerializer):
    """One scoring of one application by one model version."""

    decision = decision_field(read_only=True)
    manual_review = manual_review_field()
    application = serializers.IntegerField(source="application_id", read_only=True)
    model_version = serializers.CharField(source="model_version.version", read_only=True)
    requested_by = serializers.CharField(
        source="requested_by.username", read_only=True, allow_null=True
    )
    url = serializers.SerializerMethodField(help_text="Where to poll this score.")
    explanation_url = serializers.SerializerMethodField(
        help_text="The application's latest explanation (once a score is done)."
    )

    class Meta:
        model = Score
        fields = [
            "id",
            "url",
            "application",
            "status",
            "probability",
            "decision",
            "manual_review",
            "threshold",
            "model_version",
            "error",
            "channel",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "explanation_url",
        ]
        read_only_fields = fields

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_url(self, score: Score) -> str:
        return self._absolute(reverse("api:score-detail", kwargs={"score_id": score.pk}))

    def get_explanation_url(self, score: Score) -> str:
        return self._absolute(
            reverse("api:application-explanation", kwargs={"sk_id_curr": score.application_id})
        )
