"""SHAP explanations, computed once per score in the worker and kept."""

from __future__ import annotations

from django.db import models

from scoring.models import Score


class Explanation(models.Model):
    """The SHAP contributions behind one score (one application, one model version).

    Contributions are in the model's raw (log-odds) space: their sum plus
    `base_value` equals `raw_score`, which the calibrated probability of the
    score derives from.
    """

    score = models.OneToOneField(Score, on_delete=models.CASCADE, related_name="explanation")
    base_value = models.FloatField()
    raw_score = models.FloatField()
    contributions = models.JSONField(help_text="feature name -> contribution (log-odds)")
    feature_values = models.JSONField(help_text="feature name -> value the model saw (null = NaN)")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"explanation of {self.score_id}"
