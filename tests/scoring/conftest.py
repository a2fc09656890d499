"""Fixtures of the scoring service tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def score_request(django_capture_on_commit_callbacks):
    """score_request, with the (eager) worker task run as soon as the request commits."""
    from scoring.services import score_request as request

    def request_and_run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            score = request(**kwargs)
        score.refresh_from_db()
        return score

    return request_and_run
