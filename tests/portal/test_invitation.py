"""Inviting a client: a signed, single-use, 7-day activation link by e-mail; then a password
chosen with Django's validators, and the client logs in to the portal."""

from __future__ import annotations

import re
import time
from urllib.parse import urlparse

import pytest
from django.core import mail, signing

from accounts.models import User
from audit.models import AuditEvent
from clients.invitations import INVITATION_MAX_AGE
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Une-phrase-de-passe-2026"


@pytest.fixture
def uninvited(advisor):
    """A client of `advisor` without any portal login."""
    return ApplicationFactory(advisor=advisor, portal_user=None)


def _invite(client, user, application, email="claire.martin@example.com"):
    client.force_login(user)
    return client.post(f"/clients/{application.pk}/invite", {"email": email})


def _link(message) -> str:
    match = re.search(r"https?://[^\s]+/portal/activate/[^\s]+/", message.body)
    assert match, message.body
    return urlparse(match.group(0)).path


def _activate(client, path, password=PASSWORD):
    return client.post(path, {"new_password1": password, "new_password2": password})


def test_the_advisor_invites_the_client_who_gets_a_link_by_mail(client, advisor, uninvited):
    response = _invite(client, advisor, uninvited)

    assert response.status_code == 302 and response["Location"] == f"/clients/{uninvited.pk}/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claire.martin@example.com"]
    assert "Prêt à dépenser" in message.subject
    assert "/portal/activate/" in message.body
    uninvited.refresh_from_db()
    login = uninvited.portal_user
    assert login is not None and login.username == "claire.martin@example.com"
    assert not login.has_usable_password()
    assert login.groups.filter(name="client").exists()


def test_the_invitation_is_audited(client, advisor, uninvited):
    _invite(client, advisor, uninvited)
    event = AuditEvent.objects.get(action=AuditEvent.Action.CLIENT_INVITED)
    assert (event.actor_id, event.application_id) == (advisor.pk, uninvited.pk)
    assert event.detail["email_sent"] is True
    assert "claire" not in str(event.detail)


def test_the_link_works_once(client, advisor, uninvited):
    _invite(client, advisor, uninvited)
    path = _link(mail.outbox[0])
    client.logout()

    assert client.get(path).status_code == 200
    response = _activate(client, path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    again = client.get(path)
    assert again.status_code == 400 and b'data-testid="activate-invalid"' in again.content
    assert _activate(client, path, "Autre-phrase-de-passe-99").status_code == 400
    user = User.objects.get(username="claire.martin@example.com")
    assert user.check_password(PASSWORD)


def test_the_client_then_logs_in_and_lands_on_the_portal(client, advisor, uninvited):
    _invite(client, advisor, uninvited)
    path = _link(mail.outbox[0])
    client.logout()
    _activate(client, path)

    response = client.post(
        "/accounts/login/",
        {"username": "claire.martin@example.com", "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1] == ("/portal/", 302)
    assert str(uninvited.pk) in response.content.decode()


def test_the_link_expires_after_seven_days(client, advisor, uninvited, monkeypatch):
    _invite(client, advisor, uninvited)
    path = _link(mail.outbox[0])
    client.logout()
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + INVITATION_MAX_AGE.total_seconds() + 60)

    assert client.get(path).status_code == 400
    assert _activate(client, path).status_code == 400
    assert not User.objects.get(username="claire.martin@example.com").has_usable_password()


def test_the_link_still_works_just_before_seven_days(client, advisor, uninvited, monkeypatch):
    _invite(client, advisor, uninvited)
    path = _link(mail.outbox[0])
    client.logout()
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + INVITATION_MAX_AGE.total_seconds() - 60)
    assert client.get(path).status_code == 200


def test_a_forged_or_altered_link_is_refused(client, advisor, uninvited):
    _invite(client, advisor, uninvited)
    path = _link(mail.outbox[0])
    client.logout()
    token = path.rstrip("/").rsplit("/", 1)[-1]
    altered = path.replace(token, token[:-2] + ("aa" if token[-2:] != "aa" else "bb"))
    assert client.get(altered).status_code == 400
    assert client.get("/portal/activate/not-a-token/").status_code == 400


def test_a_new_invitation_replaces_the_earlier_link(client, advisor, uninvited):
    _invite(client, advisor, uninvited)
    _invite(client, advisor, uninvited)
    first, second = _link(mail.outbox[0]), _link(mail.outbox[1])
    client.logout()

    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CLIENT_INVITED).count() == 2


def test_the_password_must_pass_djangos_validators(client, advisor, uninvited):
    _invite(client, advisor, uninvited)
    path = _link(mail.outbox[0])
    client.logout()

    response = _activate(client, path, "123")
    assert response.status_code == 200
    assert b"is-invalid" in response.content
    assert not User.objects.get(username="claire.martin@example.com").has_usable_password()
    assert client.get(path).status_code == 200  # still usable after a refused password


def test_an_active_client_is_not_invited_again(client, advisor, application, client_user):
    client_user.set_password(PASSWORD)
    client_user.save()
    _invite(client, advisor, application, email="new@example.com")
    assert mail.outbox == []
    client_user.refresh_from_db()
    assert client_user.check_password(PASSWORD)


def test_another_persons_login_cannot_be_taken(client, advisor, uninvited, colleague):
    colleague.username = "taken@example.com"
    colleague.save()
    _invite(client, advisor, uninvited, email="taken@example.com")
    assert mail.outbox == []
    uninvited.refresh_from_db()
    assert uninvited.portal_user is None


def test_a_bad_address_is_refused_and_nothing_is_created(client, advisor, uninvited):
    users = User.objects.count()
    response = _invite(client, advisor, uninvited, email="not an address")
    assert response.status_code == 302
    assert mail.outbox == [] and User.objects.count() == users


def test_a_colleague_cannot_invite_another_advisors_client(client, colleague, uninvited):
    assert _invite(client, colleague, uninvited).status_code == 404
    assert mail.outbox == []


@pytest.mark.parametrize("user_fixture", ["client_user", "risk_staff", "integration", "stranger"])
def test_only_advisors_and_supervisors_invite(client, request, user_fixture, uninvited):
    assert _invite(client, request.getfixturevalue(user_fixture), uninvited).status_code == 403
    assert mail.outbox == []


def test_a_supervisor_invites_any_client(client, supervisor, uninvited):
    assert _invite(client, supervisor, uninvited).status_code == 302
    assert len(mail.outbox) == 1


def test_the_client_page_shows_the_portal_access(client, advisor, uninvited):
    client.force_login(advisor)
    body = client.get(f"/clients/{uninvited.pk}/").content.decode()
    assert 'data-testid="portal-invite-form"' in body
    _invite(client, advisor, uninvited)
    body = client.get(f"/clients/{uninvited.pk}/").content.decode()
    assert 'data-testid="portal-access-invited"' in body


def test_the_activation_is_audited_as_a_password_change(client, advisor, uninvited):
    _invite(client, advisor, uninvited)
    path = _link(mail.outbox[0])
    client.logout()
    _activate(client, path)

    event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_CHANGED)
    assert event.actor_username == "claire.martin@example.com"
    assert event.detail["own"] is True
