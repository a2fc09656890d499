"""Scoring in the admin: explanations (read-only), and model versions with their
validation reports, approval (four eyes), activation and shadow scoring."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import formatting
from scoring.governance import (
    APPROVE_PERMISSION,
    MIN_COMMENT_LENGTH,
    OVERSEE_PERMISSION,
    is_registrant,
    model_version_approve,
    model_version_shadow_start,
    model_version_shadow_stop,
)
from scoring.models import Explanation, ModelVersion

# The admin's modules load with Django itself (autodiscover), in every command, worker
# and web process: what pulls in the model libraries (scoring.registry: LightGBM,
# pandas) or the feature labels is imported where it is used, not here.

TOP_IN_ADMIN = 10


@admin.register(Explanation)
class ExplanationAdmin(admin.ModelAdmin):
    list_display = ("score", "application", "model_version", "raw_score", "created_at")
    list_select_related = ("score__model_version",)
    search_fields = ("score__id", "score__application__sk_id_curr")
    list_filter = ("score__model_version__version",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "score",
        "base_value",
        "raw_score",
        "strongest_contributions",
        "contributions",
        "feature_values",
        "created_at",
    )

    @admin.display(description="application", ordering="score__application_id")
    def application(self, explanation: Explanation) -> int:
        return explanation.score.application_id

    @admin.display(description="model version", ordering="score__model_version__version")
    def model_version(self, explanation: Explanation) -> str:
        return explanation.score.model_version.version

    @admin.display(description=f"{TOP_IN_ADMIN} strongest contributions (log-odds)")
    def strongest_contributions(self, explanation: Explanation) -> str:
        # Imported here, not at the top: the admin's modules load with Django itself
        # (autodiscover), and the labels pull in ml.features and pandas, about 1 s of
        # start-up for every management command, worker and web process.
        from explanations.feature_labels import label

        ranked = sorted(explanation.contributions.items(), key=lambda item: -abs(item[1]))
        return "\n".join(
            f"{value:+.4f}  {label(feature, 'en')} ({feature})"
            for feature, value in ranked[:TOP_IN_ADMIN]
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# -- model versions: the registry, validation reports and four-eyes approval ------------------


class ApprovalForm(forms.Form):
    comment = forms.CharField(
        label=_("Your comment on the validation report"),
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=MIN_COMMENT_LENGTH,
    )
    activate = forms.BooleanField(
        label=_("Activate it now (it then scores every new application)"),
        required=False,
        initial=True,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), min_length=MIN_COMMENT_LENGTH
    )


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    """The registry, read-only: versions are registered by command, approved and activated here.

    The change page shows the validation report and the model card, and
    offers what the user may do: approve (four eyes: not the person who
    registered it), activate an approved version (rollback included), put
    it in shadow or stop its shadow.
    """

    change_form_template = "scoring/admin_model_version.html"
    list_display = (
        "version",
        "created_at",
        "registered_by_name",
        "approval",
        "is_active",
        "is_shadow",
        "oof_auc",
    )
    list_filter = ("is_active", "is_shadow")
    search_fields = ("version", "artifact_hash", "registered_by_name", "approved_by_name")
    fields = (
        "version",
        "artifact_hash",
        "threshold",
        "cost_false_negative",
        "cost_false_positive",
        "created_at",
        "registered_by_name",
        "approved_by_name",
        "approved_at",
        "approval_comment",
        "is_active",
        "activated_at",
        "is_shadow",
        "shadow_started_at",
    )
    readonly_fields = fields

    @admin.display(description=_("approval"))
    def approval(self, version: ModelVersion) -> str:
        if version.is_approved:
            return _("approved by %(name)s") % {"name": version.approved_by_name}
        return _("waiting for a second person")

    @admin.display(description=_("AUC (out of fold)"))
    def oof_auc(self, version: ModelVersion) -> str:
        return formatting.number((version.metrics or {}).get("oof_auc"), 3)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/approve/", wrap(self.approve_view), name="scoring_modelversion_approve"),
            path(
                "<int:pk>/activate/", wrap(self.activate_view), name="scoring_modelversion_activate"
            ),
            path("<int:pk>/shadow/", wrap(self.shadow_view), name="scoring_modelversion_shadow"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if version is not None:
            extra.update(self._governance_context(request, version))
        return super().change_view(request, object_id, form_url, extra_context=extra)

    def _governance_context(self, request, version: ModelVersion, **forms_given) -> dict:
        user = request.user
        may_approve = user.has_perm(APPROVE_PERMISSION)
        return {
            "report": report_for_display(version.validation_report),
            "model_card": _model_card(version),
            "is_registrant": is_registrant(version, user),
            "may_approve": may_approve and not version.is_approved,
            "may_activate": may_approve and version.is_approved and not version.is_active,
            "may_oversee": user.has_perm(OVERSEE_PERMISSION) and not version.is_active,
            "approval_form": forms_given.get("approval_form") or ApprovalForm(),
            "reason_form": forms_given.get("reason_form") or ReasonForm(),
        }

    def _version_or_404(self, request, pk: int) -> ModelVersion:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(ModelVersion, pk=pk)

    def _back(self, version: ModelVersion) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:scoring_modelversion_change", args=[version.pk]))

    def _refuse(self, request, version: ModelVersion, error: ValidationError) -> HttpResponse:
        for message in error.messages:
            messages.error(request, message)
        return self._back(version)

    @method_decorator(require_POST)
    def approve_view(self, request, pk: int) -> HttpResponse:
        from scoring.registry import model_version_activate

        version = self._version_or_404(request, pk)
        if not request.user.has_perm(APPROVE_PERMISSION):
            raise PermissionDenied
        form = ApprovalForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:  # an ErrorList gives its messages as text
                    messages.error(request, str(message))
            return self._back(version)
        try:
            with transaction.atomic():
                model_version_approve(
                    version=version, approved_by=request.user, comment=form.cleaned_data["comment"]
                )
                if form.cleaned_data["activate"]:
                    model_version_activate(version=version.version, activated_by=request.user)
        except ValidationError as error:
            return self._refuse(request, version, error)
        messages.success(
            request,
            (
                _("Model %(version)s approved and now serving.")
                if form.cleaned_data["activate"]
                else _("Model %(version)s approved.")
            )
            % {"version": version.version},
        )
        return self._back(version)

    @method_decorator(require_POST)
    def activate_view(self, request, pk: int) -> HttpResponse:
        from scoring.registry import ActivationRefused, model_version_activate

        version = self._version_or_404(request, pk)
        if not request.user.has_perm(APPROVE_PERMISSION):
            raise PermissionDenied
        try:
            model_version_activate(version=version.version, activated_by=request.user)
        except ActivationRefused:
            return self._refuse(
                request,
                version,
                ValidationError(_("This version has not been approved by a second person yet.")),
            )
        messages.success(
            request, _("Model %(version)s now serving.") % {"version": version.version}
        )
        return self._back(version)

    @method_decorator(require_POST)
    def shadow_view(self, request, pk: int) -> HttpResponse:
        version = self._version_or_404(request, pk)
        if not request.user.has_perm(OVERSEE_PERMISSION):
            raise PermissionDenied
        form = ReasonForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:  # an ErrorList gives its messages as text
                    messages.error(request, str(message))
            return self._back(version)
        reason = form.cleaned_data["reason"]
        try:
            if request.POST.get("action") == "stop":
                model_version_shadow_stop(version=version, stopped_by=request.user, reason=reason)
                messages.success(request, _("Shadow scoring stopped."))
            else:
                model_version_shadow_start(version=version, started_by=request.user, reason=reason)
                messages.success(
                    request,
                    _("Model %(version)s now scores in shadow beside the serving model.")
                    % {"version": version.version},
                )
        except ValidationError as error:
            return self._refuse(request, version, error)
        return self._back(version)


def _model_card(version: ModelVersion) -> str:
    """The artifact's model card (Markdown), or "" when the archive cannot be read here."""
    from ml.artifact import ArtifactError
    from scoring.registry import scoring_model_for
    from scoring.selectors import MODEL_CARD_FILE

    try:
        model = scoring_model_for(version)
    except (ArtifactError, OSError):
        return ""
    card = Path(model.artifact_dir) / MODEL_CARD_FILE
    return card.read_text(encoding="utf-8") if card.is_file() else ""


