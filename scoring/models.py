"""Model registry, scores and their explanations, decisions, batch jobs.

A `ModelVersion` is one trained artifact (see ml/artifact.py), stored as an
archive in Django's storage so that any worker, on any machine, can fetch it
and verify it by hash. A `Score` is one scoring of one application by one
model version, with its life cycle (pending -> running -> done | failed), and
its `Explanation` (the SHAP contributions), computed with it in the worker.
"""

from __future__ import annotations

import calendar
import uuid
from datetime import datetime

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Application


class ModelVersion(models.Model):
    version = models.CharField(
        _("version"),
        max_length=32,
        unique=True,
        help_text=_("Short name: the first characters of the hash."),
    )
    artifact_hash = models.CharField(
        _("artifact hash"),
        max_length=64,
        unique=True,
        help_text=_("sha256 of the artifact's manifest."),
    )
    archive = models.FileField(
        _("archive"),
        upload_to="model-artifacts/",
        help_text=_("The artifact directory as a .tar.gz."),
    )
    threshold = models.FloatField(
        _("threshold"), help_text=_("Calibrated probability at or above which we refuse.")
    )
    cost_false_negative = models.FloatField(_("cost of a false negative"))
    cost_false_positive = models.FloatField(_("cost of a false positive"))
    metrics = models.JSONField(_("training metrics"), default=dict)
    trained_on = models.JSONField(
        _("training data"), default=dict, help_text=_("Data hash and row counts.")
    )
    feature_names = models.JSONField(_("features"), default=list)
    is_active = models.BooleanField(_("serving"), default=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    # Four eyes (scoring/governance.py): who trained or registered the version, and the
    # second person who approved it on its validation report. A command has no Django
    # user: `registered_by_name` then names the operating-system login that ran it.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("registered by (user)"),
    )  # fmt: skip
    registered_by_name = models.CharField(_("registered by"), max_length=150, blank=True)
    validation_report = models.JSONField(_("validation report"), default=dict, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("approved by (user)"),
    )  # fmt: skip
    approved_by_name = models.CharField(_("approved by"), max_length=150, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approval_comment = models.TextField(_("approval comment"), blank=True)
    # A challenger scored beside the champion, never shown as a decision (scoring/shadow.py).
    is_shadow = models.BooleanField(_("in shadow"), default=False)
    shadow_started_at = models.DateTimeField(_("shadow started at"), null=True, blank=True)

    class Meta:
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")
        ordering = ["-created_at"]
        permissions = [
            ("approve_modelversion", "Can approve a model version (four eyes)"),
            ("oversee_scoring", "Can put a model in shadow and switch manual review"),
        ]
        constraints = [
            # Exactly one version serves at a time; the database enforces it
            # even when two admins activate versions concurrently.
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="only_one_active_model_version",
            ),
            # One challenger at a time, and never the champion itself.
            models.UniqueConstraint(
                fields=["is_shadow"], condition=Q(is_shadow=True), name="only_one_shadow_version"
            ),
            models.CheckConstraint(
                condition=~(Q(is_shadow=True) & Q(is_active=True)), name="shadow_is_not_active"
            ),
        ]

    def __str__(self) -> str:
        return f"model {self.version}" + (" (active)" if self.is_active else "")

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class Decision(models.TextChoices):
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


