"""A client's page: key facts, credit history, and the decision sections once scored."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import access_rule
from audit.models import Action
from audit.services import audit_event_record
from clients.models import Application
from clients.selectors.client_file import CLIENT_FACT_COLUMNS, client_file_get
from dashboard.access import CLIENT_PAGES, get_application_for_user
from dashboard.forms import CreditDecisionForm
from dashboard.page_context import client_page_context, parse_top


@require_GET
@access_rule(CLIENT_PAGES)
def client_detail(request: HttpRequest, sk_id_curr: int) -> HttpResponse:
    """A client's file: key facts, credit history, and the decision sections once scored.

    Who: the client's advisor, supervisors and other holders of
    `clients.view_all_applications`, and the client themself (their own record only).
    Anyone else gets 404, whether the record exists or not.
    """
    application = get_application_for_user(request.user, sk_id_curr, fields=CLIENT_FACT_COLUMNS)
    return client_page_response(request, application)


def client_page_response(
    request: HttpRequest,
    application: Application,
    *,
    decision_form: CreditDecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The client's page (its viewing audited); `decision_form`: a bound form whose errors
    the final decision section shows, open (a decision refused without JavaScript)."""
    client_file = client_file_get(application=application)
    is_own_record = application.portal_user_id == request.user.pk
    audit_event_record(
        action=Action.CLIENT_RECORD_VIEWED,
        actor=request.user,
        application_id=application.pk,
        detail={"view": "client_page", "own_record": is_own_record},
    )
    context = {
        "client_file": client_file,
        "application": client_file.application,
        "score": None,
        "explanation": None,
        "is_own_record": is_own_record,
    }
    # The decision, explanation, population and what-if sections (dashboard/page_context.py).
    context.update(
        client_page_context(
            user=request.user,
            application=application,
            is_own_record=is_own_record,
            top=parse_top(request.GET.get("top")),
        )
    )
    if decision_form is not None:
        context["decision_form"] = decision_form
    return render(request, "dashboard/client_detail.html", context, status=status)
