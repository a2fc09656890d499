"""Logins, failed logins, logouts and lockouts, recorded from the signals that announce them.

Django sends `user_logged_in` / `user_login_failed` / `user_logged_out` for every
way in that goes through `authenticate()` and `login()`: the login page, the
admin login, the API's token endpoint (failures only: it hands out a token
without logging in, see api/tokens.py). django-axes sends `user_locked_out`
when it locks an account or an address out; its receiver is connected only
when axes is installed.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save

from accounts.signals import api_tokens_revoked_by_staff
from audit.context import current_request
from audit.models import Action
from audit.services import audit_event_record


def record_login(sender, request=None, user=None, **kwargs) -> None:
    audit_event_record(action=Action.LOGIN_SUCCEEDED, actor=user, request=request)


def record_login_failure(sender, credentials=None, request=None, **kwargs) -> None:
    # Django has already replaced the password by asterisks; only the name is kept.
    username = str((credentials or {}).get(get_user_model().USERNAME_FIELD) or "")
    audit_event_record(
        action=Action.LOGIN_FAILED,
        actor_username=username or "?",
        request=request,
        detail={"username": username[:150]},
    )


def record_logout(sender, request=None, user=None, **kwargs) -> None:
    audit_event_record(action=Action.LOGOUT, actor=user, request=request)


def record_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    audit_event_record(
        action=Action.LOGIN_LOCKED_OUT,
        actor_username=str(username or "?"),
        request=request,
        client_address=ip_address or None,
        detail={"username": str(username or "")[:150], "by": str(sender)},
    )


def record_password_change(sender, instance=None, created=False, **kwargs) -> None:
    """A user's password was set: the change form, a reset link, the admin, a command.

    Django keeps the new clear password on the user (`_password`) from
    `set_password()` until `save()` has run the validators' hooks, which is
    after post_save: the one sign that this save changed the password, whatever
    the way in. Who did it: the signed-in person (the user, or an administrator);
    nobody signed in is a reset link, done by the user themself.
    """
    if created or getattr(instance, "_password", None) is None:
        return
    request = current_request()
    by = getattr(request, "user", None)
    actor = by if by is not None and by.is_authenticated else instance
    audit_event_record(
        action=Action.PASSWORD_CHANGED,
        actor=actor,
        request=request,
        detail={"user": instance.pk, "username": instance.get_username(), "own": actor == instance},
    )


def record_second_factor(
    sender, instance=None, created=False, update_fields=None, **kwargs
) -> None:
    """An authenticator was confirmed (enrolment ends with the first code typed right)."""
    confirming = update_fields is not None and "confirmed" in update_fields
    if not instance.confirmed or not (confirming or created):
        return
    audit_event_record(
        action=Action.SECOND_FACTOR_ENROLLED,
        actor=instance.user,
        detail={"device": "totp", "name": instance.name},
    )


def record_tokens_revoked_by_staff(sender, request=None, tokens=(), **kwargs) -> None:
    """Staff revoked API tokens in the admin site (the API's DELETE records its own)."""
    audit_event_record(
        action=Action.TOKEN_REVOKED,
        actor=request.user,
        request=request,
        detail={
            "revoked": len(tokens),
            "prefixes": [token.prefix for token in tokens],
            "users": sorted({token.user_id for token in tokens}),
            "by": "admin",
        },
    )


def connect() -> None:
    """Called once from AuditConfig.ready()."""
    user_logged_in.connect(record_login, dispatch_uid="audit.login")
    user_login_failed.connect(record_login_failure, dispatch_uid="audit.login_failed")
    user_logged_out.connect(record_logout, dispatch_uid="audit.logout")
    api_tokens_revoked_by_staff.connect(
        record_tokens_revoked_by_staff, dispatch_uid="audit.tokens_revoked_by_staff"
    )
    post_save.connect(
        record_password_change, sender=get_user_model(), dispatch_uid="audit.password_changed"
    )
    if apps.is_installed("django_otp.plugins.otp_totp"):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        post_save.connect(
            record_second_factor, sender=TOTPDevice, dispatch_uid="audit.second_factor"
        )
    if apps.is_installed("axes"):
        from axes.signals import user_locked_out

        user_locked_out.connect(record_lockout, dispatch_uid="audit.locked_out")