class Score(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Channel(models.TextChoices):
        DASHBOARD = "dashboard", "Dashboard"
        API = "api", "API"
        BATCH = "batch", "Batch"
        SYSTEM = "system", "System"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="scores")
    # Digest of the application's data when scoring was asked: the same data
    # and the same model give back the existing score (idempotence).
    input_digest = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    probability = models.FloatField(null=True, blank=True)
    decision = models.CharField(max_length=16, choices=Decision, blank=True)
    threshold = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    channel = models.CharField(max_length=16, choices=Channel, default=Channel.SYSTEM)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The application's latest successful score (the one its page shows), kept
    # as a flag so that the portfolio can filter and sort 300,000 clients on
    # their decision and risk with a join instead of a "latest row per
    # application" subquery per client. Set by scoring.services when a score
    # is stored; at most one per application, enforced by the database.
    is_current = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["application", "-created_at"], name="score_latest"),
            # "Riskiest first" reads the scored clients in this order (see
            # dashboard.selectors.RiskOrderedRows); backwards for "least risky first".
            models.Index(
                fields=["-probability", "application"],
                condition=Q(is_current=True),
                name="score_current_risk",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(is_current=True),
                # Carried in the index so that counting an advisor's refused or
                # high-risk clients is an index-only probe per client (15 ms
                # for 6,000 clients, instead of a scan of every score: 48 ms).
                include=["decision", "probability"],
                name="one_current_score_per_application",
            ),
            models.UniqueConstraint(
                fields=["application", "model_version", "input_digest"],
                condition=~Q(status="failed"),
                name="one_live_score_per_input_and_model",
            ),
        ]

    def __str__(self) -> str:
        return f"score {self.id} of {self.application_id} ({self.status})"


class Explanation(models.Model):
    """The SHAP contributions behind one score (one application, one model version).

    Contributions are in the model's raw (log-odds) space: their sum plus
    `base_value` equals `raw_score`, which the calibrated probability of the
    score derives from. Computed once per score in the worker and kept; turned
    into words by the explanations app (scoring/explanations.py reads them).
    """

    score = models.OneToOneField(Score, on_delete=models.CASCADE, related_name="explanation")
    base_value = models.FloatField()
    raw_score = models.FloatField()
    contributions = models.JSONField(help_text="feature name -> contribution (log-odds)")
    feature_values = models.JSONField(help_text="feature name -> value the model saw (null = NaN)")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"explanation of {self.score_id}"


class CreditDecision(models.Model):
    """The final decision an advisor records: following the model or overriding it.

    An override (an outcome other than the model's) needs a written
    justification: the lender must be able to say why a person overrode the
    model, to the client, the supervisor and the regulator.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="credit_decisions"
    )
    score = models.ForeignKey(
        Score, null=True, blank=True, on_delete=models.SET_NULL, related_name="credit_decisions"
    )
    outcome = models.CharField(max_length=16, choices=Decision)
    model_decision = models.CharField(max_length=16, choices=Decision, blank=True)
    is_override = models.BooleanField(default=False)
    justification = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["application", "-created_at"], name="decision_latest")]

    def __str__(self) -> str:
        kind = "override" if self.is_override else "follows the model"
        return f"{self.application_id}: {self.outcome} ({kind})"


def one_month_after(moment: datetime) -> datetime:
    """The same day of the next month, or its last day (31 January -> 28 or 29 February)."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )


def review_due_at() -> datetime:
    """When a review request must be answered: one month after it is received (GDPR art. 12(3))."""
    return one_month_after(timezone.now())


# Long enough for a letter, short enough for a person to read it in the queue.
REVIEW_MESSAGE_MAX_LENGTH = 2000
REVIEW_CLAIMED_OTHER_MAX_LENGTH = 1000
REVIEW_ANSWER_MAX_LENGTH = 4000


