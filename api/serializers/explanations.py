"""Explanations as the API returns them: documentation of JSON payloads built by the
explanations and scoring apps (OpenAPI only: nothing is validated through them)."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.manual_review import WithholdsDecision, decision_field, manual_review_field


# `label` is a key of the payload. DRF's metaclass moves declared fields out of the class
# body, so it never replaces Field.label at run time; the stubs see the class attribute.
class ContributionSerializer(serializers.Serializer):
    feature = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a payload key
    value = serializers.JSONField(allow_null=True, help_text="The feature's value (or null).")
    display_value = serializers.CharField(help_text="The value formatted for people.")
    contribution = serializers.FloatField(help_text="Log-odds; positive raises the risk.")
    raw_fields = serializers.ListField(child=serializers.CharField())


class FactFeatureSerializer(serializers.Serializer):
    feature = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a payload key
    contribution = serializers.FloatField(help_text="Log-odds; positive raises the risk.")


class FactSerializer(serializers.Serializer):
    """One client fact: the features computed from one thing in the client's file."""

    key = serializers.CharField(help_text='e.g. "external_scores", "bureau_late_months".')
    label = serializers.CharField()  # type: ignore[assignment]  # a payload key
    contribution = serializers.FloatField(
        help_text="Log-odds: the exact sum of its features' contributions."
    )
    points = serializers.FloatField(
        allow_null=True,
        help_text="The same in percentage points of probability (approximate: its share "
        "of the distance between the average client's probability and this client's).",
    )
    direction = serializers.ChoiceField(choices=["raising", "lowering"])
    sentence = serializers.CharField(
        allow_null=True, help_text="The fact with the client's values (null: never said)."
    )
    is_reason = serializers.BooleanField(help_text="Given in `reasons`.")
    features = FactFeatureSerializer(many=True, help_text="Its strongest features (5 at most).")
    feature_count = serializers.IntegerField()


class OtherFactsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    contribution = serializers.FloatField()
    points = serializers.FloatField(allow_null=True)


class ReasonsSerializer(serializers.Serializer):
    raising = serializers.ListField(child=serializers.CharField())
    lowering = serializers.ListField(child=serializers.CharField())


class PredictionExplanationSerializer(serializers.Serializer):
    """base_value + sum(contributions) + other_features == raw_score (log-odds), and the
    same with the client facts: base_value + sum(facts) + other_facts == raw_score.
    The reasons are the sentences of the facts with is_reason (explanations/payload.py)."""

    base_value = serializers.FloatField()
    raw_score = serializers.FloatField()
    contributions = ContributionSerializer(many=True)
    other_features = serializers.FloatField()
    facts = FactSerializer(many=True)
    other_facts = OtherFactsSerializer()
    base_probability = serializers.FloatField(allow_null=True)
    client_probability = serializers.FloatField(allow_null=True)
    share_explained = serializers.FloatField(
        help_text="Σ|facts| / (Σ|facts| + |other_facts|): how much of the waterfall the "
        "listed facts draw."
    )
    reasons = ReasonsSerializer()
    language = serializers.CharField()


class ExplanationSerializer(WithholdsDecision, PredictionExplanationSerializer):
    """The explanation of a stored score: the same body, with the score it explains."""

    score_id = serializers.UUIDField()
    application_id = serializers.IntegerField()
    model_version = serializers.CharField()
    probability = serializers.FloatField()
    decision = decision_field()
    manual_review = manual_review_field()
    threshold = serializers.FloatField()
