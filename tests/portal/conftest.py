"""Fixtures of the portal tests: two clients, each with their own login and application."""

from __future__ import annotations

import pytest

from accounts.roles import Role

# Scored synthetic clients (the session's trained model), for the decision pages.
from tests.dashboard.scored import portfolio_clients, scored_client  # noqa: F401
from tests.factories import ApplicationFactory, UserFactory


@pytest.fixture
def other_client_user(db):
    return UserFactory(username="client-bruno", role=Role.CLIENT)


@pytest.fixture
def other_application(db, colleague, other_client_user):
    """Client B: another client (of `colleague`), with a portal login of their own."""
    return ApplicationFactory(advisor=colleague, portal_user=other_client_user)


@pytest.fixture
def client_a(client, client_user, application):
    """The test client, logged in as client A (`client_user`, owner of `application`)."""
    client.force_login(client_user)
    return client
