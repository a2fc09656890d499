"""Inviting a client to the portal: a one-time activation link by e-mail.

An advisor invites a client from the client's page: the client gets a login
(their e-mail address), linked to their application (`portal_user`), without a
password, and an e-mail with an activation link. The link is

* signed (`django.core.signing`, with the project's SECRET_KEY), so nobody can
  make one up;
* valid for 7 days (`INVITATION_MAX_AGE`);
* single use: it carries a digest of the login's password as it was when the
  link was made. Setting a password changes it, so the link stops working; a
  new invitation sets a new unusable password, so the earlier links stop too.

The client sets their password with Django's validators
(`AUTH_PASSWORD_VALIDATORS`) and can then log in at /accounts/login/. The mail
goes through Django's mail backend: in development and `make demo` a file per
mail under `.demo/mail/` (creditscore/settings/local.py).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent
from audit.services import audit_event_record
from clients.models import Application

INVITATION_MAX_AGE = dt.timedelta(days=7)
_SALT = "clients.invitation"


def _password_digest(user: User) -> str:
    return salted_hmac(_SALT, f"{user.pk}:{user.password}").hexdigest()[:20]


def invitation_token_make(user: User) -> str:
    """A signed, timestamped token naming `user` and the state of their password."""
    return signing.dumps({"u": user.pk, "p": _password_digest(user)}, salt=_SALT, compress=True)


def invitation_user_get(token: str) -> User | None:
    """The user an activation token was made for, if it is genuine, recent and unused."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None or not constant_time_compare(payload.get("p", ""), _password_digest(user)):
        return None
    if user.has_usable_password():
        return None  # already activated (the digest check says so too: belt and braces)
    return user


def _invitation_mail(*, application: Application, link: str) -> tuple[str, str]:
    """Subject and body, in French then English: we do not know the client's language yet."""
    days = INVITATION_MAX_AGE.days
    parts, subjects = [], []
    for language in ("fr", "en"):
        with translation.override(language):
            subjects.append(_("Your personal space at Prêt à dépenser"))
            parts.append(
                render_to_string(
                    "clients/invitation_email.txt",
                    {"application": application, "link": link, "days": days},
                )
            )
    return " / ".join(subjects), "\n----------------------------------------\n\n".join(parts)


@transaction.atomic
def client_invitation_send(
    *, application: Application, email: str, invited_by: User, site_url: str
) -> User:
    """Give the client of `application` a login (their e-mail) and mail them an activation link.

    Sending again before the client activated replaces the earlier link. Refused
    (ValidationError) when the client has already activated their login, or when
    the address is another person's login. `site_url` is the scheme and host the
    link starts with (settings.SITE_URL: the site's address as clients reach it).
    """
    email = User.objects.normalize_email(email.strip()).lower()
    client = application.portal_user
    if client is not None and client.has_usable_password():
        raise ValidationError(
            {"email": _("This client has already activated their access to the portal.")}
        )
    someone_else = User.objects.filter(username__iexact=email)
    if client is not None:
        someone_else = someone_else.exclude(pk=client.pk)
    if someone_else.exists():
        raise ValidationError({"email": _("This e-mail address is already the login of someone.")})
    resent = client is not None
    if client is None:
        client = User(username=email, email=email)
    client.username = email
    client.email = email
    # A new unusable password: the links sent before stop working.
    client.set_unusable_password()
    client.full_clean(exclude=["password"])
    client.save()
    client.groups.set([Group.objects.get(name=str(Role.CLIENT))])
    if application.portal_user_id != client.pk:
        application.portal_user = client
        application.save(update_fields=["portal_user", "updated_at"])

    path = reverse("portal:activate", args=[invitation_token_make(client)])
    subject, body = _invitation_mail(application=application, link=site_url.rstrip("/") + path)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    audit_event_record(
        action=AuditEvent.Action.CLIENT_INVITED,
        actor=invited_by,
        application_id=application.pk,
        # The address is personal data the user table holds: the trail keeps who and when.
        detail={"email_sent": True, "resent": resent, "valid_days": INVITATION_MAX_AGE.days},
    )
    return client


@transaction.atomic
def client_activation_complete(*, user: User, password: str) -> User:
    """Set the client's first password (already checked by Django's validators).

    The audit trail records it as any password change (audit/receivers.py).
    """
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
