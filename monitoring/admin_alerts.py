"""Alerts and their limits in the admin site.

Open alerts come first in the list, each in one sentence; a staff member
acknowledges one with a comment (what was found, what is being done) on its
own page. Alerts are otherwise read-only: the monitoring raises them. The
limits are one row staff edit, with the defaults and their reasons beside
each field.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import formatting
from monitoring.alerts import AlertError, alert_acknowledge, alert_message
from monitoring.models import Alert, AlertLimits

ACKNOWLEDGE_PERMISSION = "monitoring.change_alert"


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        max_length=4000,
        help_text=gettext_lazy(
            "What you found and what is being done (kept with the alert and in the audit trail)."
        ),
    )


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("raised_at", "status", "kind", "subject", "sentence", "times_seen")
    list_filter = ("status", "kind")
    list_display_links = ("raised_at", "sentence")
    date_hierarchy = "raised_at"
    fields = (
        "sentence",
        "status",
        "kind",
        "subject",
        "value_shown",
        "limit_shown",
        "last_value_shown",
        "raised_at",
        "last_seen_at",
        "times_seen",
        "email_recipients",
        "drift_report",
        "acknowledgement",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        # Open alerts first: they are what needs a person.
        return (
            super()
            .get_queryset(request)
            .select_related("acknowledged_by", "drift_report")
            .annotate(
                open_first=Case(
                    When(status=Alert.Status.OPEN, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by("open_first", "-raised_at")
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # acknowledging has its own page; nothing else changes

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # alerts are a record of what was seen and answered

    def can_acknowledge(self, request) -> bool:
        return request.user.has_perm(ACKNOWLEDGE_PERMISSION)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:object_id>/acknowledge/",
                self.admin_site.admin_view(self.acknowledge_view),
                name="{}_{}_acknowledge".format(*info),
            ),
            *super().get_urls(),
        ]

    # -- fields ------------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("alert"))
    def sentence(self, alert: Alert) -> str:
        return alert_message(alert)

    @admin.display(description=gettext_lazy("value when raised"))
    def value_shown(self, alert: Alert) -> str:
        return formatting.number(alert.value, 3)

    @admin.display(description=gettext_lazy("limit"))
    def limit_shown(self, alert: Alert) -> str:
        return formatting.number(alert.limit, 3)

    @admin.display(description=gettext_lazy("latest value"))
    def last_value_shown(self, alert: Alert) -> str:
        return formatting.number(alert.last_value, 3)

    @admin.display(description=gettext_lazy("acknowledgement"))
    def acknowledgement(self, alert: Alert) -> str:
        if alert.status == Alert.Status.ACKNOWLEDGED and alert.acknowledged_at:
            return _("By %(user)s on %(date)s: %(comment)s") % {
                "user": alert.acknowledged_by or _("a deleted account"),
                "date": formatting.date(alert.acknowledged_at.date(), "short"),
                "comment": alert.comment,
            }
        url = reverse("admin:monitoring_alert_acknowledge", args=[alert.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Acknowledge"))

    # -- acknowledging -----------------------------------------------------------------------

    def acknowledge_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not self.can_acknowledge(request):
            raise PermissionDenied
        alert = Alert.objects.filter(pk=object_id).first()
        if alert is None:
            raise Http404
        form = AcknowledgeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                alert_acknowledge(
                    alert_id=alert.pk, user=request.user, comment=form.cleaned_data["comment"]
                )
            except AlertError as error:
                form.add_error("comment", str(error))
            else:
                self.message_user(request, _("Alert acknowledged."), messages.SUCCESS)
                return redirect("admin:monitoring_alert_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Acknowledge an alert"),
            "alert": alert,
            "sentence": alert_message(alert),
            "form": form,
        }
        return TemplateResponse(request, "monitoring/alert_acknowledge.html", context)


@admin.register(AlertLimits)
class AlertLimitsAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "drift_share",
        "score_psi",
        "fairness_ratio",
        "auc_gap",
        "updated_at",
    )
    fields = ("drift_share", "score_psi", "fairness_ratio", "auc_gap", "updated_at", "updated_by")
    readonly_fields = ("updated_at", "updated_by")

    def has_add_permission(self, request) -> bool:
        return False  # one set of limits, created by the migrations

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
