"""The client portal's pages: the client's own application, decision and data.

Who: the client themself (portal/access.py's PORTAL rule); every view finds the
record through `get_own_application`, never through an id of the request.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import SetPasswordForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

import formatting
from accounts.access import access_rule
from audit.models import Action
from audit.services import audit_event_record
from clients.invitations import client_activation_complete, invitation_user_get
from clients.models import Application
from clients.record_in_words import SOURCE_OF_TABLE, record_in_words, source_label
from portal.access import ACTIVATION, PORTAL, get_own_application
from portal.decision_in_words import DecisionInWords, decision_in_words
from portal.page_context import portal_page_context
from portal.reviews import review_summary
from portal.selectors import client_status_get, client_table_counts
from portal.services import CSV, JSON, client_data_export_create


@require_GET
@access_rule(PORTAL)
def home(request: HttpRequest) -> HttpResponse:
    """The client's home: where their application stands and what they can do here."""
    application = get_own_application(request.user)
    status = client_status_get(application=application) if application else None
    context = portal_page_context(
        request,
        active_nav="home",
        application=application,
        status=status,
        review_summary=review_summary(application=application) if application else None,
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


def _decision_context(request: HttpRequest, *, active_nav: str) -> dict[str, object]:
    application = get_own_application(request.user)
    said = decision_in_words(application=application) if application else None
    if application is not None and isinstance(said, DecisionInWords):
        # The client read the explanation of their decision (which score's, which model).
        score = said.decision.score
        audit_event_record(
            action=Action.EXPLANATION_VIEWED,
            actor=request.user,
            application_id=application.pk,
            model_version=score.model_version.version if score else "",
            detail={
                "view": f"portal_{active_nav}",
                "decision": said.decision.pk,
                "score": str(score.pk) if score else None,
            },
        )
    return portal_page_context(
        request,
        active_nav=active_nav,
        application=application,
        said=said,
        decided=isinstance(said, DecisionInWords),
    )


@require_GET
@access_rule(PORTAL)
def decision_page(request: HttpRequest) -> HttpResponse:
    """The decision a person recorded, its reasons and what could change it; before one
    exists, "under review" and nothing of the model (portal/decision_in_words.py)."""
    context = _decision_context(request, active_nav="decision")
    # A request already open: the page says where it stands rather than offering the form.
    application = context["application"]
    context["review_summary"] = (
        review_summary(application=application) if isinstance(application, Application) else None
    )
    return render(request, "portal/decision.html", context)


@require_GET
@access_rule(PORTAL)
def decision_letter(request: HttpRequest) -> HttpResponse:
    """The decision letter: one printable page (the browser saves it as PDF)."""
    context = _decision_context(request, active_nav="letter")
    context["today"] = formatting.date(timezone.localdate())
    return render(request, "portal/decision_letter.html", context)


@require_GET
@access_rule(PORTAL)
def data_page(request: HttpRequest) -> HttpResponse:
    """Download my data: what the two exports hold, and the buttons that make them."""
    application = get_own_application(request.user)
    counts = client_table_counts(application=application) if application else {}
    context = portal_page_context(
        request,
        active_nav="data",
        application=application,
        tables=[
            (table, source_label(SOURCE_OF_TABLE[table]), formatting.number(count, 0))
            for table, count in counts.items()
        ],
    )
    return render(request, "portal/data.html", context)


def _export(request: HttpRequest, format: str) -> HttpResponse:
    application = get_own_application(request.user)
    if application is None:
        raise Http404
    export = client_data_export_create(user=request.user, application=application, format=format)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    # Personal data: no cache anywhere may keep a copy (also set for every page).
    response["Cache-Control"] = "no-store, private"
    return response


@require_POST
@access_rule(PORTAL)
def export_json(request: HttpRequest) -> HttpResponse:
    """Everything held about the client as one JSON document, nested by table."""
    return _export(request, JSON)


@require_POST
@access_rule(PORTAL)
def export_csv(request: HttpRequest) -> HttpResponse:
    """Everything held about the client as CSV files, one per table, in a zip."""
    return _export(request, CSV)


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@access_rule(ACTIVATION)
def activate(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation's link: the client chooses their password (Django's validators), once.

    Who: whoever holds the link (signed, 7 days, single use: clients/invitations.py).
    An invalid, expired or used link says so and what to do, with nothing about the account.
    """
    user = invitation_user_get(token)
    if user is None:
        return render(request, "portal/activate_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        client_activation_complete(user=user, password=form.cleaned_data["new_password1"])
        if request.user.is_authenticated:
            logout(request)
        messages.success(request, _("Your password is set. Log in to open your personal space."))
        return redirect(f"{reverse('login')}?next={reverse('portal:home')}")
    return render(request, "portal/activate.html", {"form": form, "login": user.get_username()})
