"""POST /api/v1/applications: integration accounts record applications, fields checked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from rest_framework.test import APIClient

from api.serializers.applications import ApplicationCreateSerializer
from api.serializers.fields import range_for
from clients.models import Application
from ml import schema
from ml.dataset import coerce_table

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications"
NEW = {
    "SK_ID_CURR": 123456,
    "NAME_CONTRACT_TYPE": "Cash loans",
    "AMT_INCOME_TOTAL": 150000.0,
    "AMT_CREDIT": 500000,
    "AMT_ANNUITY": 25000.0,
    "DAYS_BIRTH": -12000,
    "DAYS_EMPLOYED": -1500,
    "EXT_SOURCE_2": 0.6,
    "FLAG_MOBIL": 1,
}

MATRIX = {
    "anonymous": 401,
    "integration": 201,
    "advisor": 403,
    "colleague": 403,
    "supervisor": 403,
    "client_own": 403,
    "client_other": 403,
    "staff": 403,
    "stranger": 403,
}


@pytest.mark.parametrize("caller", MATRIX)
def test_only_integration_accounts_create_applications(caller, api_as, application):
    response = api_as(caller).post(URL, NEW)

    assert response.status_code == MATRIX[caller], response.content
    assert Application.objects.filter(pk=NEW["SK_ID_CURR"]).exists() == (
        response.status_code == 201
    )


def test_a_created_application_holds_the_fields_sent_and_nothing_else(api_as, advisor):
    response = api_as("integration").post(URL, NEW)

    assert response.status_code == 201
    assert response["Location"].endswith(f"/api/v1/applications/{NEW['SK_ID_CURR']}")
    stored = Application.objects.get(pk=NEW["SK_ID_CURR"])
    assert stored.amt_credit == 500000.0
    assert stored.days_birth == -12000
    assert stored.name_contract_type == "Cash loans"
    assert stored.ext_source_1 is None
    assert stored.target is None
    assert stored.advisor == advisor  # the only advisor (tests/api/test_advisor_assignment.py)
    assert response.json()["AMT_CREDIT"] == 500000.0
    assert response.json()["advisor"] == advisor.username


def test_creating_an_application_that_exists_is_a_conflict(api_as, application):
    response = api_as("integration").post(URL, {**NEW, "SK_ID_CURR": application.pk})

    assert response.status_code == 409
    assert str(application.pk) in response.json()["detail"]
    application.refresh_from_db()
    assert application.amt_credit != NEW["AMT_CREDIT"]


def test_sk_id_curr_is_required_to_create(api_as):
    body = {key: value for key, value in NEW.items() if key != "SK_ID_CURR"}

    response = api_as("integration").post(URL, body)

    assert response.status_code == 400
    assert "SK_ID_CURR" in response.json()


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("AMT_CREDIT", -1, "between 0 and"),
        ("DAYS_BIRTH", -5000, "18 to 100 years"),
        ("DAYS_BIRTH", -40000, "18 to 100 years"),
        ("EXT_SOURCE_2", 1.5, "between 0 and 1"),
        ("FLAG_MOBIL", 2, "0 for no, 1 for yes"),
        ("DAYS_EMPLOYED", 100, "365243 means not employed"),
        ("AMT_CREDIT", "a lot", "valid number"),
        ("CNT_CHILDREN", 1.5, "valid integer"),
        ("AMT_CREDIT", True, "not true/false"),
        ("AMT_CREDIT", "NaN", "valid number"),
        ("AMT_CREDIT", "Infinity", "valid number"),
        ("NAME_CONTRACT_TYPE", "x" * 101, "is not a level of NAME_CONTRACT_TYPE"),
        ("NAME_CONTRACT_TYPE", {"a": 1}, "is not a level of NAME_CONTRACT_TYPE"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field(api_as, field, value, says):
    response = api_as("integration").post(URL, {**NEW, field: value})

    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field]
    assert says in errors[field][0]
    assert not Application.objects.filter(pk=NEW["SK_ID_CURR"]).exists()


def test_every_unknown_field_is_named_with_a_hint_for_lower_case_names(api_as):
    body = {**NEW, "amt_annuity": 10, "FAVOURITE_COLOUR": "blue", "TARGET": 1}

    response = api_as("integration").post(URL, body)

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"amt_annuity", "FAVOURITE_COLOUR", "TARGET"}
    assert "did you mean AMT_ANNUITY" in errors["amt_annuity"][0]
    assert "unknown field" in errors["FAVOURITE_COLOUR"][0]
    assert "cannot be written" in errors["TARGET"][0]


def test_unknown_and_bad_fields_are_reported_together(api_as, advisor):
    response = api_as("integration").post(URL, {**NEW, "NOPE": 1, "EXT_SOURCE_3": 7})

    assert set(response.json()) == {"NOPE", "EXT_SOURCE_3"}


def test_the_not_employed_sentinel_and_empty_text_are_accepted(api_as, advisor):
    body = {**NEW, "DAYS_EMPLOYED": schema.DAYS_EMPLOYED_SENTINEL, "OCCUPATION_TYPE": ""}

    response = api_as("integration").post(URL, body)

    assert response.status_code == 201, response.content
    stored = Application.objects.get(pk=NEW["SK_ID_CURR"])
    assert stored.days_employed == schema.DAYS_EMPLOYED_SENTINEL
    assert stored.occupation_type is None


def test_a_body_that_is_not_an_object_is_refused(api_as):
    response = api_as("integration").post(URL, [NEW])

    assert response.status_code == 400
    assert "JSON object" in str(response.json())


def test_session_writes_need_the_csrf_token(integration):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(integration)

    response = client.post(URL, NEW)

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def _application_files(root: Path) -> list[Path]:
    files = sorted(root.glob("*/application_*.csv*"))
    assert files, f"no application file under {root}"
    return files


def test_the_ranges_accept_every_value_of_the_real_kaggle_samples(homecredit_samples):
    ranged = {c.name: range_for(c) for c in schema.APPLICATION.columns if range_for(c)}
    for path in _application_files(homecredit_samples):
        frame = pd.read_csv(path, usecols=list(ranged), dtype="float64")
        for name, allowed in ranged.items():
            values = frame[name].dropna()
            inside = values.between(allowed.minimum, allowed.maximum) | values.isin(allowed.also)
            assert inside.all(), f"{path.name}: {name} = {values[~inside].unique()[:5]}"


def test_real_kaggle_rows_pass_the_serializer_as_they_are(homecredit_samples):
    columns = [name for name in schema.APPLICATION.column_names if name != "TARGET"]
    for path in _application_files(homecredit_samples):
        frame = coerce_table(schema.APPLICATION, pd.read_csv(path, nrows=20))[columns]
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        serializer = ApplicationCreateSerializer(data=records, many=True)
        assert serializer.is_valid(), f"{path.name}: {[e for e in serializer.errors if e]}"
