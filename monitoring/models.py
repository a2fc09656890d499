"""What risk staff's monitoring keeps: drift reports, alert limits and the alerts raised.

A `DriftReport` is one Evidently comparison between the active model's
training sample (its artifact's reference sample) and a current population:
the applications scored in a window, or an imported application file. The
report runs in a Celery worker (monitoring/drift.py); its row is created first
(pending) so that whoever asked sees it, then filled in: the full HTML
(gzip-compressed: 13 MB for the 148 application columns is 2.3 MB) and the
JSON summary of `ml.monitoring.drift` with the columns ranked by the model's
importance.

`AlertLimits` is one row the staff edit in the admin; `Alert` is one figure
past its limit (monitoring/alerts.py), shown until a staff member
acknowledges it with a comment.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ml.monitoring.alerts import Limits
from scoring.models import ModelVersion

DEFAULT_LIMITS = Limits()


class DriftReport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        WINDOW = "window", _("Applications scored in a period")
        FILE = "file", _("Imported application file")

    class Trigger(models.TextChoices):
        ADMIN = "admin", _("Asked in the admin site")
        COMMAND = "command", _("Command line")
        SCHEDULE = "schedule", _("Schedule")
        SYSTEM = "system", _("System")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PENDING)
    source = models.CharField(_("current data"), max_length=16, choices=Source)
    trigger = models.CharField(_("triggered by"), max_length=16, choices=Trigger)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # The window of scored applications ([start, end)); for a file, empty.
    window_start = models.DateTimeField(_("from"), null=True, blank=True)
    window_end = models.DateTimeField(_("until"), null=True, blank=True)
    current_file = models.FileField(
        _("application file"), upload_to="monitoring/drift/", blank=True
    )
    current_file_name = models.CharField(_("file name"), max_length=255, blank=True)
    # By default the reference is the training sample stored in the model's artifact; an
    # application file may replace it (e.g. application_train.csv against application_test.csv).
    reference_file = models.FileField(
        _("reference file"), upload_to="monitoring/drift/", blank=True
    )
    reference_file_name = models.CharField(_("reference file name"), max_length=255, blank=True)
    model_version = models.ForeignKey(
        ModelVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("model version"),
    )
    # Compare only these columns (empty: every column both sides have), e.g. the model's
    # most important features for a quick look.
    columns = models.JSONField(_("columns compared (if chosen)"), default=list, blank=True)
    # Copied out of the summary for the list's columns and filters.
    rows_reference = models.PositiveIntegerField(_("reference rows"), null=True, blank=True)
    rows_current = models.PositiveIntegerField(_("current rows"), null=True, blank=True)
    columns_compared = models.PositiveIntegerField(_("columns compared"), null=True, blank=True)
    drifted_columns = models.PositiveIntegerField(_("drifted columns"), null=True, blank=True)
    drift_share = models.FloatField(_("share of drifted columns"), null=True, blank=True)
    dataset_drift = models.BooleanField(_("dataset drift"), null=True, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    html_gzip = models.BinaryField(null=True, blank=True, editable=False)
    html_size = models.PositiveIntegerField(_("HTML size (bytes)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("drift report")
        verbose_name_plural = _("drift reports")
        indexes = [models.Index(fields=["status", "-created_at"], name="drift_report_latest")]

    def __str__(self) -> str:
        return f"drift report {self.created_at:%Y-%m-%d %H:%M} ({self.status})"


class AlertLimits(models.Model):
    """The limits alerts are raised at: one row, edited by staff in the admin site."""

    # Always 1: there is one set of limits (see the constraint).
    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    drift_share = models.FloatField(
        _("share of drifted features"),
        default=DEFAULT_LIMITS.drift_share,
        validators=[MinValueValidator(0.01), MaxValueValidator(1.0)],
        help_text=_(
            "An alert when at least this share of the compared features has drifted (0.3: 30%)."
        ),
    )
    score_psi = models.FloatField(
        _("population stability index of the scores"),
        default=DEFAULT_LIMITS.score_psi,
        validators=[MinValueValidator(0.01), MaxValueValidator(10.0)],
        help_text=_(
            "An alert when the PSI of the probabilities against training reaches this "
            "value (0.25: significant shift)."
        ),
    )
    fairness_ratio = models.FloatField(
        _("approval ratio between groups"),
        default=DEFAULT_LIMITS.fairness_ratio,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_(
            "An alert when a group is approved at less than this share of the rate of the "
            "most-approved group (0.8: the four-fifths rule)."
        ),
    )
    auc_gap = models.FloatField(
        _("expected AUC drop"),
        default=DEFAULT_LIMITS.auc_gap,
        validators=[MinValueValidator(0.001), MaxValueValidator(0.5)],
        help_text=_(
            "An alert when the expected AUC of recent applications is this much below the "
            "training AUC (0.05)."
        ),
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("alert limits")
        verbose_name_plural = _("alert limits")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="one_set_of_alert_limits")]

    def __str__(self) -> str:
        return str(_("Alert limits"))

    def as_limits(self) -> Limits:
        return Limits(
            drift_share=self.drift_share,
            score_psi=self.score_psi,
            fairness_ratio=self.fairness_ratio,
            auc_gap=self.auc_gap,
        )


class Alert(models.Model):
    """One monitoring figure past its limit, shown until a staff member acknowledges it."""

    class Kind(models.TextChoices):
        DRIFT_SHARE = "drift_share", _("Share of drifted features")
        SCORE_PSI = "score_psi", _("Score stability (PSI)")
        FAIRNESS_RATIO = "fairness_ratio", _("Approval ratio between groups")
        AUC_GAP = "auc_gap", _("Expected AUC below training")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")

    kind = models.CharField(_("figure"), max_length=32, choices=Kind)
    # What the figure is about when there are several (a group: "CODE_GENDER=F").
    subject = models.CharField(_("about"), max_length=120, blank=True)
    # Where the crossing was measured (a drift report, a window of scores): the same
    # crossing seen again from the same source never raises a second alert.
    source_key = models.CharField(max_length=200)
    drift_report = models.ForeignKey(
        DriftReport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
        verbose_name=_("drift report"),
    )
    value = models.FloatField(_("value"))
    limit = models.FloatField(_("limit"))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    # While open, a later measurement past the limit updates these instead of alerting again.
    last_value = models.FloatField(_("latest value"))
    last_seen_at = models.DateTimeField(_("last seen at"))
    times_seen = models.PositiveIntegerField(_("times seen"), default=1)
    email_recipients = models.PositiveIntegerField(_("e-mails sent"), default=0)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [models.Index(fields=["status", "-raised_at"], name="alert_open_latest")]
        constraints = [
            # One open alert per figure (and group): a crossing seen again while the
            # alert is open updates it, it does not alert twice.
            models.UniqueConstraint(
                fields=["kind", "subject"],
                condition=Q(status="open"),
                name="one_open_alert_per_figure",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | (Q(acknowledged_at__isnull=False) & ~Q(comment="")),
                name="acknowledged_alert_has_comment",
            ),
        ]

    def __str__(self) -> str:
        subject = f" ({self.subject})" if self.subject else ""
        return f"{self.get_kind_display()}{subject}: {self.value:.3g}"


class DashboardFigures(models.Model):
    """The monitoring dashboard's figures of one window, computed by a worker.

    Computing them takes seconds (the model's reference sample, the PSI, the
    bootstrap intervals of fairness): the page shows the last row computed for
    its window and period, never computes (monitoring/dashboard_figures.py).
    `state` is what the figures were computed from (the model, the window's
    scores and decisions, `monitoring.selectors.monitoring_dashboard_state`):
    when the window's state differs, newer figures are asked for.
    """

    class Error(models.TextChoices):
        NONE = "", _("None")
        MODEL = "model", _("The active model's archive cannot be read")
        DATA = "data", _("The window's scores cannot be evaluated")

    since = models.DateField(_("from"))
    until = models.DateField(_("until"))
    freq = models.CharField(_("per"), max_length=1)
    # JSON-ready figures (monitoring.selectors.monitoring_dashboard_compute); null until computed.
    figures = models.JSONField(_("figures"), null=True, blank=True)
    state = models.CharField(_("computed from"), max_length=64, blank=True)
    error = models.CharField(_("error"), max_length=8, choices=Error, blank=True, default="")
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    # When a worker was last asked to compute them: a request not answered within
    # REQUEST_AGAIN_AFTER (the message or the worker was lost) is sent again.
    requested_at = models.DateTimeField(_("asked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dashboard figures")
        verbose_name_plural = _("dashboard figures")
        constraints = [
            models.UniqueConstraint(
                fields=["since", "until", "freq"], name="one_dashboard_figures_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.since}..{self.until} ({self.freq})"
