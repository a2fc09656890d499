"""Activating a model version is recorded in the audit trail: who, which version, which before."""

from __future__ import annotations

import getpass
import io
import socket

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from scoring.models import ModelVersion
from scoring.registry import model_version_activate, model_version_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def older_version(active_model_version, challenger_artifact) -> ModelVersion:
    """A second registered version (a real archive: activation verifies it), approved when
    it served before."""
    version = model_version_register(artifact_dir=challenger_artifact)
    ModelVersion.objects.filter(pk=version.pk).update(
        version="older01", approved_at=timezone.now(), approved_by_name="validator-vera",
        approval_comment="Validated on the 2025 applications.",
    )  # fmt: skip
    version.refresh_from_db()
    return version


def activations() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.MODEL_ACTIVATED).order_by("pk"))


def test_registering_with_activate_records_the_activation(active_model_version):
    (event,) = activations()

    assert event.model_version == active_model_version.version
    assert event.actor_id is None and event.actor_username == "system"
    assert event.detail["previous"] == []


def test_a_rollback_by_a_person_records_who_and_the_version_it_replaced(
    active_model_version, older_version, supervisor
):
    model_version_activate(version=older_version.version, activated_by=supervisor)

    event = activations()[-1]
    assert event.model_version == "older01"
    assert event.actor_id == supervisor.pk and event.actor_username == supervisor.username
    assert event.actor_role == "supervisor"
    assert event.detail["previous"] == [active_model_version.version]


def test_the_activate_model_command_records_itself_and_the_login_that_ran_it(
    active_model_version, older_version
):
    call_command("activate_model", "older01", stdout=io.StringIO())

    event = activations()[-1]
    assert event.model_version == "older01"
    assert event.actor_username == "system"
    assert event.channel == AuditEvent.Channel.COMMAND
    assert event.detail == {
        "previous": [active_model_version.version],
        "approved_by": "validator-vera",
        "command": "activate_model",
        "os_user": getpass.getuser(),
        "host": socket.gethostname(),
    }
    assert ModelVersion.objects.get(is_active=True) == older_version
