"""Inviting a client to the portal from their page (clients/invitations.py does the work)."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import access_rule
from accounts.models import User
from clients.invitations import client_invitation_send
from dashboard.access import CLIENT_INVITE, get_application_for_user
from dashboard.forms import ClientInvitationForm


@require_POST
@access_rule(CLIENT_INVITE)
def client_invite(request: HttpRequest, sk_id_curr: int) -> HttpResponse:
    """Give the client a portal login and e-mail them a one-time activation link.

    Who: advisors (their own clients) and supervisors (all); 404 for a client outside
    one's portfolio. The outcome (sent, or why not) is a message on the client's page.
    """
    application = get_application_for_user(request.user, sk_id_curr)
    form = ClientInvitationForm(request.POST)
    target = redirect("dashboard:client", sk_id_curr=application.pk)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, str(error))
        return target
    email = form.cleaned_data["email"]
    try:
        client_invitation_send(
            application=application,
            email=email,
            invited_by=cast(User, request.user),  # signed in: the access rule says so
            site_url=settings.SITE_URL,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return target
    messages.success(
        request,
        _("An activation link was sent to %(email)s. It works once, for 7 days.")
        % {"email": email},
    )
    return target
