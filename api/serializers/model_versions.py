"""The model card of /models/active (OpenAPI documentation of a payload built by scoring)."""

from __future__ import annotations

from rest_framework import serializers


# `label` is a key of the payload. DRF's metaclass moves declared fields out of the class
# body, so it never replaces Field.label at run time; the stubs see the class attribute.
class ImportanceSerializer(serializers.Serializer):
    feature = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a payload key
    importance = serializers.FloatField(help_text="Mean |SHAP| over the training sample.")


class ModelCardSerializer(serializers.Serializer):
    version = serializers.CharField()
    artifact_hash = serializers.CharField()
    threshold = serializers.FloatField()
    cost_weights = serializers.DictField(child=serializers.FloatField())
    metrics = serializers.DictField()
    trained_on = serializers.DictField()
    feature_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    activated_at = serializers.DateTimeField(allow_null=True)
    global_importance = ImportanceSerializer(many=True)
    model_card = serializers.CharField(help_text="The model card, in Markdown.")
