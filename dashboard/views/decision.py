"""The final decision on a client: following the model or overriding it (with a justification)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import access_rule
from dashboard import wording
from dashboard.access import DECISION_RECORD, get_application_for_user
from dashboard.forms import CreditDecisionForm
from dashboard.views.responses import client_url
from scoring.decisions import credit_decision_record
from scoring.selectors import score_latest_done


@require_POST
@access_rule(DECISION_RECORD)
def decision_record(request: HttpRequest, sk_id_curr: int) -> HttpResponse:
    """Record the final decision on the client: follow the model or override it.

    Who: holders of `clients.record_decision` who see the client: advisors
    (their own clients) and supervisors (all). An override needs a written
    justification: refused with 400 and the error next to the field otherwise.
    The service writes the audit event and resolves open review requests.
    """
    application = get_application_for_user(request.user, sk_id_curr, fields=("sk_id_curr",))
    score = score_latest_done(application=application)
    model_decision = score.decision if score else ""
    form = CreditDecisionForm(request.POST, model_decision=model_decision)
    if form.is_valid():
        try:
            decision = credit_decision_record(
                application=application,
                decided_by=request.user,
                outcome=form.cleaned_data["outcome"],
                justification=form.cleaned_data["justification"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            label = wording.decision_label(decision.outcome)
            if decision.is_override:
                text = _("Decision recorded: %(outcome)s, overriding the model.")
            else:
                text = _("Decision recorded: %(outcome)s, as the model proposed.")
            messages.success(request, text % {"outcome": label})
            return redirect(client_url(application, "final-decision-heading"))
    context = {
        "application": application,
        "decision_form": form,
        "model_decision": model_decision,
        "model_decision_label": wording.decision_label(model_decision),
        "score": score,
    }
    return render(request, "dashboard/client_decision_form.html", context, status=400)
