"""The final decision on a client: following the model or overriding it (with a justification)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import access_rule, signed_in_user
from clients.models import Application
from clients.selectors.client_file import CLIENT_FACT_COLUMNS
from dashboard import wording
from dashboard.access import DECISION_RECORD, get_application_for_user, is_htmx
from dashboard.forms import CreditDecisionForm
from dashboard.views.client import client_page_response
from dashboard.views.responses import client_url
from scoring.decisions import credit_decision_record
from scoring.governance import manual_review_on
from scoring.models import Score
from scoring.selectors import credit_decisions_for, open_review_for, score_latest_done

_ANCHOR = "final-decision-heading"


@require_http_methods(["GET", "POST"])
@access_rule(DECISION_RECORD)
def decision_record(request: HttpRequest, sk_id_curr: int) -> HttpResponse:
    """Record the final decision on the client: follow the model or override it.

    Who: holders of `clients.record_decision` who see the client: advisors
    (their own clients) and supervisors (all). An override needs a written
    justification; a refusal comes back on the client's page, next to the field:
    with htmx the section is swapped in place (a recorded decision too), without
    JavaScript the client's page is drawn again (400) with the section open, and a
    recorded decision redirects to it. A GET (a refreshed or
    bookmarked form) leads back to the client's decision, never to a 405. The
    service writes the audit event and resolves open review requests.
    """
    application = get_application_for_user(request.user, sk_id_curr, fields=CLIENT_FACT_COLUMNS)
    if request.method == "GET":
        return redirect(client_url(application, _ANCHOR))
    score = score_latest_done(application=application)
    # Under manual review the model proposes nothing: the person decides and says why.
    model_decision = score.decision if score and not manual_review_on() else ""
    form = CreditDecisionForm(request.POST, model_decision=model_decision)
    if form.is_valid():
        try:
            decision = credit_decision_record(
                application=application,
                decided_by=signed_in_user(request),
                outcome=form.cleaned_data["outcome"],
                justification=form.cleaned_data["justification"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Said after "Decision recorded:": the decision's own word ("refus" in French).
            label = wording.decision_outcome(decision.outcome)
            if not decision.model_decision and not decision.is_override:  # manual review
                text = _("Decision recorded: %(outcome)s.")
            elif decision.is_override:
                text = _("Decision recorded: %(outcome)s, overriding the model.")
            else:
                text = _("Decision recorded: %(outcome)s, as the model proposed.")
            text %= {"outcome": label}
            if is_htmx(request):
                # The section swaps itself: the decision in force, the history, the form
                # on the outcome recorded (a new, unbound one) and the review closed.
                form = CreditDecisionForm(
                    model_decision=model_decision, recorded_outcome=decision.outcome
                )
                return _final_decision_section(request, application, score, form, recorded=text)
            messages.success(request, text)
            return redirect(client_url(application, _ANCHOR))
    if is_htmx(request):
        # htmx swaps only 2xx answers: the section with its errors replaces itself.
        return _final_decision_section(request, application, score, form)
    return client_page_response(request, application, decision_form=form, status=400)


def _final_decision_section(
    request: HttpRequest,
    application: Application,
    score: Score | None,
    form: CreditDecisionForm,
    *,
    recorded: str = "",
) -> HttpResponse:
    context = {
        "application": application,
        "score": score,
        "decision_form": form,
        "can_record_decision": True,
        "credit_decisions": credit_decisions_for(application=application),
        "open_review": open_review_for(application=application),
        "recorded_message": recorded,
    }
    return render(request, "dashboard/client_final_decision.html", context)
