"""Alerts: a monitoring figure past its limit e-mails risk staff once and waits for a person.

`alerts_check(...)` compares figures with the limits staff set in the admin
site (`AlertLimits`, defaults from `ml.monitoring.alerts.Limits`): the share of
drifted features of a drift report, and, measured on the scores of a window
(`alerts_measure`), the population stability index of the probabilities
against the training out-of-fold ones, the approval ratio of each significant
group to the most-approved one (fairlearn, `ml.monitoring.fairness`) and how
far the expected AUC (CBPE) falls below the training AUC.

For each crossing, once:

* if an alert on the same figure (and group) is still open, the crossing
  only updates it (latest value, times seen): staff are not e-mailed again
  about what they have not yet answered;
* if the same crossing (same figure, group and source: the same drift report
  or the same window of scores) was already alerted and acknowledged,
  nothing happens: checking again never alerts twice;
* otherwise a new open alert, the audit event `ALERT_RAISED`, and one e-mail
  to the staff who may read alerts, listing every alert the check raised.

`alert_acknowledge(...)` closes an alert with the staff member's comment
(`ALERT_ACKNOWLEDGED`); a later crossing may then alert again.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import formatting
from audit.models import AuditEvent
from audit.services import audit_event_record
from ml.monitoring.alerts import Crossing, crossings
from monitoring.models import Alert, AlertLimits, DriftReport
from scoring.models import ModelVersion, Score

if TYPE_CHECKING:
    import pandas as pd

logger = logging.getLogger(__name__)

DEFAULT_WINDOW_DAYS = 7
# Below this many scored applications in the window, the score figures are not measured:
# a PSI or an approval ratio on a handful of clients is noise, not a reason to e-mail.
MIN_SCORES = 100
RECIPIENT_PERMISSION = "monitoring.view_alert"
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


class AlertError(ValueError):
    """An alert cannot be acknowledged as asked (the message says why)."""


# -- limits ---------------------------------------------------------------------------------


def alert_limits_get() -> AlertLimits:
    """The limits in force (the one row; created with the defaults if missing)."""
    limits, _created = AlertLimits.objects.get_or_create(id=1)
    return limits


# -- measuring ------------------------------------------------------------------------------


def alerts_measure(*, since: datetime, until: datetime) -> dict[str, Any]:
    """The score figures alerts watch, on the applications scored in [since, until).

    Returns the `crossings` figures: score_psi, fairness_ratios (a fairness
    report), expected_auc and training_auc, each None when it cannot be
    measured (no active model, fewer than MIN_SCORES scores), plus "rows".
    """
    from ml.monitoring import (
        expected_performance,
        fairness_report,
        population_stability_index,
        training_figures,
    )
    from scoring.registry import scoring_model_for

    figures: dict[str, Any] = {
        "rows": 0,
        "score_psi": None,
        "fairness_ratios": None,
        "expected_auc": None,
        "training_auc": None,
    }
    version = ModelVersion.objects.filter(is_active=True).first()
    if version is None:
        return figures
    scores = _scores_frame(version=version, since=since, until=until)
    figures["rows"] = len(scores)
    if len(scores) < MIN_SCORES:
        return figures
    model = scoring_model_for(version)
    reference = model.reference_sample()
    figures["score_psi"] = population_stability_index(
        reference["OOF_PROBABILITY"], scores["probability"]
    ).value
    figures["fairness_ratios"] = fairness_report(scores, target=None)
    figures["expected_auc"] = expected_performance(
        scores["probability"],
        threshold=version.threshold,
        cost_fn=version.cost_false_negative,
        cost_fp=version.cost_false_positive,
    )["auc"]
    figures["training_auc"] = training_figures(model.metadata)["auc"]
    return figures


def _scores_frame(*, version: ModelVersion, since: datetime, until: datetime) -> pd.DataFrame:
    """The active model's latest score of each application scored in the window."""
    # pandas loads here, not with the module: the admin imports this module at start-up,
    # and every management command (an import, a migration) paid 0.35 s for it.
    import pandas as pd

    rows = (
        Score.objects.filter(
            model_version=version,
            status=Score.Status.DONE,
            created_at__gte=since,
            created_at__lt=until,
        )
        .order_by("application_id", "-created_at")
        .distinct("application_id")
        .values_list(
            "probability", "decision", "application__code_gender", "application__days_birth"
        )
    )
    return pd.DataFrame.from_records(
        list(rows), columns=["probability", "decision", "CODE_GENDER", "DAYS_BIRTH"]
    )


