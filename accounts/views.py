"""The account pages of our own: the second factor (enrol, verify) and the throttled reset.

Logging in and out, changing and resetting a password are Django's views
(creditscore/urls.py); these add what Django does not have.
"""

from __future__ import annotations

import django_otp
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.access import SIGNED_IN, access_rule
from accounts.forms import OneTimeCodeForm
from accounts.network import client_address
from accounts.second_factor import (
    confirmed_device,
    enrolment_device,
    qr_code_svg,
    remember_device,
    requires_second_factor,
    secret_in_groups,
    session_is_verified,
)
from accounts.throttle import limit_exceeded


def _next_url(request: HttpRequest) -> str:
    """Where to go once the code is accepted: `next` if it is one of ours, else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _page_then_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


def _verify(device, code: str) -> bool:
    """Check `code` against `device`, rows locked so a code is never accepted twice."""
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, _details = device.verify_is_allowed()
        return bool(allowed and device.verify_token(code))


@require_http_methods(["GET", "POST"])
@never_cache
@sensitive_post_parameters("code")
@access_rule(SIGNED_IN)
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with a code.

    Who: any signed-in user; staff and supervisors are sent here until they
    have a device (accounts/second_factor.py). A user who already has one is
    sent to the code page instead (a lost phone: an administrator deletes the
    device in the admin site, then the user enrols a new one).
    """
    if confirmed_device(request.user) is not None:
        if session_is_verified(request.user):
            return render(request, "registration/two_factor_done.html")
        return redirect(_page_then_next("two-factor-verify", request))
    device = enrolment_device(request.user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _verify(device, form.cleaned_data["code"]):
            device.refresh_from_db()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            remember_device(request, has_device=True)
            return HttpResponseRedirect(_next_url(request))
        form.add_error("code", _("This code is not the one your app shows now. Try again."))
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_code": qr_code_svg(device),
            "secret": secret_in_groups(device),
            "required": settings.OTP_REQUIRED and requires_second_factor(request.user),
            "next": _next_url(request),
        },
    )


@require_http_methods(["GET", "POST"])
@never_cache
@sensitive_post_parameters("code")
@access_rule(SIGNED_IN)
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Confirm this login with the code of one's authenticator app.

    Who: any signed-in user with a device. Wrong codes slow the device down
    (django-otp's throttling: each failure doubles the wait).
    """
    device = confirmed_device(request.user)
    if device is None:
        # Removed since the login (an administrator, for a lost phone).
        remember_device(request, has_device=False)
        return redirect(_page_then_next("two-factor-setup", request))
    if session_is_verified(request.user):
        return HttpResponseRedirect(_next_url(request))
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _verify(device, form.cleaned_data["code"]):
            device.refresh_from_db()
            django_otp.login(request, device)
            return HttpResponseRedirect(_next_url(request))
        device.refresh_from_db()
        allowed, details = device.verify_is_allowed()
        if allowed:
            form.add_error("code", _("This code is not the one your app shows now. Try again."))
        else:
            form.add_error(
                "code", _("Too many wrong codes: wait a little, then type the current one.")
            )
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with a limit per client address and per e-mail address.

    Each request counts against both, whether the address belongs to an account
    or not, so the answer (the "check your mail" page, or the 429 page once a
    limit is reached) never tells whether an account exists.
    """

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        window = settings.PASSWORD_RESET_LIMIT_WINDOW
        over_address = limit_exceeded(
            scope="password-reset-address",
            key=client_address(self.request),
            limit=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
            window=window,
        )
        over_email = limit_exceeded(
            scope="password-reset-email",
            key=email,
            limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL,
            window=window,
        )
        if over_address or over_email:
            return render(self.request, "registration/password_reset_throttled.html", status=429)
        return super().form_valid(form)
