"""manage.py score_applications: every application scored by the active model, once."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from clients.models import Application
from scoring.models import Score

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("score_applications", *args, stdout=out)
    return out.getvalue()


def test_every_application_gets_a_current_score_in_chunks(active_model_version, imported_clients):
    output = run("--chunk-size", "5")

    current = Score.objects.filter(
        is_current=True, status="done", model_version=active_model_version
    )
    assert current.count() == Application.objects.count() == len(imported_clients)
    assert f"{len(imported_clients)} applications scored, 0 failed" in output
    # One audit event per chunk of 5.
    chunks = -(-len(imported_clients) // 5)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SCORE_REQUESTED).count() == chunks


def test_a_second_run_has_nothing_to_do(active_model_version, imported_clients):
    run()
    before = Score.objects.count()

    output = run()

    assert Score.objects.count() == before
    assert "0 applications scored" in output


def test_a_client_already_scored_keeps_its_score(active_model_version, imported_clients, score_now):
    application = Application.objects.get(pk=imported_clients[0])
    kept = score_now(application)

    run("--limit", "3")

    assert Score.objects.filter(application=application).get().pk == kept.pk
    assert Score.objects.filter(is_current=True).count() == 4  # the kept one + 3 others


def test_without_an_active_model_the_command_says_what_to_do(imported_clients):
    with pytest.raises(CommandError, match="train_model or activate_model"):
        run()


def test_a_chunk_size_below_one_is_refused(imported_clients):
    with pytest.raises(CommandError, match="--chunk-size"):
        run("--chunk-size", "0")
