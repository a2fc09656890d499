"""Fixtures of the scoring views' tests: synthetic clients of `advisor`, one of them scored.

Imported by the test modules that need them (`from tests.dashboard.scored import ...`):
they cost the session's trained model and an import of 12 synthetic clients.
"""

from __future__ import annotations

import pytest

from clients.models import Application
from scoring.models import Score


@pytest.fixture
def portfolio_clients(active_model_version, imported_clients, advisor) -> list[Application]:
    """The 12 imported synthetic clients, all in `advisor`'s portfolio."""
    Application.objects.filter(pk__in=imported_clients).update(advisor=advisor)
    return list(Application.objects.filter(pk__in=imported_clients).order_by("pk"))


@pytest.fixture
def scored_client(portfolio_clients, score_now, advisor) -> Application:
    """A client of `advisor` scored by the active model (the first refused one, if any)."""
    scores = [
        score_now(application, requested_by=advisor, channel=Score.Channel.DASHBOARD)
        for application in portfolio_clients[:4]
    ]
    refused = [s for s in scores if s.decision == "refused"]
    return (refused or scores)[0].application
