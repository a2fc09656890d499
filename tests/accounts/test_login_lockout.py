"""Login lockout (django-axes) on every way in: the login page, the admin login, the API's
token endpoint; and the password reset form's own limiter.

Failures count per account and per client address, the address read as
`accounts.network.client_address` trusts it: X-Forwarded-For only as far as
TRUSTED_PROXY_COUNT proxies vouch for it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import redis
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.pages import without_per_request_values

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
TOKEN = "/api/v1/auth/token"
RESET = "/accounts/password_reset/"
LIMIT = 10


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _fresh_counters():
    """The reset limiter counts in Redis, which outlives a test's rollback: forget it."""

    def forget() -> None:
        cache = django_settings.CACHES["default"]
        client = redis.Redis.from_url(cache["LOCATION"])
        try:
            keys = list(client.scan_iter(match=f"{cache['KEY_PREFIX']}:*limit:*"))
            if keys:
                client.delete(*keys)
        finally:
            client.close()

    forget()
    yield
    forget()


@pytest.fixture
def behind_one_proxy(settings):
    """One trusted proxy: the last X-Forwarded-For entry is the client's address."""
    settings.TRUSTED_PROXY_COUNT = 1


def address(i: int) -> str:
    return f"203.0.113.{i + 1}"


def login(client, username: str, password: str, *, url: str = LOGIN, xff: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": xff} if xff else {}
    return client.post(url, {"username": username, "password": password}, **extra)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_passwords_from_many_addresses_lock_the_account(client, advisor, behind_one_proxy):
    codes = [
        login(client, advisor.username, "wrong", xff=address(i)).status_code for i in range(LIMIT)
    ]

    response = login(client, advisor.username, DEFAULT_PASSWORD, xff=address(99))

    # The failure that reaches the limit already gets the lockout page.
    assert codes == [200] * (LIMIT - 1) + [429]
    assert response.status_code == 429
    assert not is_signed_in(client)
    assert 'data-testid="locked-out"' in response.content.decode()
    # Another account, from a fresh address, still logs in.
    other = UserFactory(username="someone-else")
    assert login(client, other.username, DEFAULT_PASSWORD, xff=address(100)).status_code == 302


def test_one_address_trying_many_accounts_is_locked_even_for_a_right_password(
    client, advisor, behind_one_proxy
):
    for i in range(LIMIT):
        login(client, f"someone-{i}", "wrong", xff=address(7))

    response = login(client, advisor.username, DEFAULT_PASSWORD, xff=address(7))

    assert response.status_code == 429
    assert not is_signed_in(client)
    # The same account from another address is not locked by that address.
    assert login(client, advisor.username, DEFAULT_PASSWORD, xff=address(8)).status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing(client, advisor):
    """TRUSTED_PROXY_COUNT = 0 (gunicorn reached directly): the header is ignored."""
    for i in range(LIMIT):
        login(client, f"someone-{i}", "wrong", xff=address(i))

    assert login(client, advisor.username, DEFAULT_PASSWORD, xff=address(50)).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_fewer_failures_than_the_limit_do_not_lock(client, advisor):
    for _ in range(LIMIT - 1):
        login(client, advisor.username, "wrong")

    assert login(client, advisor.username, DEFAULT_PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_the_lockout_ends_after_the_cool_off(client, advisor, settings):
    for _ in range(LIMIT):
        login(client, advisor.username, "wrong")
    assert login(client, advisor.username, DEFAULT_PASSWORD).status_code == 429

    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )

    assert login(client, advisor.username, DEFAULT_PASSWORD).status_code == 302


def test_staff_unlock_an_account(client, advisor, behind_one_proxy):
    for i in range(LIMIT):
        login(client, advisor.username, "wrong", xff=address(i))
    assert login(client, advisor.username, DEFAULT_PASSWORD, xff=address(50)).status_code == 429

    call_command("axes_reset_username", advisor.username)

    assert login(client, advisor.username, DEFAULT_PASSWORD, xff=address(50)).status_code == 302


def test_risk_staff_unlock_an_account_in_the_admin_site(client, advisor, risk_staff):
    for _ in range(LIMIT):
        login(client, advisor.username, "wrong")
    assert login(client, advisor.username, DEFAULT_PASSWORD).status_code == 429
    staff = type(client)(REMOTE_ADDR="192.0.2.10")
    staff.force_login(risk_staff)
    attempts = list(AccessAttempt.objects.filter(username=advisor.username))

    listing = staff.get("/admin/axes/accessattempt/")
    response = staff.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [a.pk for a in attempts], "post": "yes"},
    )

    assert listing.status_code == 200 and advisor.username in listing.content.decode()
    assert response.status_code == 302
    assert login(client, advisor.username, DEFAULT_PASSWORD).status_code == 302


