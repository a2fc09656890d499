"""Rate limits: per token, stricter for /predict, per address for token requests."""

from __future__ import annotations

import pytest

from tests.api.bodies import SCORABLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    """Set throttle rates for this test (the throttles read them at request time)."""

    def set_rates(**overrides: str) -> None:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                **overrides,
            },
        }

    return set_rates


def test_a_token_over_its_rate_gets_429_with_retry_after(api_as, rates, application):
    rates(user="3/minute")
    integration = api_as("integration")

    codes = [integration.get("/api/v1/applications").status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]
    response = integration.get("/api/v1/applications")
    assert int(response["Retry-After"]) > 0


def test_each_caller_has_a_budget_of_their_own(api_as, rates, application):
    rates(user="1/minute")

    assert api_as("integration").get("/api/v1/applications").status_code == 200
    assert api_as("advisor").get("/api/v1/applications").status_code == 200


def test_predict_is_throttled_more_strictly(api_as, rates, serving_version):
    rates(user="100/minute", predict="2/minute")
    advisor = api_as("advisor")
    body = SCORABLE

    codes = [advisor.post("/api/v1/predict", body).status_code for _ in range(3)]

    assert codes == [200, 200, 429]
    assert advisor.get("/api/v1/applications").status_code == 200


def test_token_requests_are_throttled_per_address(integration, rates, client):
    rates(anon="2/minute")
    credentials = {"username": "integration-partner", "password": "wrong"}

    codes = [client.post("/api/v1/auth/token", credentials).status_code for _ in range(3)]

    assert codes == [400, 400, 429]


def test_a_forged_forwarded_for_does_not_reset_the_count_of_token_requests(
    integration, rates, client
):
    """Without a trusted proxy (TRUSTED_PROXY_COUNT = 0) the header is not the address."""
    rates(anon="2/minute")
    credentials = {"username": "integration-partner", "password": "wrong"}

    codes = [
        client.post(
            "/api/v1/auth/token", credentials, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}"
        ).status_code
        for i in range(3)
    ]

    assert codes == [400, 400, 429]


def test_behind_a_trusted_proxy_each_client_address_has_its_own_count(
    integration, rates, client, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    rates(anon="1/minute")
    credentials = {"username": "integration-partner", "password": "wrong"}

    def post(address: str) -> int:
        return client.post(
            "/api/v1/auth/token", credentials, HTTP_X_FORWARDED_FOR=address
        ).status_code

    assert [post("198.51.100.1"), post("198.51.100.2"), post("198.51.100.1")] == [400, 400, 429]
