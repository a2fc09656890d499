"""clients.services.applications_assign_advisor: filling an advisor's portfolio."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from clients.models import Application
from clients.services import applications_assign_advisor
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_assigned_applications_enter_the_advisors_portfolio(advisor, colleague):
    moved, kept = ApplicationFactory(advisor=colleague), ApplicationFactory(advisor=colleague)

    updated = applications_assign_advisor(advisor=advisor, application_ids=[moved.pk])

    assert updated == 1
    assert list(Application.objects.filter(advisor=advisor)) == [moved]
    assert list(Application.objects.filter(advisor=colleague)) == [kept]


def test_a_user_without_a_portfolio_cannot_receive_clients(risk_staff):
    application = ApplicationFactory(advisor=None)

    with pytest.raises(ValidationError, match="no portfolio"):
        applications_assign_advisor(advisor=risk_staff, application_ids=[application.pk])

    application.refresh_from_db()
    assert application.advisor is None


def test_a_sliced_queryset_of_ids_assigns_exactly_that_many(advisor):
    ApplicationFactory.create_batch(5, advisor=None)
    free = Application.objects.filter(advisor__isnull=True).values_list("pk", flat=True)

    updated = applications_assign_advisor(advisor=advisor, application_ids=free[:3])

    assert updated == 3
    assert Application.objects.filter(advisor=advisor).count() == 3
