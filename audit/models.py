"""The audit trail: who saw or did what with scores, explanations, decisions and models."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        SCORE_REQUESTED = "score.requested", "Score requested"
        SCORE_VIEWED = "score.viewed", "Score viewed"
        EXPLANATION_VIEWED = "explanation.viewed", "Explanation viewed"
        PREDICTION_MADE = "prediction.made", "Stateless prediction"
        BATCH_SUBMITTED = "batch.submitted", "Batch submitted"
        DECISION_RECORDED = "decision.recorded", "Decision recorded"
        MODEL_ACTIVATED = "model.activated", "Model activated"
        APPLICATION_ASSIGNED = "application.assigned", "Application assigned to an advisor"

    # Kept as plain values, not foreign keys: the trail must outlive the
    # rows it speaks of.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=32, choices=Action)
    application_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    model_version = models.CharField(max_length=32, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"
