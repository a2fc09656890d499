"""Events of model governance and account security, recorded where they happen.

Password changes (any way: the change form, a reset link, the admin), second
factors enrolled, model approvals (tests/scoring/test_four_eyes.py too), shadow
scoring started and stopped, the manual-review switch turned on and off.
"""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from audit.verify import audit_chain_verify
from scoring.governance import (
    manual_review_set,
    model_version_approve,
    model_version_shadow_start,
    model_version_shadow_stop,
)
from scoring.registry import model_version_register
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


def only(action) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def test_a_password_changed_on_the_form_is_recorded_as_the_users_own(client, advisor):
    client.force_login(advisor)

    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "a-new-Passphrase-2026",
            "new_password2": "a-new-Passphrase-2026",
        },
        REMOTE_ADDR="203.0.113.9",
    )

    assert response.status_code == 302
    event = only(Action.PASSWORD_CHANGED)
    assert event.actor_id == advisor.pk and event.detail["own"] is True
    assert event.client_address == "203.0.113.9"
    assert audit_chain_verify().ok


def test_a_password_set_by_someone_else_names_both(advisor, risk_staff, rf):
    from audit.context import AuditMiddleware

    request = rf.post("/admin/accounts/user/1/password/")
    request.user = risk_staff

    def change(request):
        advisor.set_password("another-Passphrase-2026")
        advisor.save()
        return HttpResponse()

    AuditMiddleware(change)(request)

    event = only(Action.PASSWORD_CHANGED)
    assert event.actor_id == risk_staff.pk
    assert event.detail == {"user": advisor.pk, "username": advisor.username, "own": False}


def test_saving_a_user_without_a_new_password_records_nothing(advisor):
    advisor.first_name = "Alice"
    advisor.save()

    assert not AuditEvent.objects.filter(action=Action.PASSWORD_CHANGED).exists()


def test_an_authenticator_confirmed_at_enrolment_is_recorded(client, supervisor, settings):
    settings.OTP_REQUIRED = True
    client.post("/accounts/login/", {"username": supervisor.username, "password": DEFAULT_PASSWORD})
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=supervisor, confirmed=False)
    assert not AuditEvent.objects.filter(action=Action.SECOND_FACTOR_ENROLLED).exists()

    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    client.post("/accounts/two-factor/", {"code": code})

    event = only(Action.SECOND_FACTOR_ENROLLED)
    assert event.actor_id == supervisor.pk and event.detail["device"] == "totp"


def test_shadow_start_and_stop_are_recorded_with_the_reason(
    active_model_version, challenger_artifact, risk_staff
):
    challenger = model_version_register(artifact_dir=challenger_artifact)

    model_version_shadow_start(
        version=challenger, started_by=risk_staff, reason="compare before the Q3 review"
    )
    model_version_shadow_stop(version=challenger, stopped_by=risk_staff, reason="enough data now")

    started, stopped = only(Action.MODEL_SHADOW_STARTED), only(Action.MODEL_SHADOW_STOPPED)
    assert started.actor_id == risk_staff.pk and started.model_version == challenger.version
    assert started.detail["serving"] == active_model_version.version
    assert started.detail["reason"] == "compare before the Q3 review"
    assert stopped.detail["scored"] == 0 and stopped.detail["reason"] == "enough data now"


def test_the_manual_review_switch_is_recorded_both_ways_with_its_reason(risk_staff):
    manual_review_set(on=True, changed_by=risk_staff, reason="drift alert on income")
    manual_review_set(on=False, changed_by=risk_staff, reason="model retrained and approved")

    on, off = AuditEvent.objects.filter(action=Action.MANUAL_REVIEW_CHANGED).order_by("pk")
    assert on.detail == {"before": False, "after": True, "reason": "drift alert on income"}
    assert off.detail["after"] is False and off.actor_id == risk_staff.pk
    assert audit_chain_verify().ok


def test_a_model_approval_is_recorded(active_model_version, challenger_artifact, second_staff):
    challenger = model_version_register(artifact_dir=challenger_artifact)

    model_version_approve(version=challenger, approved_by=second_staff, comment="Checked it all.")

    event = only(Action.MODEL_APPROVED)
    assert event.actor_id == second_staff.pk and event.detail["comment"] == "Checked it all."
