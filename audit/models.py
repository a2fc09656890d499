"""The audit trail: who saw or did what, to which client, with which model, when, from where.

Append-only: the database refuses UPDATE and DELETE on both tables (triggers
installed by django-pgtrigger); only the retention command removes old events,
and it seals what it removed in an `AuditCheckpoint`. Tamper-evident: every
event carries a hash chained to the one before it (audit/chain.py), which
`manage.py audit_verify` recomputes. Events are written by one service,
`audit.services.audit_event_record`, never with the ORM directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pgtrigger
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Who may change a row of the audit tables: nobody (see audit/services.py for the
# one exception, the retention command, which deletes old events under pgtrigger.ignore).
APPEND_ONLY = pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)


class Action(models.TextChoices):
    """What happened. New kinds need no migration (the field's choices are a callable)."""

    # Accounts and access (the login page, the admin login, the token endpoint).
    LOGIN_SUCCEEDED = "login.succeeded", _("Login succeeded")
    LOGIN_FAILED = "login.failed", _("Login failed")
    LOGIN_LOCKED_OUT = "login.locked_out", _("Locked out after failed logins")
    LOGOUT = "logout", _("Logout")
    ACCESS_DENIED = "access.denied", _("Access refused")
    PASSWORD_CHANGED = "password.changed", _("Password changed")
    SECOND_FACTOR_ENROLLED = "second_factor.enrolled", _("Second factor enrolled")
    TOKEN_CREATED = "token.created", _("API token issued")
    TOKEN_REVOKED = "token.revoked", _("API token revoked")
    CLIENT_INVITED = "client.invited", _("Client invited to the portal")
    # Client records.
    CLIENT_RECORD_VIEWED = "client_record.viewed", _("Client record viewed")
    CLIENT_RECORDS_LISTED = "client_record.listed", _("Client records listed")
    APPLICATION_CREATED = "application.created", _("Application created")
    APPLICATION_UPDATED = "application.updated", _("Application updated")
    APPLICATION_ASSIGNED = "application.assigned", _("Application assigned to an advisor")
    RECORD_CORRECTED = "record.corrected", _("Client record corrected")
    EXPORT_CREATED = "export.created", _("Client data exported")
    # Scores, explanations, decisions and reviews.
    SCORE_REQUESTED = "score.requested", _("Score requested")
    SCORE_VIEWED = "score.viewed", _("Score viewed")
    EXPLANATION_VIEWED = "explanation.viewed", _("Explanation viewed")
    PREDICTION_MADE = "prediction.made", _("Stateless prediction")
    BATCH_SUBMITTED = "batch.submitted", _("Batch submitted")
    DECISION_RECORDED = "decision.recorded", _("Decision recorded")
    REVIEW_REQUESTED = "review.requested", _("Review requested")
    REVIEW_STATUS_CHANGED = "review.status_changed", _("Review status changed")
    REVIEW_ANSWERED = "review.answered", _("Review answered")
    # Models and their monitoring.
    MODEL_REGISTERED = "model.registered", _("Model registered")
    MODEL_APPROVED = "model.approved", _("Model approved")
    MODEL_ACTIVATED = "model.activated", _("Model activated")
    MODEL_SHADOW_STARTED = "model.shadow_started", _("Shadow scoring started")
    MODEL_SHADOW_STOPPED = "model.shadow_stopped", _("Shadow scoring stopped")
    ALERT_RAISED = "alert.raised", _("Monitoring alert raised")
    ALERT_ACKNOWLEDGED = "alert.acknowledged", _("Monitoring alert acknowledged")
    MANUAL_REVIEW_CHANGED = "manual_review.changed", _("Manual-review switch changed")
    # The trail itself.
    AUDIT_RETENTION_APPLIED = "audit.retention_applied", _("Old audit events removed")


def action_choices() -> Sequence[tuple[str, StrOrPromise]]:
    # A callable, so that adding an Action kind needs no migration.
    return Action.choices


class Channel(models.TextChoices):
    """Through which way in the event came."""

    WEB = "web", _("Account pages")  # login, logout, password: shared by every interface
    DASHBOARD = "dashboard", _("Advisor dashboard")
    PORTAL = "portal", _("Client portal")
    MONITORING = "monitoring", _("Monitoring pages")
    ADMIN = "admin", _("Admin site")
    API = "api", _("API")
    COMMAND = "command", _("Management command")
    WORKER = "worker", _("Background worker")
    SYSTEM = "system", _("System")


def channel_choices() -> Sequence[tuple[str, StrOrPromise]]:
    return Channel.choices


class AuditEvent(models.Model):
    # Kept here too: callers write AuditEvent.Action.SCORE_VIEWED.
    Action = Action
    Channel = Channel

    # Who: plain values, not foreign keys: the trail outlives the users and
    # records it speaks of, and deleting a user must not have to update it.
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    actor_username = models.CharField(_("user name"), max_length=150, blank=True)
    actor_role = models.CharField(_("role"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=48, choices=action_choices)
    application_id = models.BigIntegerField(_("client (SK_ID_CURR)"), null=True, blank=True)
    model_version = models.CharField(_("model version"), max_length=32, blank=True)
    channel = models.CharField(_("channel"), max_length=16, blank=True, choices=channel_choices)
    client_address = models.CharField(_("client address"), max_length=45, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"))
    # The chain (audit/chain.py): the previous event's hash and this one's.
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        # The chain's order: ids are given out under the append lock, so it is also time order.
        ordering = ["-id"]
        # For the admin's filters: who, what, which client, when (newest first).
        indexes = [
            models.Index(fields=["created_at"], name="audit_created_at"),
            models.Index(fields=["actor_id", "created_at"], name="audit_actor_time"),
            models.Index(fields=["action", "created_at"], name="audit_action_time"),
            models.Index(fields=["application_id", "created_at"], name="audit_client_time"),
        ]
        constraints = [
            # One chain: no two events may follow the same one (a fork would mean two
            # writers appended without the lock, or from a stale snapshot).
            models.UniqueConstraint(fields=["prev_hash"], name="audit_one_chain"),
        ]
        triggers = [APPEND_ONLY]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"


class AuditCheckpoint(models.Model):
    """What a retention run removed: the chain of the events left continues from here.

    The first remaining event's `prev_hash` is `last_hash`, the hash of the
    last event removed. The run also appends an event to the trail recording
    the same figures, so the checkpoint is itself covered by the chain.
    """

    created_at = models.DateTimeField(_("time"))
    first_id = models.BigIntegerField(_("first event removed"))
    last_id = models.BigIntegerField(_("last event removed"))
    last_hash = models.CharField(_("hash of the last event removed"), max_length=64)
    removed = models.BigIntegerField(_("events removed"))
    cutoff = models.DateTimeField(_("removed events older than"))
    retention_days = models.PositiveIntegerField(_("retention period (days)"))

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["-id"]
        triggers = [APPEND_ONLY]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} up to event {self.last_id}"
