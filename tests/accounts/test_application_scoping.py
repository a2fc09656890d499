"""Application.objects.for_user: who sees which client record."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.roles import Role
from clients.models import Application
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def visible_ids(user) -> set[int]:
    return set(Application.objects.for_user(user).values_list("sk_id_curr", flat=True))


@pytest.fixture
def other_application(colleague):
    return ApplicationFactory(advisor=colleague, portal_user=UserFactory(role=Role.CLIENT))


def test_advisor_sees_only_their_portfolio(advisor, application, other_application):
    assert visible_ids(advisor) == {application.pk}


def test_colleague_does_not_see_another_advisors_client(colleague, application, other_application):
    assert visible_ids(colleague) == {other_application.pk}


def test_supervisor_sees_every_portfolio(supervisor, application, other_application):
    assert visible_ids(supervisor) == {application.pk, other_application.pk}


def test_client_sees_only_their_own_record(client_user, application, other_application):
    assert visible_ids(client_user) == {application.pk}


def test_user_without_role_sees_nothing(stranger, application):
    assert visible_ids(stranger) == set()


def test_anonymous_user_sees_nothing(application):
    assert visible_ids(AnonymousUser()) == set()


def test_deactivated_advisor_sees_nothing(advisor, application):
    advisor.is_active = False
    advisor.save()
    assert visible_ids(advisor) == set()


def test_advisor_with_client_role_sees_only_portfolio_and_own(advisor, application):
    """Roles add up: an advisor who is also a client sees both, nothing more."""
    own = ApplicationFactory(portal_user=advisor)
    advisor.groups.add(*UserFactory(role=Role.CLIENT).groups.all())
    advisor = type(advisor).objects.get(pk=advisor.pk)  # drop the permission cache
    assert visible_ids(advisor) == {application.pk, own.pk}
