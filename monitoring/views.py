"""The risk staff's monitoring dashboard: are the scores, the decisions and their quality holding?

Who: risk staff (`accounts.view_monitoring`, the `staff` role). Advisors,
supervisors, clients and integration accounts are refused (403), anonymous
visitors sent to the login page. The page reads only aggregates of every
scored application (no client is named), computed by a worker
(monitoring/dashboard_figures.py: the page shows the last figures computed for
its window, with their time, and asks for newer ones) and drawn by
`monitoring.views_charts`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import formatting
from accounts.access import AccessRule, access_rule
from monitoring import views_charts as charts
from monitoring.dashboard_figures import dashboard_figures_request
from monitoring.models import DashboardFigures
from monitoring.selectors import (
    DAY,
    WEEK,
    Window,
    dashboard_figures_get,
    monitoring_dashboard_state,
)

MONITORING_PAGES = AccessRule(
    key="monitoring.dashboard",
    who="risk staff (accounts.view_monitoring)",
    permissions=("accounts.view_monitoring",),
)
# Longer windows are a question for the drift reports (stored, computed in a worker).
MAX_WINDOW_DAYS = 366


class WindowForm(forms.Form):
    """The window and the period of the charts: a GET form, so every view is a URL."""

    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period = forms.ChoiceField(
        label=_("Per"),
        required=False,
        choices=((WEEK, _("week")), (DAY, _("day"))),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        default = Window.last_weeks()
        since = data.get("since") or default.since
        until = data.get("until") or default.until
        if "since" in self.errors or "until" in self.errors:
            return data
        if since > until:
            self.add_error("until", _("The end of the window must be on or after its start."))
        elif (until - since).days >= MAX_WINDOW_DAYS:
            self.add_error("since", _("The window may span at most a year: choose a later start."))
        elif until > timezone.localdate() + dt.timedelta(days=1):
            self.add_error("until", _("The window cannot end in the future."))
        data["window"] = Window(since=since, until=until)
        data["period"] = data.get("period") or WEEK
        return data


@access_rule(MONITORING_PAGES)
def dashboard(request: HttpRequest) -> HttpResponse:
    form = WindowForm(request.GET or None)
    if request.GET and not form.is_valid():
        # Nothing computed on a window that does not make sense: say which field is wrong.
        return render(request, "monitoring/dashboard.html", {"form": form}, status=400)
    if form.is_bound:
        window, freq = form.cleaned_data["window"], form.cleaned_data["period"]
    else:
        window, freq = Window.last_weeks(), WEEK
        form = WindowForm(
            initial={
                "since": window.since.isoformat(),
                "until": window.until.isoformat(),
                "period": freq,
            }
        )
    context = {"form": form, "window": window, "freq": freq, "active_nav": "monitoring"}
    state = monitoring_dashboard_state(window=window, freq=freq)
    if state is None:
        # No active model: nothing to compare the scores with (the template says so).
        return render(request, "monitoring/dashboard.html", {**context, "figures": None})
    stored = dashboard_figures_get(window=window, freq=freq)
    if stored is None or stored.state != state:
        # Never computed, or new scores since: a worker computes them, this page shows
        # what is stored meanwhile (the figures take seconds, a page must not).
        dashboard_figures_request(window=window, freq=freq)
        stored = dashboard_figures_get(window=window, freq=freq)
    if stored is None or stored.computed_at is None:
        return render(request, "monitoring/dashboard.html", {**context, "computing": True})
    context["computed_at"] = _computed_at(stored.computed_at)
    context["outdated"] = stored.state != state
    if stored.error == DashboardFigures.Error.MODEL:
        # The active model's archive cannot be read: the page says so, the worker's log says why.
        return render(
            request, "monitoring/dashboard.html", {**context, "model_error": True}, status=503
        )
    if stored.error == DashboardFigures.Error.DATA:
        return render(
            request, "monitoring/dashboard.html", {**context, "data_error": True}, status=500
        )
    figures = stored.figures
    context["figures"] = figures
    if figures and figures["rows"]:
        context.update(_charts(figures, freq))
    return render(request, "monitoring/dashboard.html", context)


def _computed_at(moment: dt.datetime) -> dict[str, str]:
    return {
        "date": formatting.date(timezone.localtime(moment).date()),
        "time": formatting.time_of_day(moment),
    }


def _charts(figures: dict, freq: str) -> dict:
    training = figures["training"] or {}
    performance = figures["performance"]
    fairness = figures["fairness"] or {"groupings": {}}
    context = {
        "volume_chart": charts.volume(figures["stability"], freq),
        "rates_chart": charts.decision_rates(figures["stability"], freq, training),
        "mean_chart": charts.mean_probability(
            figures["stability"], freq, threshold=figures["model"]["threshold"], training=training
        ),
        "auc_chart": charts.performance_metric(performance, freq, metric="auc"),
        "cost_chart": charts.performance_metric(performance, freq, metric="cost_per_client"),
        "calibration_rows": charts.calibration_rows(performance, freq),
        "training_calibration_rows": charts.training_calibration_rows(training),
        "fairness": [
            {
                "key": name,
                "title": charts.GROUPINGS.get(name, name),
                "chart": charts.fairness_approval(name, report),
                "table": charts.fairness_table(report),
            }
            for name, report in fairness["groupings"].items()
        ],
    }
    expected = figures["expected"] or {}
    context["summary"] = [
        (_("Applications scored"), formatting.number(figures["rows"], 0)),
        (_("Outcomes known"), formatting.number(figures["labelled_rows"], 0)),
        (
            _("Score stability index"),
            (
                f"{formatting.number(figures['score_psi']['value'], 3, trim=False)} "
                f"({charts.verdict_label(figures['score_psi']['verdict'])})"
            )
            if figures["score_psi"]
            else "—",
        ),
        (_("Expected AUC"), charts.auc_text(expected.get("auc"))),
        (_("Training AUC"), charts.auc_text(training.get("auc"))),
        (_("Refusal threshold"), formatting.percent(figures["model"]["threshold"], 1)),
    ]
    if figures["score_psi"]:
        context["score_chart"] = charts.score_distribution(figures["score_psi"])
        context["score_verdict"] = charts.verdict_label(figures["score_psi"]["verdict"])
    if figures["score_psi_by_period"]:
        context["psi_period_chart"] = charts.score_psi_by_period(
            figures["score_psi_by_period"], freq
        )
    if figures["feature_psi"]:
        context["feature_chart"] = charts.feature_stability(figures["feature_psi"])
    return context
