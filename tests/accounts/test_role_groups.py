"""The data migration creates one group per role with exactly its permissions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from accounts.roles import ROLE_PERMISSIONS, Role

pytestmark = pytest.mark.django_db


def group_permissions(role: Role) -> set[str]:
    group = Group.objects.get(name=str(role))
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_group_holds_exactly_the_declared_permissions(role):
    assert group_permissions(role) == set(ROLE_PERMISSIONS[role])


def test_a_client_cannot_see_portfolios_or_monitoring(client_user):
    assert not client_user.has_perm("clients.view_portfolio")
    assert not client_user.has_perm("clients.view_all_applications")
    assert not client_user.has_perm("accounts.view_monitoring")


def test_an_advisor_cannot_see_all_clients_or_monitoring(advisor):
    assert advisor.has_perm("clients.view_portfolio")
    assert not advisor.has_perm("clients.view_all_applications")
    assert not advisor.has_perm("accounts.view_monitoring")


def test_integration_accounts_may_use_the_api_but_not_the_portfolio(integration):
    assert integration.has_perm("accounts.use_api")
    assert not integration.has_perm("clients.view_portfolio")