# -- raising --------------------------------------------------------------------------------


def alerts_check(
    *,
    figures: Mapping[str, Any] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    drift_report: DriftReport | None = None,
) -> list[Alert]:
    """Raise an alert for each figure past its limit that has not alerted yet; returns the new ones.

    `figures`: as `ml.monitoring.alerts.crossings` reads them (drift_share,
    score_psi, fairness_ratios, expected_auc and training_auc); by default
    the score figures of [`since`, `until`) (default: the last 7 days) and the
    drift share of the latest finished drift report. `drift_report`: the
    report the figures come from (its crossings are keyed on it).
    """
    if figures is None:
        until = until or timezone.now()
        since = since or until - timedelta(days=DEFAULT_WINDOW_DAYS)
        figures = dict(alerts_measure(since=since, until=until))
        if drift_report is None:
            drift_report = (
                DriftReport.objects.filter(status=DriftReport.Status.DONE)
                .order_by("-finished_at")
                .first()
            )
            if drift_report is not None:
                figures["drift_share"] = drift_report.drift_share
    window_key = f"window:{since:%Y-%m-%d}/{until:%Y-%m-%d}" if since and until else "figures"
    raised: list[Alert] = []
    for crossing in crossings(figures, alert_limits_get().as_limits()):
        if crossing.kind == Alert.Kind.DRIFT_SHARE and drift_report is not None:
            source_key = f"drift_report:{drift_report.pk}"
        else:
            source_key = window_key
        alert = _alert_raise(
            crossing,
            source_key=source_key,
            drift_report=drift_report if crossing.kind == Alert.Kind.DRIFT_SHARE else None,
        )
        if alert is not None:
            raised.append(alert)
    if raised:
        alert_ids = [alert.pk for alert in raised]
        transaction.on_commit(lambda: _email_staff(alert_ids))
    return raised


@transaction.atomic
def _alert_raise(
    crossing: Crossing, *, source_key: str, drift_report: DriftReport | None
) -> Alert | None:
    subject = crossing.subject or ""
    now = timezone.now()
    open_alert = (
        Alert.objects.select_for_update()
        .filter(kind=crossing.kind, subject=subject, status=Alert.Status.OPEN)
        .first()
    )
    if open_alert is not None:
        # Still past the limit and nobody has answered yet: keep the alert current, quietly.
        open_alert.last_value = crossing.value
        open_alert.last_seen_at = now
        open_alert.times_seen += 1
        open_alert.save(update_fields=["last_value", "last_seen_at", "times_seen"])
        return None
    if Alert.objects.filter(kind=crossing.kind, subject=subject, source_key=source_key).exists():
        return None  # this very crossing was alerted and acknowledged already
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                kind=crossing.kind,
                subject=subject,
                source_key=source_key,
                drift_report=drift_report,
                value=crossing.value,
                limit=crossing.limit,
                last_value=crossing.value,
                last_seen_at=now,
            )
    except IntegrityError:
        return None  # a concurrent check raised the same alert a moment ago
    version = ModelVersion.objects.filter(is_active=True).values_list("version", flat=True).first()
    audit_event_record(
        action=AuditEvent.Action.ALERT_RAISED,
        model_version=version or "",
        detail={
            "alert": alert.pk,
            "metric": alert.kind,
            "subject": subject,
            "value": alert.value,
            "threshold": alert.limit,
            "source": source_key,
        },
    )
    return alert