def test_the_admin_login_is_locked_too(client, risk_staff, behind_one_proxy):
    for i in range(LIMIT):
        login(client, risk_staff.username, "wrong", url=ADMIN_LOGIN, xff=address(i))

    response = login(
        client, risk_staff.username, DEFAULT_PASSWORD, url=ADMIN_LOGIN, xff=address(60)
    )

    assert response.status_code == 429
    assert not is_signed_in(client)


def test_failures_on_the_login_page_lock_the_admin_login_and_the_token_endpoint(
    client, integration
):
    for _ in range(LIMIT):
        login(client, integration.username, "wrong")

    assert login(client, integration.username, DEFAULT_PASSWORD, url=ADMIN_LOGIN).status_code == 429
    token = APIClient().post(
        TOKEN, {"username": integration.username, "password": DEFAULT_PASSWORD}
    )
    assert token.status_code == 429


def test_the_token_endpoint_locks_an_account_across_addresses(integration, behind_one_proxy):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    credentials = {"username": integration.username, "password": "wrong"}
    codes = [
        api.post(TOKEN, credentials, HTTP_X_FORWARDED_FOR=address(i)).status_code
        for i in range(LIMIT)
    ]

    right = api.post(
        TOKEN,
        {"username": integration.username, "password": DEFAULT_PASSWORD},
        HTTP_X_FORWARDED_FOR=address(77),
    )

    assert codes == [400] * (LIMIT - 1) + [429]
    assert right.status_code == 429
    assert "token" not in right.json()


def test_right_passwords_of_people_count_as_failures_at_the_token_endpoint(advisor):
    """Else the lockout itself would tell a right password (never locked) from a wrong one."""
    api = APIClient()
    for _ in range(LIMIT):
        assert api.post(
            TOKEN, {"username": advisor.username, "password": DEFAULT_PASSWORD}
        ).status_code in (400, 429)

    assert AccessAttempt.objects.get(username=advisor.username).failures_since_start == LIMIT


def test_a_successful_login_clears_the_failures(client, advisor):
    for _ in range(LIMIT - 1):
        login(client, advisor.username, "wrong")
    login(client, advisor.username, DEFAULT_PASSWORD)
    client.logout()

    for _ in range(LIMIT - 1):
        login(client, advisor.username, "wrong")

    assert login(client, advisor.username, DEFAULT_PASSWORD).status_code == 302


# -- password reset: a limiter of its own ------------------------------------------------------


def reset(client, email: str, xff: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": xff} if xff else {}
    return client.post(RESET, {"email": email}, **extra)


def test_password_resets_are_limited_per_address(client, settings, behind_one_proxy):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 3
    codes = [reset(client, f"person{i}@example.com", xff=address(1)).status_code for i in range(4)]

    assert codes == [302, 302, 302, 429]
    assert reset(client, "another@example.com", xff=address(2)).status_code == 302


def test_password_resets_are_limited_per_email_across_addresses(
    client, settings, advisor, behind_one_proxy
):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 2
    codes = [reset(client, advisor.email, xff=address(i)).status_code for i in range(3)]

    assert codes == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_the_reset_answer_never_tells_whether_an_account_exists(client, settings, advisor):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 1
    known, unknown = reset(client, advisor.email), reset(client, "nobody@example.com")
    known_again, unknown_again = reset(client, advisor.email), reset(client, "nobody@example.com")

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known_again.status_code == unknown_again.status_code == 429
    assert without_per_request_values(known_again.content) == without_per_request_values(
        unknown_again.content
    )
    assert len(mail.outbox) == 1
