"""The fields a score needs: a create or predict body without them is a 400 listing each one."""

from __future__ import annotations

import pytest

from api.serializers.fields import REQUIRED_FIELDS
from clients.models import Application
from scoring.models import Score
from tests.api.bodies import SCORABLE

pytestmark = pytest.mark.django_db

CREATE = "/api/v1/applications"
PREDICT = "/api/v1/predict"


@pytest.fixture
def integration_api(api_as, serving_version, advisor):
    return api_as("integration")


@pytest.mark.parametrize(("url", "also"), [(CREATE, {"SK_ID_CURR"}), (PREDICT, set())])
def test_an_empty_object_is_refused_listing_every_required_field(integration_api, url, also):
    response = integration_api.post(url, {}, format="json")

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == set(REQUIRED_FIELDS) | also
    assert "a score means nothing without it" in errors["AMT_CREDIT"][0]
    assert not Application.objects.exists()


@pytest.mark.parametrize(("url", "also"), [(CREATE, {"SK_ID_CURR"}), (PREDICT, set())])
@pytest.mark.parametrize("content_type", ["application/json", None])
def test_no_body_at_all_is_refused_the_same_way(integration_api, url, also, content_type):
    # What `curl -X POST` sends: no body, with or without a content type.
    extra = {"CONTENT_TYPE": content_type} if content_type else {}
    response = integration_api.generic("POST", url, "", **extra)

    assert response.status_code == 400, response.content
    assert set(response.json()) == set(REQUIRED_FIELDS) | also


@pytest.mark.parametrize("missing", REQUIRED_FIELDS)
def test_each_required_field_missing_is_named(integration_api, missing):
    body = {name: value for name, value in SCORABLE.items() if name != missing}

    response = integration_api.post(PREDICT, body)

    assert response.status_code == 400
    assert list(response.json()) == [missing]


@pytest.mark.parametrize(
    ("field", "empty"),
    [("AMT_CREDIT", None), ("NAME_CONTRACT_TYPE", None), ("NAME_CONTRACT_TYPE", "")],
)
def test_a_required_field_sent_empty_is_refused(integration_api, field, empty):
    response = integration_api.post(PREDICT, {**SCORABLE, field: empty})

    assert response.status_code == 400
    assert "cannot be empty" in response.json()[field][0]


def test_the_required_fields_alone_are_enough_to_score_and_to_create(integration_api):
    predicted = integration_api.post(PREDICT, SCORABLE)
    created = integration_api.post(CREATE, {"SK_ID_CURR": 77, **SCORABLE})

    assert predicted.status_code == 200, predicted.content
    assert created.status_code == 201, created.content
    assert not Score.objects.exists()


def test_the_schema_marks_the_required_fields_and_says_the_rule(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]

    for name in ("ApplicationCreateRequest", "ApplicationUpdateRequest", "PredictInputRequest"):
        component = components[name]
        assert set(REQUIRED_FIELDS) <= set(component["required"]), name
        assert "Required for a meaningful score: NAME_CONTRACT_TYPE" in component["description"]
    # PATCH changes only the fields given.
    assert "required" not in components["PatchedApplicationUpdateRequest"]
    assert set(components["ApplicationCreateRequest"]["required"]) == {
        "SK_ID_CURR",
        *REQUIRED_FIELDS,
    }