def _email_staff(alert_ids: list[int]) -> int:
    """One e-mail to every active staff member who may read alerts; returns how many."""
    alerts = list(Alert.objects.filter(pk__in=alert_ids).order_by("pk"))
    recipients = sorted(
        {
            user.email
            for user in get_user_model()
            # Permissions are Django's own (ModelBackend); axes' backend grants none.
            .objects.with_perm(RECIPIENT_PERMISSION, backend=PERMISSION_BACKEND)
            .filter(is_active=True)
            .exclude(email="")
        }
    )
    if not alerts or not recipients:
        if alerts:
            logger.warning("monitoring alerts %s raised, but no staff e-mail to send them to",
                           alert_ids)  # fmt: skip
        return 0
    # The staff's language is not known here: the product's default one (French).
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Credit scoring monitoring: %(count)s new alert(s)") % {
            "count": formatting.number(len(alerts), 0)
        }
        lines = [alert_message(alert) for alert in alerts]
        body = "\n".join(
            [
                _("The monitoring of the scoring model has found:"),
                "",
                *[f"- {line}" for line in lines],
                "",
                _(
                    "Each alert stays in the admin site (Monitoring > Alerts) until a staff "
                    "member acknowledges it with a comment. You will not be e-mailed again "
                    "about these figures until then."
                ),
            ]
        )
    send_mail(subject, body, None, recipients)
    Alert.objects.filter(pk__in=alert_ids).update(email_recipients=len(recipients))
    return len(recipients)


def alert_message(alert: Alert) -> str:
    """The alert in one sentence, in the active language."""
    if alert.kind == Alert.Kind.DRIFT_SHARE:
        return _(
            "%(value)s of the compared features have drifted from the training data "
            "(alert limit: %(limit)s)."
        ) % {
            "value": formatting.percent(alert.value, 0),
            "limit": formatting.percent(alert.limit, 0),
        }
    if alert.kind == Alert.Kind.SCORE_PSI:
        return _(
            "The distribution of the scores has shifted: population stability index "
            "%(value)s (alert limit: %(limit)s)."
        ) % {"value": formatting.number(alert.value, 2), "limit": formatting.number(alert.limit, 2)}
    if alert.kind == Alert.Kind.FAIRNESS_RATIO:
        return _(
            "The group %(group)s is approved at %(value)s of the rate of the most-approved "
            "group (alert limit: %(limit)s)."
        ) % {
            "group": alert.subject,
            "value": formatting.percent(alert.value, 0),
            "limit": formatting.percent(alert.limit, 0),
        }
    return _(
        "The expected AUC of recent applications is %(value)s below the training AUC "
        "(alert limit: %(limit)s)."
    ) % {"value": formatting.number(alert.value, 3), "limit": formatting.number(alert.limit, 3)}


# -- acknowledging --------------------------------------------------------------------------


@transaction.atomic
def alert_acknowledge(*, alert_id: int, user, comment: str) -> Alert:
    """Close an open alert with the staff member's comment (what was found, what is done)."""
    comment = (comment or "").strip()
    if not comment:
        raise AlertError(_("Say in a comment what you found or what is being done."))
    alert = Alert.objects.select_for_update().get(pk=alert_id)
    if alert.status != Alert.Status.OPEN:
        raise AlertError(_("This alert has already been acknowledged."))
    alert.status = Alert.Status.ACKNOWLEDGED
    alert.acknowledged_by = user
    alert.acknowledged_at = timezone.now()
    alert.comment = comment
    alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "comment"])
    audit_event_record(
        action=AuditEvent.Action.ALERT_ACKNOWLEDGED,
        actor=user,
        detail={"alert": alert.pk, "metric": alert.kind, "subject": alert.subject, "note": comment},
    )
    return alert
