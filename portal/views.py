"""The client portal's pages: the client's own application, decision and data.

Who: the client themself (portal/access.py's PORTAL rule); every view finds the
record through `get_own_application`, never through an id of the request.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

import formatting
from accounts.access import access_rule
from audit.models import Action
from audit.services import audit_event_record
from clients.record_in_words import record_in_words
from portal.access import PORTAL, get_own_application
from portal.page_context import portal_page_context
from portal.selectors import client_status_get


@require_GET
@access_rule(PORTAL)
def home(request: HttpRequest) -> HttpResponse:
    """The client's home: where their application stands and what they can do here."""
    application = get_own_application(request.user)
    status = client_status_get(application=application) if application else None
    context = portal_page_context(
        request, active_nav="home", application=application, status=status
    )
    return render(request, "portal/home.html", context)


@require_GET
@access_rule(PORTAL)
def application_page(request: HttpRequest) -> HttpResponse:
    """The client's application and credit history in words (record_in_words), with sources."""
    application = get_own_application(request.user)
    record = None
    if application is not None:
        record = record_in_words(application=application)
        audit_event_record(
            action=Action.CLIENT_RECORD_VIEWED,
            actor=request.user,
            application_id=application.pk,
            detail={"view": "portal_application", "own_record": True},
        )
    context = portal_page_context(
        request,
        active_nav="application",
        application=application,
        record=record,
        record_received_on=formatting.date(record.received_on) if record else "",
    )
    return render(request, "portal/application.html", context)
