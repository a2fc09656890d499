"""The challenger in shadow compared with the champion (risk staff only).

Who: risk staff (`accounts.view_monitoring`). The page reads aggregates of the
challenger's stored scores (scoring/shadow.py) beside the champion's: how
often they agree, their approval rates, AUC and cost where outcomes are known,
and how far the probabilities differ. No client is named, and nothing here is
a decision. Putting a version in shadow (and stopping it) happens in the
admin, on the model version's page, with a reason (audited).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

import formatting
from accounts.access import AccessRule, access_rule
from scoring.models import ModelVersion
from scoring.shadow import shadow_comparison, shadow_versions

SHADOW_PAGE = AccessRule(
    key="monitoring.shadow",
    who="risk staff (accounts.view_monitoring)",
    permissions=("accounts.view_monitoring",),
)


@access_rule(SHADOW_PAGE)
def shadow(request: HttpRequest) -> HttpResponse:
    """The challenger in shadow now (or the last one); `?version=` names an earlier one."""
    versions = shadow_versions()
    version = request.GET.get("version")
    if version:
        challenger = ModelVersion.objects.filter(version=version).first()
        if challenger is None:
            raise Http404
    else:
        challenger = (
            versions[0] if versions else ModelVersion.objects.filter(is_shadow=True).first()
        )
    context: dict[str, Any] = {
        "versions": versions,
        "challenger": challenger,
        "active_nav": "monitoring",
    }
    if challenger is not None:
        comparison = shadow_comparison(challenger=challenger)
        context.update(comparison=comparison, rows=_rows(comparison.figures))
        context["differences"] = [
            {
                "range": _("%(low)s to %(high)s")
                % {
                    "low": formatting.signed(bin_["low"] * 100, 0),
                    "high": formatting.signed(bin_["high"] * 100, 0),
                },
                "count": formatting.number(bin_["count"], 0),
                "share": formatting.percent(bin_["count"] / comparison.figures["scores"], 1),
            }
            for bin_ in comparison.figures.get("differences", [])
        ]
    return render(request, "monitoring/shadow.html", context)


def _rows(figures: dict) -> list[tuple[str, str]]:
    if not figures.get("scores"):
        return []
    number, percent = formatting.number, formatting.percent
    outcome = figures.get("with_outcome") or {}
    return [
        (_("Applications scored by both"), number(figures["scores"], 0)),
        (_("Same decision"), percent(figures["agreement"], 1)),
        (_("Approval rate, challenger"), percent(figures["approval_rate"], 1)),
        (_("Approval rate, serving version"), percent(figures["champion_approval_rate"], 1)),
        (_("Granted, would be refused"), number(figures["granted_now_refused"], 0)),
        (_("Refused, would be granted"), number(figures["refused_now_granted"], 0)),
        (
            _("Mean difference of probability (points)"),
            formatting.signed(figures["mean_difference"] * 100, 2),
        ),
        (_("With a known outcome"), number(outcome.get("rows"), 0)),
        (_("AUC, challenger"), number(outcome.get("auc"), 3)),
        (_("AUC, serving version"), number(outcome.get("champion_auc"), 3)),
        (_("Cost per client, challenger"), number(outcome.get("cost_per_client"), 3)),
        (_("Cost per client, serving version"), number(outcome.get("champion_cost_per_client"), 3)),
    ]
