"""Score.is_current: each application's latest successful score, the one the portfolio shows."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from clients.models import Application
from scoring.models import Score
from scoring.services import score_fail, scores_compute

pytestmark = pytest.mark.django_db


def test_a_finished_score_becomes_the_applications_current_score(
    active_model_version, imported_clients, score_now
):
    score = score_now(application=Application.objects.get(pk=imported_clients[0]))
    assert score.status == Score.Status.DONE and score.is_current


def test_a_failed_score_leaves_the_current_score_in_place(
    active_model_version, imported_clients, score_now
):
    application = Application.objects.get(pk=imported_clients[0])
    done = score_now(application=application)
    application.amt_annuity = (application.amt_annuity or 0) + 500
    application.save()
    failing = Score.objects.create(
        application=application, model_version=active_model_version, input_digest="changed"
    )
    score_fail(score_id=str(failing.pk), error="the database could not be reached")

    done.refresh_from_db()
    failing.refresh_from_db()
    assert done.is_current and not failing.is_current


def test_a_batch_with_two_scores_of_one_application_keeps_one_current(
    active_model_version, imported_clients
):
    application = Application.objects.get(pk=imported_clients[2])
    scores = [
        Score.objects.create(
            application=application, model_version=active_model_version, input_digest=digest
        )
        for digest in ("a", "b")
    ]
    scores_compute(score_ids=[str(score.pk) for score in scores])
    assert Score.objects.filter(application=application, is_current=True).count() == 1
    assert Score.objects.filter(application=application, status="done").count() == 2


def test_the_database_refuses_two_current_scores_for_one_application(
    active_model_version, imported_clients, score_now
):
    application = Application.objects.get(pk=imported_clients[0])
    score_now(application=application)
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            application=application,
            model_version=active_model_version,
            input_digest="other",
            status=Score.Status.DONE,
            is_current=True,
        )


def test_asking_again_for_a_finished_score_of_a_reactivated_model_makes_it_current(
    active_model_version, imported_clients, score_now
):
    """Rollback then re-activation: the earlier score is valid again and must be the one shown."""
    from django.utils import timezone

    from clients.frames import application_digest
    from tests.dashboard.builders import add_current_score, model_version_row

    application = Application.objects.get(pk=imported_clients[0])
    earlier = Score.objects.create(
        application=application,
        model_version=active_model_version,
        input_digest=application_digest(application.pk),
        status=Score.Status.DONE,
        probability=0.2,
        decision="refused",
        finished_at=timezone.now(),
    )
    # Meanwhile a score of the model rolled back to was stored, and is current.
    rolled_back_to = model_version_row(active=False)
    newer = add_current_score(application, probability=0.01, model_version=rolled_back_to)

    again = score_now(application=application)

    assert again.pk == earlier.pk
    earlier.refresh_from_db()
    newer.refresh_from_db()
    assert earlier.is_current and not newer.is_current
