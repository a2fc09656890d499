"""Four eyes: a registered version serves only once a second staff member approved it.

Registering computes a validation report (training figures, comparison with the
serving version on its recent scores, fairness, training data); approval is by
a staff member other than the registrant, with a comment, recorded; activation
without approval is refused except by an audited emergency; rolling back to a
version approved before needs nothing new.
"""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from clients.models import Application
from scoring.governance import model_version_approve
from scoring.models import ModelVersion
from scoring.registry import ActivationRefused, model_version_activate, model_version_register
from scoring.services import applications_score_unscored

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action


@pytest.fixture
def challenger(active_model_version, imported_clients, challenger_artifact, risk_staff):
    """A second version registered by `risk_staff` while the first serves and has scored."""
    applications_score_unscored()
    return model_version_register(artifact_dir=challenger_artifact, registered_by=risk_staff)


def events(action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_registering_stores_a_validation_report_compared_with_the_serving_version(
    challenger, active_model_version, imported_clients
):
    report = challenger.validation_report

    assert not challenger.is_active and not challenger.is_approved
    assert len(report["training"]["fold_aucs"]) == 2 and report["training"]["oof_auc"] > 0.5
    assert report["training"]["brier"] is not None and report["training"]["calibration"]
    assert report["data"]["training_rows"] > 0
    comparison = report["comparison"]
    assert comparison["champion"] == active_model_version.version
    assert comparison["applications"] == len(imported_clients)
    assert 0 <= comparison["changed_share"] <= 1
    assert comparison["largest_changes"]
    # The imported clients with TARGET known give AUC and cost for both versions.
    assert comparison["with_outcome"]["rows"] == Application.objects.exclude(target=None).count()
    assert report["fairness_recent"]["rows"] == len(imported_clients)
    assert events(Action.MODEL_REGISTERED)[-1].detail["registered_by"] == "staff-rita"


def test_a_version_nobody_approved_cannot_be_activated(challenger):
    with pytest.raises(ActivationRefused, match="second person"):
        model_version_activate(version=challenger.version)

    assert not ModelVersion.objects.get(pk=challenger.pk).is_active


def test_the_person_who_registered_a_version_cannot_approve_it(challenger, risk_staff):
    with pytest.raises(ValidationError) as refused:
        model_version_approve(
            version=challenger, approved_by=risk_staff, comment="Looks good to me, really."
        )

    assert refused.value.code == "self_approval"
    assert not ModelVersion.objects.get(pk=challenger.pk).is_approved
    assert events(Action.MODEL_APPROVED) == []


def test_the_login_that_registered_a_version_from_a_command_cannot_approve_it(
    active_model_version, challenger_artifact, second_staff
):
    version = model_version_register(
        artifact_dir=challenger_artifact,
        detail={"command": "register_model", "os_user": "staff-victor"},
    )

    with pytest.raises(ValidationError):
        model_version_approve(
            version=version, approved_by=second_staff, comment="My own model, fine."
        )


@pytest.mark.parametrize("who", ["advisor", "supervisor", "client_user", "stranger"])
def test_only_risk_staff_may_approve(challenger, who, request):
    with pytest.raises(PermissionDenied):
        model_version_approve(
            version=challenger,
            approved_by=request.getfixturevalue(who),
            comment="Validation report read and accepted.",
        )


def test_an_approval_needs_a_comment(challenger, second_staff):
    with pytest.raises(ValidationError):
        model_version_approve(version=challenger, approved_by=second_staff, comment=" ok ")


def test_a_second_staff_member_approves_then_the_version_serves_and_both_are_recorded(
    challenger, second_staff
):
    model_version_approve(
        version=challenger, approved_by=second_staff, comment="AUC and approval rates checked."
    )
    model_version_activate(version=challenger.version, activated_by=second_staff)

    challenger.refresh_from_db()
    assert challenger.is_active and challenger.approved_by == second_staff
    (approval,) = events(Action.MODEL_APPROVED)
    assert approval.actor_id == second_staff.pk and approval.model_version == challenger.version
    assert approval.detail["comment"] == "AUC and approval rates checked."
    assert approval.detail["registered_by"] == "staff-rita"
    activation = events(Action.MODEL_ACTIVATED)[-1]
    assert activation.detail["approved_by"] == "staff-victor"
    assert "emergency" not in activation.detail


def test_rolling_back_to_a_version_approved_before_needs_no_new_approval(
    challenger, second_staff, active_model_version
):
    model_version_approve(
        version=challenger, approved_by=second_staff, comment="AUC and approval rates checked."
    )
    model_version_activate(version=challenger.version, activated_by=second_staff)
    # The first version served by emergency; approve it too, then roll forward and back.
    model_version_approve(
        version=active_model_version, approved_by=second_staff, comment="The earlier one, checked."
    )

    model_version_activate(version=active_model_version.version, activated_by=second_staff)
    model_version_activate(version=challenger.version, activated_by=second_staff)

    assert ModelVersion.objects.get(is_active=True) == challenger
    assert len(events(Action.MODEL_APPROVED)) == 2


def test_activate_model_refuses_an_unapproved_version(challenger):
    with pytest.raises(CommandError, match="second person"):
        call_command("activate_model", challenger.version, stdout=io.StringIO())


def test_activate_model_in_an_emergency_needs_a_reason_and_records_it(challenger):
    with pytest.raises(CommandError, match="--reason"):
        call_command("activate_model", challenger.version, "--emergency", stdout=io.StringIO())

    call_command(
        "activate_model", challenger.version, "--emergency",
        "--reason", "incident 42: the serving model is broken", stdout=io.StringIO(),
    )  # fmt: skip

    assert ModelVersion.objects.get(is_active=True) == challenger
    event = events(Action.MODEL_ACTIVATED)[-1]
    assert event.detail["emergency"] is True
    assert event.detail["reason"] == "incident 42: the serving model is broken"
    assert event.channel == AuditEvent.Channel.COMMAND


def test_register_model_with_activate_registers_but_refuses_to_activate_unapproved(
    active_model_version, challenger_artifact
):
    with pytest.raises(CommandError, match="registered, not activated"):
        call_command("register_model", str(challenger_artifact), "--activate", stdout=io.StringIO())

    version = ModelVersion.objects.get(is_active=False)
    assert version.validation_report["comparison"] is None  # nothing scored yet
    assert ModelVersion.objects.get(is_active=True) == active_model_version


# -- in the admin ------------------------------------------------------------------------------


def change_page(version) -> str:
    return f"/admin/scoring/modelversion/{version.pk}/change/"


def test_risk_staff_read_the_validation_report_and_the_model_card_in_the_admin(
    client, challenger, second_staff
):
    client.force_login(second_staff)

    response = client.get(change_page(challenger))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="validation-report"' in page and 'data-testid="approve-form"' in page
    assert 'data-testid="validation-comparison"' in page
    assert "Model card" in page or "Fiche" in page


def test_the_registrant_sees_no_approval_form_and_a_posted_approval_is_refused(
    client, challenger, risk_staff
):
    client.force_login(risk_staff)
    page = client.get(change_page(challenger)).content.decode()
    assert 'data-testid="self-approval-refused"' in page and "approve-form" not in page

    client.post(
        f"/admin/scoring/modelversion/{challenger.pk}/approve/",
        {"comment": "Approving my own model.", "activate": "on"},
    )

    challenger.refresh_from_db()
    assert not challenger.is_approved and not challenger.is_active


def test_a_second_staff_member_approves_and_activates_from_the_admin(
    client, challenger, second_staff
):
    client.force_login(second_staff)

    response = client.post(
        f"/admin/scoring/modelversion/{challenger.pk}/approve/",
        {"comment": "Report read: AUC holds, approvals stable.", "activate": "on"},
    )

    assert response.status_code == 302
    challenger.refresh_from_db()
    assert challenger.is_active and challenger.approved_by == second_staff
    assert events(Action.MODEL_APPROVED)[-1].channel == AuditEvent.Channel.ADMIN


@pytest.mark.parametrize("who", ["advisor", "supervisor", "client_user"])
def test_no_one_but_staff_reaches_the_model_versions_in_the_admin(client, challenger, who, request):
    client.force_login(request.getfixturevalue(who))

    client.post(
        f"/admin/scoring/modelversion/{challenger.pk}/approve/",
        {"comment": "Approving as someone else.", "activate": "on"},
    )

    # To the admin's login page; a client is refused outright (accounts/middleware.py).
    assert client.get(change_page(challenger)).status_code in (302, 403)
    assert not ModelVersion.objects.get(pk=challenger.pk).is_approved
