"""score_request / scores_compute: one application scored by the active model."""

from __future__ import annotations

import numpy as np
import pytest

from audit.models import AuditEvent
from clients.models import Application
from scoring.models import Explanation, Score
from scoring.registry import NoActiveModel

pytestmark = pytest.mark.django_db


def test_scoring_an_application_stores_probability_decision_and_threshold(
    active_model_version, imported_clients, score_now
):
    application = Application.objects.get(pk=imported_clients[0])

    score = score_now(application=application, channel=Score.Channel.API)

    assert score.status == Score.Status.DONE, score.error
    assert 0.0 < score.probability < 1.0
    assert score.threshold == pytest.approx(active_model_version.threshold)
    expected = "refused" if score.probability >= score.threshold else "granted"
    assert score.decision == expected
    assert score.model_version == active_model_version


def test_the_explanation_sums_to_the_models_raw_output(
    active_model_version, imported_clients, score_now
):
    score = score_now(application=Application.objects.get(pk=imported_clients[1]))

    explanation = Explanation.objects.get(score=score)
    total = explanation.base_value + sum(explanation.contributions.values())
    assert total == pytest.approx(explanation.raw_score, abs=1e-6)
    # The calibrated probability is a monotone function of that raw output.
    assert np.isfinite(explanation.raw_score)


def test_scoring_the_same_data_with_the_same_model_returns_the_existing_score(
    active_model_version, imported_clients, score_now
):
    application = Application.objects.get(pk=imported_clients[0])

    first = score_now(application=application)
    second = score_now(application=application)

    assert second.pk == first.pk
    assert Score.objects.filter(application=application).count() == 1


def test_changed_application_data_gets_a_new_score(
    active_model_version, imported_clients, score_now
):
    application = Application.objects.get(pk=imported_clients[0])
    first = score_now(application=application)

    application.amt_credit = (application.amt_credit or 0) * 2 + 1000
    application.save()
    second = score_now(application=application)

    assert second.pk != first.pk
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == Score.Status.DONE
    # The newer score is the one the portfolio and the client page show.
    assert second.is_current and not first.is_current


def test_every_request_is_written_to_the_audit_log(
    active_model_version, imported_clients, advisor, score_now
):
    application = Application.objects.get(pk=imported_clients[0])

    score_now(application=application, requested_by=advisor, channel=Score.Channel.DASHBOARD)

    event = AuditEvent.objects.get(action=AuditEvent.Action.SCORE_REQUESTED)
    assert event.actor_id == advisor.pk
    assert event.application_id == application.pk
    assert event.model_version == active_model_version.version


def test_without_an_active_model_scoring_is_refused_clearly(imported_clients, score_now):
    application = Application.objects.get(pk=imported_clients[0])

    with pytest.raises(NoActiveModel, match="no active model version"):
        score_now(application=application)
