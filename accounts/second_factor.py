"""The second factor: who must confirm their login with a one-time code, and where they stand.

Staff accounts (`is_staff`: the admin site) and holders of
`accounts.verify_second_factor` (supervisors and risk staff, who see every
client's file: `accounts/roles.py`) confirm each login with a TOTP code from an
authenticator app (django-otp). Anyone else may enrol a device too; once
enrolled, they are asked for a code at every login as well.

`SecondFactorMiddleware` (accounts/middleware.py) sends a signed-in user who
still owes a code to the page that takes it, before any other page: the
advisors' and supervisors' dashboard, monitoring, the portal, the admin site
(whose `has_permission` asks the same question) and the API used with a
session. Only `make demo` sets `OTP_REQUIRED = False`, which lets staff and
supervisors without a device in (a user with a device is still asked).
"""

from __future__ import annotations

import base64
from enum import Enum

import qrcode
import qrcode.image.svg
from django.conf import settings
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

SECOND_FACTOR_PERMISSION = "accounts.verify_second_factor"


class Step(Enum):
    """What a signed-in user still has to do before using the site."""

    VERIFY = "verify"  # type the code of the device they enrolled
    ENROL = "enrol"  # enrol a device first (staff and supervisors, when required)


def requires_second_factor(user) -> bool:
    """Whether `user` must have a second factor (staff accounts, supervisors, risk staff)."""
    return bool(
        user.is_authenticated and (user.is_staff or user.has_perm(SECOND_FACTOR_PERMISSION))
    )


def session_is_verified(user) -> bool:
    """Whether this session confirmed a code (django-otp's OTPMiddleware sets is_verified)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


# Whether the signed-in user has a confirmed device, kept in the session from the login on
# (accounts/receivers.py), so that the question costs no query per request.
HAS_DEVICE_KEY = "second_factor_device"


def remember_device(request, *, has_device: bool) -> None:
    request.session[HAS_DEVICE_KEY] = has_device


def session_has_device(request) -> bool:
    has_device = request.session.get(HAS_DEVICE_KEY)
    if has_device is None:  # a session opened before this was remembered
        has_device = user_has_device(request.user, confirmed=True)
        remember_device(request, has_device=has_device)
    return has_device


def second_factor_step(request) -> Step | None:
    """What the user of `request` must still do in this session (None: nothing, come in).

    A device enrolled in another session, or removed by an administrator, counts
    from the next login (the verify page also notices a removed one).
    """
    user = request.user
    if not user.is_authenticated or session_is_verified(user):
        return None
    if session_has_device(request):
        return Step.VERIFY
    if settings.OTP_REQUIRED and requires_second_factor(user):
        return Step.ENROL
    return None


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user) -> TOTPDevice:
    """The device `user` is enrolling: created unconfirmed once, kept until confirmed.

    Kept across page loads so that the code the user scanned stays the one checked.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def secret_in_groups(device: TOTPDevice) -> str:
    """The secret in base 32, by groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an inline SVG QR code (no image request, no script)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")
