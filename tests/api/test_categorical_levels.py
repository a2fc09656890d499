"""Categorical fields take only the levels the data knows (ml.levels), listed as enums."""

from __future__ import annotations

import pytest

from clients.models import Application
from ml import schema
from ml.levels import levels
from tests.api.bodies import SCORABLE

pytestmark = pytest.mark.django_db

CREATE = "/api/v1/applications"
PREDICT = "/api/v1/predict"

# The values of the issue, each of which used to be accepted and to change the score.
BOGUS = [
    ("NAME_CONTRACT_TYPE", "Bogus"),
    ("ORGANIZATION_TYPE", "Martian"),
    ("CODE_GENDER", "X"),
    ("FLAG_OWN_CAR", "yes"),
]


@pytest.fixture
def integration_api(api_as, serving_version, advisor):
    return api_as("integration")


@pytest.mark.parametrize(("field", "value"), BOGUS)
@pytest.mark.parametrize("url", [CREATE, PREDICT])
def test_an_unknown_level_is_refused_naming_the_field_and_the_allowed_levels(
    integration_api, url, field, value
):
    body = {"SK_ID_CURR": 4001, **SCORABLE, field: value}

    response = integration_api.post(url, body)

    assert response.status_code == 400, response.content
    errors = response.json()
    assert list(errors) == [field]
    message = errors[field][0]
    assert f"{value!r} is not a level of {field}" in message
    for level in levels("application", field):
        assert repr(level) in message
    assert not Application.objects.exists()


def test_a_level_in_the_wrong_case_gets_a_suggestion(integration_api):
    response = integration_api.post(PREDICT, {**SCORABLE, "NAME_CONTRACT_TYPE": "cash loans"})

    assert response.status_code == 400
    assert "did you mean 'Cash loans'?" in response.json()["NAME_CONTRACT_TYPE"][0]


def test_a_level_of_another_table_is_refused(integration_api):
    # Consumer loans exist among previous applications, never as a new application.
    response = integration_api.post(PREDICT, {**SCORABLE, "NAME_CONTRACT_TYPE": "Consumer loans"})

    assert response.status_code == 400


def test_history_rows_take_their_own_tables_levels(integration_api):
    body = {
        **SCORABLE,
        "previous_application": [
            {"SK_ID_PREV": 1, "NAME_CONTRACT_TYPE": "Consumer loans"},
            {"SK_ID_PREV": 2, "NAME_CONTRACT_STATUS": "Maybe"},
        ],
        "bureau": [{"SK_ID_BUREAU": 3, "CREDIT_ACTIVE": "Sleeping"}],
    }

    response = integration_api.post(PREDICT, body)

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"previous_application", "bureau"}
    assert set(errors["previous_application"]) == {"1"}
    status = errors["previous_application"]["1"]["NAME_CONTRACT_STATUS"][0]
    assert "'Maybe' is not a level of NAME_CONTRACT_STATUS" in status
    assert "CREDIT_ACTIVE" in errors["bureau"]["0"]


def test_xna_is_a_level_where_kaggle_uses_it_and_only_there(integration_api):
    accepted = integration_api.post(
        PREDICT, {**SCORABLE, "CODE_GENDER": "XNA", "ORGANIZATION_TYPE": "XNA"}
    )
    refused = integration_api.post(PREDICT, {**SCORABLE, "FLAG_OWN_CAR": "XNA"})

    assert accepted.status_code == 200, accepted.content
    assert refused.status_code == 400
    assert "'Y', 'N'" in refused.json()["FLAG_OWN_CAR"][0]


@pytest.mark.parametrize("unknown", [None, ""])
def test_an_optional_categorical_field_may_be_unknown(integration_api, unknown):
    response = integration_api.post(
        CREATE, {"SK_ID_CURR": 4002, **SCORABLE, "OCCUPATION_TYPE": unknown}
    )

    assert response.status_code == 201, response.content
    assert Application.objects.get(pk=4002).occupation_type is None


def test_gender_is_still_recorded_for_fairness_monitoring(integration_api):
    # The model no longer reads it (ml.policy), but the record keeps it.
    response = integration_api.post(CREATE, {"SK_ID_CURR": 4003, **SCORABLE, "CODE_GENDER": "F"})

    assert response.status_code == 201
    assert Application.objects.get(pk=4003).code_gender == "F"


def _enum_of(components: dict, prop: dict) -> list | None:
    """The enum values of a property, following drf-spectacular's $ref / allOf / oneOf."""
    candidates = [prop, *prop.get("allOf", []), *prop.get("oneOf", [])]
    if prop.get("type") == "array":
        candidates.append(prop["items"])
    for candidate in candidates:
        if "$ref" in candidate:
            candidate = components[candidate["$ref"].rsplit("/", 1)[-1]]
            if "$ref" not in candidate and candidate.get("type") == "object":
                continue
        if candidate.get("enum") and None not in candidate["enum"] and "" not in candidate["enum"]:
            return candidate["enum"]
    return None


def test_every_categorical_input_field_is_an_enum_of_its_tables_levels(client):
    api_schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = api_schema["components"]["schemas"]
    inputs = {
        "application": [
            "ApplicationCreateRequest",
            "ApplicationUpdateRequest",
            "PatchedApplicationUpdateRequest",
            "PredictInputRequest",
        ],
        "bureau": ["BureauRowRequest"],
        "bureau_balance": ["BureauBalanceRowRequest"],
        "previous_application": ["PreviousApplicationRowRequest"],
        "POS_CASH_balance": ["PosCashBalanceRowRequest"],
        "installments_payments": ["InstallmentsPaymentsRowRequest"],
        "credit_card_balance": ["CreditCardBalanceRowRequest"],
    }
    checked = 0
    for table in schema.TABLES:
        for component in inputs[table.name]:
            properties = components[component]["properties"]
            for column in table.columns:
                if column.kind != schema.STR:
                    continue
                enum = _enum_of(components, properties[column.name])
                assert enum == list(levels(table.name, column.name)), (component, column.name)
                checked += 1
    assert checked == 4 * 16 + 3 + 1 + 16 + 1 + 1
