"""A score as the API shows it, with where to poll it and where its explanation is."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.manual_review import WithholdsDecision, manual_review_field
from scoring.models import Decision, Score


class ScoreSerializer(WithholdsDecision, serializers.ModelSerializer):
    """One scoring of one application by one model version (its decision withheld under
    manual review: api/serializers/manual_review.py)."""

    manual_review = manual_review_field()
    application = serializers.IntegerField(source="application_id", read_only=True)
    model_version = serializers.CharField(source="model_version.version", read_only=True)
    requested_by = serializers.CharField(
        source="requested_by.username", read_only=True, allow_null=True
    )
    # Empty in the database until the score is done: null here, as the schema says (the
    # choices' enum has no "" in it).
    decision = serializers.SerializerMethodField(
        help_text="granted or refused once the score is done; null before, and under manual "
        "review (then a person decides)."
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

    @extend_schema_field({"type": "string", "enum": list(Decision.values), "nullable": True})
    def get_decision(self, score: Score) -> str | None:
        return score.decision or None

    def get_url(self, score: Score) -> str:
        return self._absolute(reverse("api:score-detail", kwargs={"score_id": score.pk}))

    def get_explanation_url(self, score: Score) -> str:
        return self._absolute(
            reverse("api:application-explanation", kwargs={"sk_id_curr": score.application_id})
        )