class ReviewRequest(models.Model):
    """A client's request that a person review the decision on their application.

    The client writes a message and may claim that some of the recorded facts are
    wrong (`claimed`: the structured ones, `claimed_other`: free text). Once sent a
    request cannot be edited (a trigger refuses any change to what the client
    wrote); the advisor of the application takes it up (in review), may correct
    the record (`corrections`: what changed, before and after) and re-score, then
    answers in writing. The decision in force when the request was sent and the
    one in force when it was answered say whether the review changed it.
    """

    class Status(models.TextChoices):
        # Words a client reads (their review page, the e-mails) as well as the advisor.
        RECEIVED = "received", _("Received")
        IN_REVIEW = "in_review", _("In review")
        ANSWERED = "answered", _("Answered")

    # Waiting for an answer: at most one per application (a constraint below).
    OPEN_STATUSES = (Status.RECEIVED, Status.IN_REVIEW)
    MESSAGE_MAX_LENGTH = REVIEW_MESSAGE_MAX_LENGTH
    CLAIMED_OTHER_MAX_LENGTH = REVIEW_CLAIMED_OTHER_MAX_LENGTH
    ANSWER_MAX_LENGTH = REVIEW_ANSWER_MAX_LENGTH

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="review_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True)
    # Facts the client says are wrong: {"AMT_INCOME_TOTAL": 42000.0, "TERM_MONTHS": 24, ...}
    # (scoring.reviews.CORRECTABLE_FACTS says which), and anything else in words.
    claimed = models.JSONField(default=dict, blank=True)
    claimed_other = models.TextField(blank=True)
    # The language the client wrote in: the e-mails about this request are in it.
    language = models.CharField(max_length=8, default="fr")
    status = models.CharField(max_length=16, choices=Status, default=Status.RECEIVED)
    due_at = models.DateTimeField(default=review_due_at)
    decision_before = models.ForeignKey(
        CreditDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_started_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the advisor corrected: {"AMT_INCOME_TOTAL": {"before": 27000.0, "after": 42000.0}}.
    corrections = models.JSONField(default=dict, blank=True)
    answer = models.TextField(blank=True)
    # The decision in force when the request was answered (a new one, or the one before).
    resolved_by = models.ForeignKey(
        CreditDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When it was answered.
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "application"], name="review_open")]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["received", "in_review"]),
                name="one_open_review_per_application",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | Q(resolved_at__isnull=False),
                name="answered_review_has_a_date",
            ),
            # The bounds the forms state, kept by the database too (whatever writes the row).
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("message"), REVIEW_MESSAGE_MAX_LENGTH),
                name="review_message_bounded",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("claimed_other"), REVIEW_CLAIMED_OTHER_MAX_LENGTH),
                name="review_claimed_other_bounded",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("answer"), REVIEW_ANSWER_MAX_LENGTH),
                name="review_answer_bounded",
            ),
        ]
        triggers = [
            # Sent is sent: what the client wrote, and when, never changes afterwards.
            pgtrigger.ReadOnly(
                name="review_request_as_sent",
                fields=[
                    "application",
                    "message",
                    "claimed",
                    "claimed_other",
                    "created_at",
                    "due_at",
                ],
            )
        ]

    def __str__(self) -> str:
        return f"review of {self.application_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ShadowScore(models.Model):
    """The challenger's score of the same application, computed with the champion's.

    Stored for the comparison page (monitoring) only: never a decision, never
    shown to advisors or clients, never returned by the API.
    """

    score = models.OneToOneField(Score, on_delete=models.CASCADE, related_name="shadow")
    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField()
    # What the challenger would have decided at its own threshold (for the comparison only).
    would_decide = models.CharField(max_length=16, choices=Decision)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["model_version", "-created_at"], name="shadow_latest")]

    def __str__(self) -> str:
        return f"shadow score of {self.score_id} by {self.model_version_id}"


class ManualReview(models.Model):
    """The manual-review switch (AI Act art. 14): one row, id 1.

    While on, the model is advisory only: no model output is presented as a
    decision anywhere, and every application waits for a person's decision.
    Each change is recorded in the audit trail with its reason.
    """

    is_on = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return "manual review on" if self.is_on else "manual review off"


class BatchJob(models.Model):
    """A CSV of applications (Kaggle application schema) scored in the background.

    The uploaded rows are scored statelessly: no Application or Score rows are
    created for them; the job keeps the uploaded file and the results file in
    storage, and its progress here in Postgres.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    source = models.FileField(upload_to="batch/in/")
    results = models.FileField(upload_to="batch/out/", blank=True)
    model_version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # The language of the request that sent the file: the worker writes `error` (a bad
    # row, named by line and column) in it. Empty: the site's default.
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"batch {self.id} ({self.status} {self.processed_rows}/{self.total_rows})"

    @property
    def progress(self) -> float:
        return self.processed_rows / self.total_rows if self.total_rows else 0.0
