"""Fixtures of the explanation tests: a real score of a real (trained) model."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the test Redis database is ours alone)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def scored(active_model_version, imported_clients, django_capture_on_commit_callbacks):
    """A function scoring an imported client through the real service and (eager) task."""
    from clients.models import Application
    from scoring.models import Score
    from scoring.services import score_request

    def score(position: int = 0) -> Score:
        application = Application.objects.get(pk=imported_clients[position])
        with django_capture_on_commit_callbacks(execute=True):
            result = score_request(application=application, channel=Score.Channel.API)
        result.refresh_from_db()
        assert result.status == Score.Status.DONE, result.error
        return result

    return score
