"""The manual-review switch (AI Act art. 14): risk staff make the model advisory only.

Who: risk staff read the page (`accounts.view_monitoring`); turning the switch
on or off takes `scoring.oversee_scoring` (the `staff` role) and a reason,
both recorded in the audit trail (scoring.governance.manual_review_set). While
it is on, every page shows a banner, no page or API answer shows the model's
decision, and every application waits for a person's decision.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import formatting
from accounts.access import AccessRule, access_rule
from accounts.models import User
from audit.models import AuditEvent
from scoring.governance import (
    MIN_COMMENT_LENGTH,
    OVERSEE_PERMISSION,
    manual_review_set,
    manual_review_state,
)

MANUAL_REVIEW_PAGE = AccessRule(
    key="monitoring.manual_review",
    who="risk staff (accounts.view_monitoring; switching: scoring.oversee_scoring)",
    permissions=("accounts.view_monitoring",),
)
HISTORY = 20


class ManualReviewForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (kept in the audit trail)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        min_length=MIN_COMMENT_LENGTH,
    )


@access_rule(MANUAL_REVIEW_PAGE)
def manual_review(request: HttpRequest) -> HttpResponse:
    state = manual_review_state()
    form = ManualReviewForm(request.POST or None)
    if request.method == "POST":
        user = request.user
        if not isinstance(user, User) or not user.has_perm(OVERSEE_PERMISSION):
            raise PermissionDenied
        if form.is_valid():
            try:
                manual_review_set(
                    on=not state.is_on, changed_by=user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Manual review is on: every application waits for a person's decision.")
                    if not state.is_on
                    else _("Manual review is off: the model's decisions are shown again."),
                )
                return redirect("monitoring:manual-review")
    events = AuditEvent.objects.filter(action=AuditEvent.Action.MANUAL_REVIEW_CHANGED).order_by(
        "-id"
    )[:HISTORY]
    history = [{"event": event, "when": formatting.moment(event.created_at)} for event in events]
    return render(
        request,
        "monitoring/manual_review.html",
        {
            "state": state,
            "changed_at": formatting.moment(state.changed_at) if state.changed_at else "",
            "form": form,
            "may_switch": request.user.has_perm(OVERSEE_PERMISSION),
            "history": history,
            "active_nav": "monitoring",
        },
        status=400 if form.errors else 200,
    )
