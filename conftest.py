"""Fixtures shared by the whole test suite, built from tests/factories.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.roles import Role
from tests.factories import ApplicationFactory, UserFactory

# Real Kaggle samples, when the shared folder sits beside the project.
HOMECREDIT_SAMPLES = Path(__file__).resolve().parent.parent / "shared" / "data" / "homecredit"


@pytest.fixture
def homecredit_samples() -> Path:
    if not HOMECREDIT_SAMPLES.is_dir():
        pytest.skip(f"real Home Credit samples not found at {HOMECREDIT_SAMPLES}")
    return HOMECREDIT_SAMPLES


@pytest.fixture
def advisor(db):
    return UserFactory(username="advisor-alice", role=Role.ADVISOR)


@pytest.fixture
def colleague(db):
    """Another advisor, with a portfolio of their own."""
    return UserFactory(username="advisor-bob", role=Role.ADVISOR)


@pytest.fixture
def supervisor(db):
    return UserFactory(username="supervisor-sam", role=Role.SUPERVISOR)


@pytest.fixture
def risk_staff(db):
    return UserFactory(username="staff-rita", role=Role.STAFF, is_staff=True)


@pytest.fixture
def integration(db):
    return UserFactory(username="integration-partner", role=Role.INTEGRATION)


@pytest.fixture
def client_user(db):
    return UserFactory(username="client-claire", role=Role.CLIENT)


@pytest.fixture
def stranger(db):
    """A logged-in user with no role at all."""
    return UserFactory(username="stranger-steve")


@pytest.fixture
def application(db, advisor, client_user):
    """A client of `advisor`'s portfolio whose portal login is `client_user`."""
    return ApplicationFactory(advisor=advisor, portal_user=client_user)