def report_for_display(report: dict[str, Any]) -> dict[str, Any]:
    """The validation report's figures as text in the page's language (formatting)."""
    training = report.get("training") or {}
    comparison = report.get("comparison")
    data = report.get("data") or {}
    number, percent = formatting.number, formatting.percent
    figures: dict[str, Any] = {
        "training": [
            (_("AUC out of fold"), number(training.get("oof_auc"), 3)),
            (
                _("AUC per fold"),
                " · ".join(number(auc, 3) for auc in training.get("fold_aucs", [])),
            ),
            (
                _("Threshold (probability of default)"),
                number(training.get("threshold"), 3),
            ),
            (_("Business cost per client"), number(training.get("cost_per_client"), 3)),
            (_("Brier score"), number(training.get("brier"), 4)),
            (_("Default rate"), percent(training.get("default_rate"), 1)),
            (_("Refusal rate"), percent(training.get("refusal_rate"), 1)),
        ],
        "calibration": [
            {
                "predicted": percent(row.get("mean_predicted"), 1),
                "observed": percent(row.get("observed_rate"), 1),
                "count": number(row.get("count"), 0),
            }
            for row in training.get("calibration") or []
        ],
        "data": [
            (
                _("Training rows"),
                number(data.get("training_rows"), 0),
            ),
            (_("Defaults"), number(data.get("defaults"), 0)),
            (_("Features"), number(data.get("features"), 0)),
            (_("Data hash"), str(data.get("hash") or "")),
        ],
        "fairness": _fairness_rows(report.get("fairness_recent")),
        "notes": report.get("notes") or [],
        "comparison": None,
    }
    if comparison:
        outcome = comparison.get("with_outcome") or {}
        figures["comparison"] = {
            "champion": comparison.get("champion"),
            "rows": [
                (_("Applications replayed"), number(comparison.get("applications"), 0)),
                (
                    _("Approval rate, this version"),
                    percent(comparison.get("approval_rate"), 1),
                ),
                (
                    _("Approval rate, serving version"),
                    percent(comparison.get("champion_approval_rate"), 1),
                ),
                (
                    _("Decisions that would change"),
                    percent(comparison.get("changed_share"), 1),
                ),
                (
                    _("Granted, would be refused"),
                    number(comparison.get("granted_now_refused"), 0),
                ),
                (
                    _("Refused, would be granted"),
                    number(comparison.get("refused_now_granted"), 0),
                ),
                (_("With a known outcome"), number(outcome.get("rows"), 0)),
                (_("AUC, this version"), number(outcome.get("auc"), 3)),
                (_("AUC, serving version"), number(outcome.get("champion_auc"), 3)),
                (
                    _("Cost per client, this version"),
                    number(outcome.get("cost_per_client"), 3),
                ),
                (
                    _("Cost per client, serving version"),
                    number(outcome.get("champion_cost_per_client"), 3),
                ),
            ],
            "largest": [
                {
                    "application": change["application"],
                    "before": percent(change["champion_probability"], 1),
                    "after": percent(change["probability"], 1),
                    "changed": change["decision"] != change["champion_decision"],
                }
                for change in comparison.get("largest_changes", [])
            ],
        }
    return figures


def _fairness_rows(fairness: dict[str, Any] | None) -> list[dict[str, object]]:
    """Approval rate and ratio per group (the four-fifths rule), from ml.monitoring.fairness."""
    rows = []
    for grouping in ((fairness or {}).get("groupings") or {}).values():
        for row in grouping.get("rows", []):
            if row.get("metric") not in ("approval_rate", "approval_ratio"):
                continue
            value = row.get("value")
            rows.append(
                {
                    "group": f"{row.get('grouping')}: {row.get('group')}",
                    "metric": _("approval rate")
                    if row["metric"] == "approval_rate"
                    else _("ratio to the most approved group"),
                    "value": formatting.percent(value, 1)
                    if row["metric"] == "approval_rate"
                    else formatting.number(value, 2),
                    "n": formatting.number(row.get("n"), 0),
                    "flagged": bool(row.get("flagged")),
                }
            )
    return rows
