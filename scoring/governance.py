"""Human oversight of the model: four-eyes approval, the challenger in shadow, manual review.

* Four eyes: a registered version serves only once a second staff member,
  not the one who trained or registered it, approved it on its validation
  report with a comment (`model_version_approve`); activation itself is
  `scoring.registry.model_version_activate`, which checks the approval.
* Shadow: one registered version at a time scores beside the champion
  (`model_version_shadow_start` / `_stop`); its scores are stored as
  `ShadowScore` rows for the comparison page and never shown as decisions.
* Manual review (AI Act art. 14): while on, the model is advisory only
  (`manual_review_set`, read with `manual_review_state`).

Every change is recorded in the audit trail, as the last step of its transaction.
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AnyUser, User
from audit.context import current_request
from audit.models import AuditEvent
from audit.services import audit_event_record
from scoring.models import ManualReview, ModelVersion, ShadowScore

APPROVE_PERMISSION = "scoring.approve_modelversion"
OVERSEE_PERMISSION = "scoring.oversee_scoring"
# Long enough that "ok" cannot pass for a reviewer's comment or a reason.
MIN_COMMENT_LENGTH = 10


def _require(user: AnyUser, permission: str) -> None:
    if user is None or not user.is_authenticated or not user.has_perm(permission):
        raise PermissionDenied


def _comment(text: str, field: str) -> str:
    text = (text or "").strip()
    if len(text) < MIN_COMMENT_LENGTH:
        raise ValidationError(
            {field: _("Write at least %(n)d characters.") % {"n": MIN_COMMENT_LENGTH}}
        )
    return text


def is_registrant(version: ModelVersion, user: AnyUser) -> bool:
    """Whether `user` trained or registered `version` (and so may not approve it).

    A version registered from a command has no user: the operating-system login
    that ran it is its registrant's name, compared with the user's name.
    """
    if version.registered_by_id is not None and version.registered_by_id == user.pk:
        return True
    return bool(version.registered_by_name) and version.registered_by_name == user.get_username()


@transaction.atomic
def model_version_approve(
    *, version: ModelVersion, approved_by: User, comment: str
) -> ModelVersion:
    """A second staff member approves `version` on its validation report, with a comment.

    Refused (PermissionDenied) without the approval permission; refused
    (ValidationError) to the person who registered it, for a version
    approved already, or without a comment. Approval lets it serve; it does
    not activate it (`model_version_activate` does, e.g. from the admin).
    """
    _require(approved_by, APPROVE_PERMISSION)
    version = ModelVersion.objects.select_for_update().get(pk=version.pk)
    if is_registrant(version, approved_by):
        raise ValidationError(
            _("You registered this version: a second person must approve it (four eyes)."),
            code="self_approval",
        )
    if version.is_approved:
        raise ValidationError(_("This version has been approved already."), code="approved")
    comment = _comment(comment, "comment")
    version.approved_by = approved_by
    version.approved_by_name = approved_by.get_username()
    version.approved_at = timezone.now()
    version.approval_comment = comment
    version.save(
        update_fields=["approved_by", "approved_by_name", "approved_at", "approval_comment"]
    )
    comparison = version.validation_report.get("comparison") or {}
    audit_event_record(
        actor=approved_by,
        action=AuditEvent.Action.MODEL_APPROVED,
        model_version=version.version,
        detail={
            "comment": comment,
            "registered_by": version.registered_by_name,
            "oof_auc": (version.validation_report.get("training") or {}).get("oof_auc"),
            "compared_with": comparison.get("champion"),
            "changed_share": comparison.get("changed_share"),
        },
    )
    return version


@transaction.atomic
def model_version_shadow_start(
    *, version: ModelVersion, started_by: AnyUser, reason: str
) -> ModelVersion:
    """Score every new application with `version` too, beside the champion (one at a time).

    Starting a challenger stops the previous one. The champion cannot be its own shadow.
    """
    _require(started_by, OVERSEE_PERMISSION)
    reason = _comment(reason, "reason")
    version = ModelVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_active:
        raise ValidationError(_("This version serves already: it cannot be its own challenger."))
    previous = list(
        ModelVersion.objects.select_for_update()
        .filter(is_shadow=True)
        .exclude(pk=version.pk)
        .values_list("version", flat=True)
    )
    ModelVersion.objects.filter(version__in=previous).update(is_shadow=False)
    version.is_shadow = True
    version.shadow_started_at = timezone.now()
    version.save(update_fields=["is_shadow", "shadow_started_at"])
    champion = ModelVersion.objects.filter(is_active=True).values_list("version", flat=True)
    audit_event_record(
        actor=started_by,
        action=AuditEvent.Action.MODEL_SHADOW_STARTED,
        model_version=version.version,
        detail={
            "serving": champion.first(),
            "shadow": version.version,
            "replaced": previous,
            "reason": reason,
        },
    )
    return version


@transaction.atomic
def model_version_shadow_stop(
    *, version: ModelVersion, stopped_by: AnyUser, reason: str
) -> ModelVersion:
    """Stop scoring with the challenger `version` (its stored scores stay, for the record)."""
    _require(stopped_by, OVERSEE_PERMISSION)
    reason = _comment(reason, "reason")
    version = ModelVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_shadow:
        raise ValidationError(_("This version is not in shadow."))
    version.is_shadow = False
    version.save(update_fields=["is_shadow"])
    champion = ModelVersion.objects.filter(is_active=True).values_list("version", flat=True)
    audit_event_record(
        actor=stopped_by,
        action=AuditEvent.Action.MODEL_SHADOW_STOPPED,
        model_version=version.version,
        detail={
            "serving": champion.first(),
            "shadow": version.version,
            "scored": ShadowScore.objects.filter(model_version=version).count(),
            "reason": reason,
        },
    )
    return version


def manual_review_state() -> ManualReview:
    """The manual-review switch (a row that is off until someone turns it on).

    Read from the database every time (one primary-key lookup, a fraction of a
    millisecond): a cached copy could show a decision for a while after the
    switch was turned on, in another process.
    """
    return ManualReview.objects.filter(pk=1).first() or ManualReview(pk=1)


def manual_review_on() -> bool:
    """Whether the model is advisory only right now: no model output is a decision.

    Read once per request (the page, its banner and its form agree, for one query);
    outside a request, every call reads the database.
    """
    request = current_request()
    if request is None:
        return manual_review_state().is_on
    known = getattr(request, "manual_review_on", None)
    if known is None:
        known = manual_review_state().is_on
        setattr(request, "manual_review_on", known)  # noqa: B010 - HttpRequest has no such slot
    return bool(known)


@transaction.atomic
def manual_review_set(*, on: bool, changed_by: User, reason: str) -> ManualReview:
    """Turn the manual-review switch on or off, with a reason (audited)."""
    _require(changed_by, OVERSEE_PERMISSION)
    reason = _comment(reason, "reason")
    state, _created = ManualReview.objects.select_for_update().get_or_create(pk=1)
    before = state.is_on
    state.is_on = on
    state.reason = reason
    state.changed_by = changed_by
    state.changed_at = timezone.now()
    state.save()
    audit_event_record(
        actor=changed_by,
        action=AuditEvent.Action.MANUAL_REVIEW_CHANGED,
        detail={"before": before, "after": on, "reason": reason},
    )
    return state


def results_without_decisions(content: bytes) -> bytes:
    """A results CSV (scoring/batch.py) with its `decision` column emptied (manual review)."""
    reader = csv.DictReader(io.StringIO(content.decode("utf-8")))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [], lineterminator="\n")
    writer.writeheader()
    for row in reader:
        if "decision" in row:
            row["decision"] = ""
        writer.writerow(row)
    return out.getvalue().encode("utf-8")
