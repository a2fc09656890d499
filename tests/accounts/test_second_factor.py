"""The second factor (TOTP, django-otp): staff and supervisors confirm each login with a code.

As in production, `OTP_REQUIRED` is on in these tests (the rest of the suite
turns it off: it signs people in with force_login, which no code follows).
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

SETUP = "/accounts/two-factor/"
VERIFY = "/accounts/two-factor/verify/"


@pytest.fixture(autouse=True)
def _second_factor_required(settings):
    settings.OTP_REQUIRED = True


def current_code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def log_in(client, user):
    """The real login form, as a person would (a fresh session, no code typed yet)."""
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302, response.content
    return response


def forget_throttling(device: TOTPDevice) -> None:
    """django-otp makes the next try wait after a wrong code (1 s, then 2, 4...)."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


# -- who is asked, and where ---------------------------------------------------------------


@pytest.mark.parametrize("page", ["/clients/", "/reviews/", "/", "/api/v1/applications"])
def test_a_supervisor_without_a_device_is_sent_to_enrol_before_any_page(client, supervisor, page):
    log_in(client, supervisor)

    response = client.get(page, HTTP_ACCEPT_LANGUAGE="en")

    if page.startswith("/api/"):
        assert response.status_code == 403
        assert "one-time code" in response.json()["detail"]
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(f"{SETUP}?next=")


def test_staff_without_a_device_are_sent_to_enrol_instead_of_the_admin(client, risk_staff):
    log_in(client, risk_staff)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=/admin/"


def test_the_admin_site_refuses_an_unconfirmed_staff_session_on_its_own(rf, risk_staff):
    """Whatever the middleware order: the admin site asks for the code itself."""
    from django.contrib.admin import site

    request = rf.get("/admin/")
    request.session = {}
    request.user = risk_staff
    request.user.is_verified = lambda: False

    assert not site.has_permission(request)
    request.user.is_verified = lambda: True
    assert site.has_permission(request)


@pytest.mark.parametrize("fixture", ["advisor", "client_user"])
def test_advisors_and_clients_without_a_device_are_not_asked(request, client, fixture, application):
    user = request.getfixturevalue(fixture)
    log_in(client, user)

    response = client.get("/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain  # to their home page, not to a code page
    assert not any(VERIFY in url or SETUP in url for url, _ in response.redirect_chain)


def test_an_advisor_who_enrolled_is_asked_for_the_code_too(client, advisor):
    enrolled(advisor)
    log_in(client, advisor)

    response = client.get("/clients/")

    assert response["Location"] == f"{VERIFY}?next=/clients/"


def test_the_pages_of_the_code_logout_and_language_stay_open(client, supervisor):
    log_in(client, supervisor)

    assert client.get(SETUP).status_code == 200
    assert client.post("/i18n/setlang/", {"language": "en", "next": SETUP}).status_code == 302
    assert client.post("/accounts/logout/").status_code == 302


# -- enrolling -------------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_key_then_a_right_code_opens_the_admin(
    client, risk_staff
):
    log_in(client, risk_staff)

    page = client.get(f"{SETUP}?next=/admin/")
    device = TOTPDevice.objects.get(user=risk_staff, confirmed=False)
    html = page.content.decode()
    confirmed = client.post(SETUP, {"code": current_code(device), "next": "/admin/"})

    assert page.status_code == 200
    assert "<svg" in html and "<path" in html  # the QR code, inline (no image request)
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', html)[1]
    assert len(secret.replace(" ", "")) == 32
    assert confirmed.status_code == 302 and confirmed["Location"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_does_not_confirm_the_device(client, supervisor):
    log_in(client, supervisor)
    client.get(SETUP)

    response = client.post(SETUP, {"code": "000000"})

    assert response.status_code == 200
    assert 'id="code-error"' in response.content.decode()
    assert not TOTPDevice.objects.filter(user=supervisor, confirmed=True).exists()
    assert client.get("/clients/").status_code == 302


def test_the_key_shown_stays_the_same_until_it_is_confirmed(client, supervisor):
    log_in(client, supervisor)

    first, second = client.get(SETUP), client.get(SETUP)

    secret = re.compile(r'data-testid="totp-secret">([A-Z2-7 ]+)<')
    assert secret.search(first.content.decode())[1] == secret.search(second.content.decode())[1]
    assert TOTPDevice.objects.filter(user=supervisor).count() == 1


def test_the_next_address_must_be_one_of_ours(client, supervisor):
    log_in(client, supervisor)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=supervisor)

    response = client.post(SETUP, {"code": current_code(device), "next": "https://evil.example/"})

    assert response["Location"] == "/"


