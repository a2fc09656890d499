"""Override analytics for the risk staff: who overrides the model, which way, why, and with what
result (EBA/GL/2020/06 section 4.3.4, control of model overrides).

Who: risk staff (`accounts.view_monitoring`). Figures come from
`monitoring.overrides_selectors.override_analytics`; the justifications are
listed with the client's number, which risk staff may open.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import formatting
from accounts.access import AccessRule, access_rule
from monitoring.overrides_selectors import override_analytics

OVERRIDES_PAGE = AccessRule(
    key="monitoring.overrides",
    who="risk staff (accounts.view_monitoring)",
    permissions=("accounts.view_monitoring",),
)
DEFAULT_DAYS = 365
MAX_DAYS = 3 * 366


class PeriodForm(forms.Form):
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        until = data.get("until") or today
        since = data.get("since") or until - dt.timedelta(days=DEFAULT_DAYS)
        if since > until:
            raise forms.ValidationError(_("The start comes after the end."))
        if (until - since).days > MAX_DAYS:
            raise forms.ValidationError(
                _("Choose a period of at most %(days)d days.") % {"days": MAX_DAYS}
            )
        data["since"], data["until"] = since, until
        return data


DIRECTIONS = {
    "granted_followed": gettext_lazy("Granted, as the model proposed"),
    "granted_against": gettext_lazy("Granted against the model"),
    "refused_followed": gettext_lazy("Refused, as the model proposed"),
    "refused_against": gettext_lazy("Refused against the model"),
    "followed": gettext_lazy("All decisions following the model"),
    "overridden": gettext_lazy("All overrides"),
}


@access_rule(OVERRIDES_PAGE)
def overrides(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "monitoring/overrides.html", {"form": form}, status=400)
    if not form.is_bound:
        form = PeriodForm({})
        form.is_valid()  # the default period: the last DEFAULT_DAYS days
    cleaned = form.cleaned_data
    analytics = override_analytics(since=cleaned["since"], until=cleaned["until"])
    percent, number = formatting.percent, formatting.number
    return render(
        request,
        "monitoring/overrides.html",
        {
            "form": form,
            "analytics": analytics,
            "overall": _rates_text(analytics.overall),
            "advisors": [
                {"advisor": row["advisor"], **_rates_text(row)} for row in analytics.by_advisor
            ],
            "outcomes": [
                {
                    "group": DIRECTIONS[row["group"]],
                    "decisions": number(row["decisions"], 0),
                    "with_outcome": number(row["with_outcome"], 0),
                    "default_rate": percent(row["default_rate"], 1),
                }
                for row in analytics.outcomes
            ],
            "justifications": [
                {
                    **row,
                    "when": formatting.moment(row["when"]),
                    "direction": _("granted against the model")
                    if row["direction"] == "granted"
                    else _("refused against the model"),
                }
                for row in analytics.justifications
            ],
            "active_nav": "monitoring",
        },
    )


def _rates_text(rates: dict[str, Any]) -> dict[str, str]:
    percent, number = formatting.percent, formatting.number
    return {
        "decisions": number(rates["decisions"], 0),
        "overrides": number(rates["overrides"], 0),
        "override_rate": percent(rates["override_rate"], 1),
        "granted_against": number(rates["granted_against"], 0),
        "granted_against_rate": percent(rates["granted_against_rate"], 1),
        "refused_against": number(rates["refused_against"], 0),
        "refused_against_rate": percent(rates["refused_against_rate"], 1),
    }
