"""`manage.py create_demo_users` and the demo_users_create service behind it."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, User
from accounts.roles import Role
from accounts.selectors import api_token_usable
from clients.models import Application
from creditscore.demo.users import DEMO_PASSWORD_DEFAULT, DemoUsersRefused, demo_users_create
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = {"advisor", "supervisor", "client", "staff", "integration"}


@pytest.fixture
def clients_without_advisor() -> list[Application]:
    return ApplicationFactory.create_batch(10, advisor=None)


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("create_demo_users", *args, stdout=out)
    return out.getvalue()


def roles_of(username: str) -> set[str]:
    return set(User.objects.get(username=username).groups.values_list("name", flat=True))


def test_each_demo_user_holds_exactly_its_role(clients_without_advisor):
    run_command("--password", "p-4-demo-only")

    assert roles_of("advisor") == {Role.ADVISOR}
    assert roles_of("supervisor") == {Role.SUPERVISOR}
    assert roles_of("client") == {Role.CLIENT}
    assert roles_of("staff") == {Role.STAFF}
    assert roles_of("integration") == {Role.INTEGRATION}


def test_only_the_staff_user_may_enter_the_admin_site(clients_without_advisor):
    run_command("--password", "p-4-demo-only")

    staff_flags = dict(
        User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", "is_staff")
    )
    assert staff_flags == {name: name == "staff" for name in DEMO_USERNAMES}
    assert not User.objects.filter(username__in=DEMO_USERNAMES, is_superuser=True).exists()


def test_advisor_gets_half_of_the_clients_and_the_client_login_a_record_of_that_portfolio(
    clients_without_advisor,
):
    result = demo_users_create(password="p-4-demo-only")

    advisor = User.objects.get(username="advisor")
    client = User.objects.get(username="client")
    assert Application.objects.filter(advisor=advisor).count() == 5 == result["portfolio_size"]
    record = Application.objects.get(portal_user=client)
    assert record.advisor == advisor
    assert result["client_record"] == record.pk
    assert list(Application.objects.for_user(client)) == [record]


def test_clients_of_another_advisor_stay_with_them(clients_without_advisor, colleague):
    theirs = ApplicationFactory.create_batch(10, advisor=colleague)

    demo_users_create(password="p-4-demo-only")

    assert set(Application.objects.filter(advisor=colleague)) == set(theirs)


def test_integration_user_gets_an_api_token_that_is_printed(clients_without_advisor):
    output = run_command("--password", "p-4-demo-only")

    (token,) = ApiToken.objects.filter(user__username="integration")
    key = re.search(r"Authorization: Token (\w+)", output)[1]
    assert api_token_usable(key=key) == token
    assert key not in str(list(ApiToken.objects.values_list()))  # only its digest is stored


def test_second_run_creates_nothing_twice_and_gives_a_fresh_token(clients_without_advisor):
    first = demo_users_create(password="first-password")
    users_before = User.objects.count()

    second = demo_users_create(password="second-password")

    assert User.objects.count() == users_before
    assert second["token"] != first["token"]
    assert api_token_usable(key=first["token"]) is None  # revoked
    assert api_token_usable(key=second["token"]).user.username == "integration"
    assert second["client_record"] == first["client_record"]
    assert second["portfolio_size"] == first["portfolio_size"]
    assert all(
        user.groups.count() == 1 for user in User.objects.filter(username__in=DEMO_USERNAMES)
    )


def test_a_run_forgets_the_authenticator_a_demo_login_enrolled(clients_without_advisor):
    demo_users_create(password="p-4-demo-only")
    TOTPDevice.objects.create(user=User.objects.get(username="staff"), name="phone")

    demo_users_create(password="p-4-demo-only")

    assert not TOTPDevice.objects.exists()


def test_the_production_settings_refuse_the_demo_users(settings, clients_without_advisor):
    settings.IS_PRODUCTION = True

    with pytest.raises(CommandError, match="production settings"):
        run_command("--password", "p-4-demo-only")
    with pytest.raises(DemoUsersRefused):
        demo_users_create(password="p-4-demo-only")

    assert not User.objects.filter(username__in=DEMO_USERNAMES).exists()


def test_second_run_resets_the_passwords(clients_without_advisor):
    demo_users_create(password="first-password")

    demo_users_create(password="second-password")

    for username in DEMO_USERNAMES:
        user = User.objects.get(username=username)
        assert user.check_password("second-password"), username
        assert not user.check_password("first-password"), username


def test_password_comes_from_the_environment(clients_without_advisor, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "from-the-environment")

    output = run_command()

    assert User.objects.get(username="advisor").check_password("from-the-environment")
    assert "DEMO_PASSWORD is not set" not in output


def test_default_password_is_used_and_announced_when_the_environment_has_none(
    clients_without_advisor, monkeypatch
):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)

    output = run_command()

    assert User.objects.get(username="supervisor").check_password(DEMO_PASSWORD_DEFAULT)
    assert (
        f"DEMO_PASSWORD is not set: every demo user gets the password '{DEMO_PASSWORD_DEFAULT}'"
        in output
    )


def test_users_are_created_even_before_any_client_exists():
    result = demo_users_create(password="p-4-demo-only")

    assert set(result["users"]) == DEMO_USERNAMES
    assert result["client_record"] is None
    assert result["portfolio_size"] == 0


def test_a_user_left_in_another_role_is_brought_back_to_its_demo_role(clients_without_advisor):
    demo_users_create(password="p-4-demo-only")
    advisor = User.objects.get(username="advisor")
    advisor.groups.add(*User.objects.get(username="staff").groups.all())
    advisor.is_active = False
    advisor.save()

    demo_users_create(password="p-4-demo-only")

    advisor.refresh_from_db()
    assert roles_of("advisor") == {Role.ADVISOR}
    assert advisor.is_active