# -- confirming a login ------------------------------------------------------------------------


def test_staff_with_a_device_type_the_code_after_the_password_then_reach_the_admin(
    client, risk_staff
):
    device = enrolled(risk_staff)
    log_in(client, risk_staff)

    sent_to = client.get("/admin/")
    wrong = client.post(VERIFY, {"code": "123456", "next": "/admin/"})
    forget_throttling(device)
    right = client.post(VERIFY, {"code": current_code(device), "next": "/admin/"})

    assert sent_to["Location"] == f"{VERIFY}?next=/admin/"
    assert wrong.status_code == 200
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_code_is_accepted_once(client, supervisor):
    device = enrolled(supervisor)
    log_in(client, supervisor)
    code = current_code(device)
    assert client.post(VERIFY, {"code": code}).status_code == 302

    other = type(client)()
    log_in(other, supervisor)
    replayed = other.post(VERIFY, {"code": code})

    assert replayed.status_code == 200
    assert other.get("/clients/").status_code == 302


def test_repeated_wrong_codes_slow_the_device_down(client, supervisor):
    device = enrolled(supervisor)
    log_in(client, supervisor)

    client.post(VERIFY, {"code": "111111"})
    throttled = client.post(VERIFY, {"code": current_code(device)})

    assert throttled.status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1
    assert device.throttling_failure_timestamp <= timezone.now()
    assert client.get("/clients/").status_code == 302


def test_a_new_login_asks_for_a_code_again(client, supervisor):
    device = enrolled(supervisor)
    log_in(client, supervisor)
    client.post(VERIFY, {"code": current_code(device)})
    client.post("/accounts/logout/")

    log_in(client, supervisor)

    assert client.get("/clients/")["Location"] == f"{VERIFY}?next=/clients/"


# -- make demo: the obligation off, the devices still honoured ------------------------------


def test_with_the_obligation_off_staff_without_a_device_enter_the_admin(
    client, risk_staff, settings
):
    settings.OTP_REQUIRED = False
    log_in(client, risk_staff)

    assert client.get("/admin/").status_code == 200


def test_with_the_obligation_off_a_device_is_still_asked_for(client, risk_staff, settings):
    settings.OTP_REQUIRED = False
    enrolled(risk_staff)
    log_in(client, risk_staff)

    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=/admin/"


def test_after_the_login_the_check_costs_no_query(client, advisor, rf, django_assert_num_queries):
    """The login remembers in the session whether a device exists (accounts/receivers.py)."""
    from accounts.second_factor import second_factor_step

    log_in(client, advisor)
    request = rf.get("/clients/")
    request.session = client.session
    request.session.get("_auth_user_id")  # loaded, as the authentication middleware does
    request.user = advisor
    advisor.is_verified = lambda: False
    advisor.has_perm("clients.view_portfolio")  # permissions loaded, as any page does

    with django_assert_num_queries(0):
        assert second_factor_step(request) is None


def test_a_device_removed_since_the_login_is_noticed_at_the_code_page(client, supervisor):
    device = enrolled(supervisor)
    log_in(client, supervisor)
    device.delete()

    response = client.get(VERIFY)

    assert response["Location"].startswith(SETUP)
    assert client.get("/clients/")["Location"].startswith(SETUP)  # required: enrol again
