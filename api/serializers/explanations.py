"""Explanations as the API returns them: documentation of JSON payloads built by the
explanations and scoring apps (OpenAPI only: nothing is validated through them)."""

from __future__ import annotations

from rest_framework import serializers


class ContributionSerializer(serializers.Serializer):
    feature = serializers.CharField()
    label = serializers.CharField()
    value = serializers.JSONField(allow_null=True, help_text="The feature's value (or null).")
    display_value = serializers.CharField(help_text="The value formatted for people.")
    contribution = serializers.FloatField(help_text="Log-odds; positive raises the risk.")
    raw_fields = serializers.ListField(child=serializers.CharField())


class ReasonsSerializer(serializers.Serializer):
    raising = serializers.ListField(child=serializers.CharField())
    lowering = serializers.ListField(child=serializers.CharField())


class PredictionExplanationSerializer(serializers.Serializer):
    """base_value + sum(contributions) + other_features == raw_score (log-odds)."""

    base_value = serializers.FloatField()
    raw_score = serializers.FloatField()
    contributions = ContributionSerializer(many=True)
    other_features = serializers.FloatField()
    reasons = ReasonsSerializer()
    language = serializers.CharField()


class ExplanationSerializer(PredictionExplanationSerializer):
    """The explanation of a stored score: the same body, with the score it explains."""

    score_id = serializers.UUIDField()
    application_id = serializers.IntegerField()
    model_version = serializers.CharField()
    probability = serializers.FloatField()
    decision = serializers.CharField()
    threshold = serializers.FloatField()
