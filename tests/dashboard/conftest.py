"""Fixtures of the dashboard tests: a client with a credit history, many clients."""

from __future__ import annotations

import pytest

from clients.models import Application
from tests.dashboard.builders import add_credit_history, build_portfolio

# Scored synthetic clients, for the tests of the scoring sections (tests/dashboard/scored.py).
from tests.dashboard.scored import portfolio_clients, scored_client  # noqa: F401


@pytest.fixture
def client_history(application: Application) -> Application:
    """`application` (of `advisor`, portal login `client_user`) with a credit history."""
    return add_credit_history(application)


@pytest.fixture
def many_clients(advisor, colleague) -> list[Application]:
    """60 clients of `advisor` (ids 200000-200059) and 10 of `colleague` (300000-300009)."""
    return build_portfolio(advisor, count=60) + build_portfolio(
        colleague, count=10, first_id=300_000
    )


@pytest.fixture
def advisor_client(client, advisor):
    """The test client, logged in as `advisor`."""
    client.force_login(advisor)
    return client
