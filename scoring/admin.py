"""Explanations in the admin: read-only (they are computed by the worker, never typed in)."""

from __future__ import annotations

from django.contrib import admin

from scoring.models import Explanation

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
