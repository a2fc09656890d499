"""Drift reports in the admin site: the list, one report's page, running a new one.

A report's page shows first the drift that moves scores (the drifted features
ranked by the model's mean |SHAP| importance, with their drift score), then
Evidently's full report in a frame. That HTML is Evidently's own, with inline
scripts: it is served by its own URL with its own Content-Security-Policy
(`sandbox allow-scripts`: an opaque origin) and shown in an
`<iframe sandbox="allow-scripts">` without `allow-same-origin`, so none of its
script can reach the admin's pages, cookies or API with the staff member's
rights, whether it is opened in the frame or on its own.

Reports are read-only records: they are made by the worker from a request
(the "Run a drift report" page, `manage.py drift_report`, the schedule).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

import formatting
from monitoring.models import DriftReport

RUN_PERMISSION = "monitoring.add_driftreport"
# Evidently's report is one file with inline scripts, styles, fonts and images as data:
# URLs. `sandbox allow-scripts` gives it an opaque origin even when opened on its own;
# nothing may be fetched or sent anywhere; only the admin's own pages may frame it.
REPORT_CSP = "; ".join(
    [
        "sandbox allow-scripts",
        "default-src 'none'",
        "script-src 'unsafe-inline' 'unsafe-eval'",
        "style-src 'unsafe-inline'",
        "img-src data: blob:",
        "font-src data:",
        "connect-src 'none'",
        "form-action 'none'",
        "base-uri 'none'",
        "frame-ancestors 'self'",
    ]
)


class DriftReportRunForm(forms.Form):
    since = forms.DateField(
        label=gettext_lazy("From (included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Applications scored from this day. Default: 7 days ago."),
    )
    until = forms.DateField(
        label=gettext_lazy("Until (included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Applications scored up to this day. Default: today."),
    )
    current_file = forms.FileField(
        label=gettext_lazy("Or an application file"),
        required=False,
        help_text=gettext_lazy(
            "A Kaggle application file (.csv or .csv.gz, e.g. application_test.csv) to "
            "compare instead of the scored applications."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period comes before its start."))
        if data.get("current_file") and (since or until):
            self.add_error(
                "current_file",
                _("Give either a period or a file: a report compares one population."),
            )
        return data

    def window(self) -> tuple[datetime | None, datetime | None]:
        """[start, end) as aware datetimes: whole days, the end day included."""
        since, until = self.cleaned_data.get("since"), self.cleaned_data.get("until")
        start = timezone.make_aware(datetime.combine(since, time.min)) if since else None
        end = None
        if until:
            end = timezone.make_aware(datetime.combine(until, time.min)) + timedelta(days=1)
        return start, end


@admin.register(DriftReport)
class DriftReportAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "status",
        "current_data",
        "model_version",
        "rows_current",
        "drift_share_shown",
        "verdict",
        "trigger",
    )
    list_display_links = ("created_at", "current_data")
    list_filter = ("status", "dataset_drift", "source", "trigger")
    list_select_related = ("model_version",)
    date_hierarchy = "created_at"
    _summary = (
        "status",
        "verdict",
        "current_data",
        "model_version",
        "rows_reference",
        "rows_current",
        "columns_compared",
        "drifted_columns",
        "drift_share_shown",
        "error",
    )
    _request = (
        "trigger",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "reference_shown",
        "columns",
        "not_comparable",
    )
    fieldsets = (
        (None, {"fields": _summary}),
        (gettext_lazy("Drift that matters first"), {"fields": ("drift_that_matters",)}),
        (gettext_lazy("Evidently's full report"), {"fields": ("full_report",)}),
        (gettext_lazy("Request"), {"classes": ("collapse",), "fields": _request}),
    )
    # A report is the worker's output: every field shown is read-only.
    readonly_fields = (*_summary, "drift_that_matters", "full_report", *_request)

    # -- what staff may do -------------------------------------------------------------------

    def has_add_permission(self, request) -> bool:
        return False  # reports are run (the run page), not typed in

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def can_run(self, request) -> bool:
        return request.user.has_perm(RUN_PERMISSION)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_run_drift_report": self.can_run(request)}
        return super().changelist_view(request, extra_context=extra_context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("run/", self.admin_site.admin_view(self.run_view), name="{}_{}_run".format(*info)),
            path(
                "<uuid:object_id>/report/",
                self.admin_site.admin_view(self.report_view),
                name="{}_{}_report".format(*info),
            ),
            *super().get_urls(),
        ]

    # -- columns and fields ------------------------------------------------------------------

    @admin.display(description=gettext_lazy("current data"))
    def current_data(self, report: DriftReport) -> str:
        if report.source == DriftReport.Source.FILE:
            return _("file %(name)s") % {"name": report.current_file_name}
        if report.window_start and report.window_end:
            last_day = timezone.localtime(report.window_end) - timedelta(microseconds=1)
            return _("scored from %(start)s to %(end)s") % {
                "start": formatting.date(timezone.localtime(report.window_start).date(), "short"),
                "end": formatting.date(last_day.date(), "short"),
            }
        return report.get_source_display()

    @admin.display(description=gettext_lazy("share of drifted columns"), ordering="drift_share")
    def drift_share_shown(self, report: DriftReport) -> str:
        if report.drift_share is None:
            return "-"
        return _("%(share)s (%(drifted)s of %(compared)s)") % {
            "share": formatting.percent(report.drift_share, 1),
            "drifted": formatting.number(report.drifted_columns, 0),
            "compared": formatting.number(report.columns_compared, 0),
        }

    @admin.display(description=gettext_lazy("verdict"), ordering="dataset_drift")
    def verdict(self, report: DriftReport) -> str:
        if report.status != DriftReport.Status.DONE:
            return report.get_status_display()
        limit = (report.summary or {}).get("drift_share_limit")
        limit_text = formatting.percent(limit, 0) if limit is not None else "-"
        if report.dataset_drift:
            return _("Drift: at least %(limit)s of the columns have drifted") % {
                "limit": limit_text
            }
        return _("No dataset drift (limit %(limit)s)") % {"limit": limit_text}

    @admin.display(description=gettext_lazy("drifted features, most important to the model first"))
    def drift_that_matters(self, report: DriftReport) -> str:
        if report.status != DriftReport.Status.DONE:
            return "-"
        from django.template.loader import render_to_string

        # The drift service and the features' wording load pandas and LightGBM with them:
        # here, on the first report shown, not when the admin site loads with every
        # management command (0.5 s of each import's start-up).
        from explanations.feature_labels import label
        from monitoring import drift

        language = get_language() or "fr"
        rows = [
            {
                "name": column["column"],
                "label": label(column["column"], language),
                "rank": column.get("importance_rank"),
                "importance": _number(column.get("importance"), 3),
                "score": _number(column.get("drift_score"), 4),
                "threshold": _number(column.get("threshold"), 3),
                "method": column.get("method") or "",
                "score_kind": column.get("score_kind"),
            }
            for column in drift.drift_report_ranked_columns(report)
        ]
        return render_to_string("monitoring/drift_report_columns.html", {"rows": rows})

    @admin.display(description=gettext_lazy("report"))
    def full_report(self, report: DriftReport) -> str:
        if report.status != DriftReport.Status.DONE or not report.html_gzip:
            return _("The report appears here once the worker has made it.")
        url = reverse("admin:monitoring_driftreport_report", args=[report.pk])
        return format_html(
            '<p><a href="{url}" target="_blank" rel="noopener">{open}</a></p>'
            '<iframe class="drift-report-frame" src="{url}" sandbox="allow-scripts" '
            'referrerpolicy="no-referrer" title="{title}" '
            'width="100%" height="900" loading="lazy"></iframe>',
            url=url,
            open=_("Open the report on its own page"),
            title=_("Evidently's drift report"),
        )

    @admin.display(description=gettext_lazy("reference"))
    def reference_shown(self, report: DriftReport) -> str:
        if report.reference_file_name:
            return _("file %(name)s") % {"name": report.reference_file_name}
        return _("the training sample stored with the model")

    @admin.display(description=gettext_lazy("columns not compared"))
    def not_comparable(self, report: DriftReport) -> str:
        items = (report.summary or {}).get("not_comparable", [])
        if not items:
            return "-"
        reasons: dict[str, int] = {}
        for item in items:
            reasons[item["reason"]] = reasons.get(item["reason"], 0) + 1
        return ", ".join(
            f"{_NOT_COMPARABLE.get(reason, reason)}: {formatting.number(count, 0)}"
            for reason, count in sorted(reasons.items())
        )

    # -- views -------------------------------------------------------------------------------

    def run_view(self, request: HttpRequest) -> HttpResponse:
        if not self.can_run(request):
            raise PermissionDenied
        form = DriftReportRunForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            since, until = form.window()
            upload = form.cleaned_data.get("current_file")
            from monitoring import drift  # loaded on use: see drift_that_matters

            try:
                report = drift.drift_report_create(
                    trigger=DriftReport.Trigger.ADMIN,
                    requested_by=request.user,
                    since=since,
                    until=until,
                    current_file=upload,
                    file_name=upload.name if upload else "",
                )
            except drift.DriftReportError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    _(
                        "The drift report is being made by a worker (a minute or more for "
                        "large populations). Reload this page to see it."
                    ),
                    messages.SUCCESS,
                )
                return redirect("admin:monitoring_driftreport_change", report.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Run a drift report"),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "monitoring/drift_report_run.html", context)

    def report_view(self, request: HttpRequest, object_id) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        from monitoring import drift  # loaded on use: see drift_that_matters

        report = DriftReport.objects.filter(pk=object_id).first()
        html = drift.drift_report_html(report) if report is not None else None
        if html is None:
            raise Http404
        return _sandboxed(HttpResponse(html, content_type="text/html; charset=utf-8"))


def _sandboxed(response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = REPORT_CSP
    # The admin's own pages frame it (XFrameOptionsMiddleware keeps a header already set).
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _number(value, decimals: int) -> str:
    return "-" if value is None else formatting.number(value, decimals, trim=False)


_NOT_COMPARABLE = {
    "absent_in_reference": gettext_lazy("absent from the training sample"),
    "absent_in_current": gettext_lazy("absent from the current data"),
    "all_missing_in_reference": gettext_lazy("always empty in the training sample"),
    "all_missing_in_current": gettext_lazy("always empty in the current data"),
}
