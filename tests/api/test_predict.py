"""POST /api/v1/predict: a stateless prediction with its explanation; nothing is stored."""

from __future__ import annotations

import json
import math

import pytest
from django.db.models import Count, Model

from api.serializers.predict import HISTORY_TABLES
from audit.models import AuditEvent
from clients.frames import tables_for_applications
from clients.models import MODEL_FOR_TABLE, Application
from scoring.models import Explanation, Score

pytestmark = pytest.mark.django_db

URL = "/api/v1/predict"
BODY = {
    "NAME_CONTRACT_TYPE": "Cash loans",
    "CODE_GENDER": "F",
    "AMT_INCOME_TOTAL": 180000.0,
    "AMT_CREDIT": 600000.0,
    "AMT_ANNUITY": 29000.0,
    "DAYS_BIRTH": -14000,
    "DAYS_EMPLOYED": -2000,
    "EXT_SOURCE_2": 0.55,
    "EXT_SOURCE_3": 0.4,
}

MATRIX = {
    "anonymous": 401,
    "integration": 200,
    "advisor": 200,
    "colleague": 200,
    "supervisor": 200,
    "client_own": 403,
    "client_other": 403,
    "staff": 403,
    "stranger": 403,
}


def _records(frame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def body_of(sk_id_curr: int) -> dict:
    """What a partner system would send for a client: the application and its history."""
    tables = tables_for_applications([sk_id_curr])
    body = _records(tables["application"].drop(columns="TARGET"))[0]
    for table in HISTORY_TABLES:
        rows = _records(tables[table.name])
        if rows:
            body[table.name] = rows
    return body


def stored_rows() -> dict[str, int]:
    models: list[type[Model]] = [*MODEL_FOR_TABLE.values(), Score, Explanation]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.parametrize("caller", MATRIX)
def test_who_may_predict(caller, api_as, serving_version, application):
    response = api_as(caller).post(URL, BODY)

    assert response.status_code == MATRIX[caller], response.content


def test_a_prediction_gives_probability_decision_threshold_model_and_explanation(
    api_as, serving_version
):
    response = api_as("integration").post(URL + "?lang=fr&top=4", BODY)

    assert response.status_code == 200, response.content
    body = response.json()
    assert 0 < body["probability"] < 1
    assert body["threshold"] == pytest.approx(serving_version.threshold)
    expected = "refused" if body["probability"] >= body["threshold"] else "granted"
    assert body["decision"] == expected
    assert body["model_version"] == serving_version.version
    assert body["sk_id_curr"] is None
    explanation = body["explanation"]
    assert explanation["language"] == "fr"
    assert len(explanation["contributions"]) == 4
    total = (
        explanation["base_value"]
        + math.fsum(row["contribution"] for row in explanation["contributions"])
        + explanation["other_features"]
    )
    assert total == pytest.approx(explanation["raw_score"], abs=1e-6)
    assert explanation["reasons"]["raising"] or explanation["reasons"]["lowering"]


def test_a_prediction_stores_nothing_about_the_client(api_as, serving_version, imported_clients):
    before = stored_rows()

    response = api_as("integration").post(URL, body_of(imported_clients[0]))

    assert response.status_code == 200, response.content
    assert stored_rows() == before


def test_a_prediction_is_audited_without_the_data(api_as, serving_version):
    api_as("advisor").post(URL, {**BODY, "SK_ID_CURR": 4242})

    event = AuditEvent.objects.get(action=AuditEvent.Action.PREDICTION_MADE)
    assert event.actor_username == "advisor-alice"
    assert event.model_version == serving_version.version
    assert event.application_id is None
    recorded = json.dumps(event.detail)
    assert "4242" not in recorded and "180000" not in recorded


@pytest.fixture
def with_history(imported_clients) -> int:
    """An imported client with bureau credits and previous applications, the most rows first."""
    return (
        Application.objects.filter(pk__in=imported_clients)
        .annotate(
            bureau_rows=Count("bureau_credits", distinct=True),
            previous_rows=Count("previous_applications", distinct=True),
        )
        .filter(bureau_rows__gt=0, previous_rows__gt=0)
        .order_by("-bureau_rows", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def test_with_its_history_a_client_gets_the_probability_stored_scoring_gives(
    api_as, serving_version, with_history, score_now
):
    body = body_of(with_history)
    assert "bureau" in body and "previous_application" in body, "pick a client with history"

    predicted = api_as("integration").post(URL, body).json()
    stored = score_now(Application.objects.get(pk=with_history))

    assert predicted["sk_id_curr"] == with_history
    assert predicted["probability"] == pytest.approx(stored.probability, abs=1e-12)
    assert predicted["decision"] == stored.decision


def test_history_changes_the_prediction(api_as, serving_version, with_history):
    body = body_of(with_history)
    application_only = {k: v for k, v in body.items() if k not in {t.name for t in HISTORY_TABLES}}

    full = api_as("integration").post(URL, body).json()
    bare = api_as("integration").post(URL, application_only).json()

    assert full["probability"] != bare["probability"]


def test_bad_fields_are_named_in_the_application_and_in_history_rows(api_as, serving_version):
    body = {
        **BODY,
        "EXT_SOURCE_2": 3,
        "COLOUR": "red",
        "bureau": [{"SK_ID_BUREAU": 1, "DAYS_CREDIT": "yesterday", "NOPE": 1}],
        "bureau_balance": [{"SK_ID_BUREAU": 2, "MONTHS_BALANCE": -1, "STATUS": "0"}],
    }

    response = api_as("integration").post(URL, body)

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) >= {"EXT_SOURCE_2", "COLOUR", "bureau"}
    assert set(errors["bureau"]["0"]) == {"DAYS_CREDIT", "NOPE"}


def test_history_rows_must_hang_together(api_as, serving_version):
    body = {
        **BODY,
        "SK_ID_CURR": 5,
        "bureau": [{"SK_ID_BUREAU": 1, "SK_ID_CURR": 6}],
        "bureau_balance": [{"SK_ID_BUREAU": 2, "MONTHS_BALANCE": -1, "STATUS": "0"}],
    }

    response = api_as("integration").post(URL, body)

    assert response.status_code == 400
    errors = response.json()
    assert "SK_ID_CURR" in errors["bureau"]["0"]
    assert "no bureau row has SK_ID_BUREAU 2" in errors["bureau_balance"]["0"]["SK_ID_BUREAU"][0]


def test_without_an_active_model_the_answer_is_a_clear_503(api_as, assert_model_unavailable):
    response = api_as("integration").post(URL, BODY)

    assert_model_unavailable(response, "no active model version")
    assert not AuditEvent.objects.exists()


# -- warnings: what the score could not take into account -----------------------------------


def test_a_prediction_without_history_warns_which_tables_were_not_sent(api_as, serving_version):
    body = api_as("integration").post(URL, BODY).json()

    history = [w for w in body["warnings"] if w["code"] == "history_absent"]
    assert len(history) == 1
    assert history[0]["tables"] == [table.name for table in HISTORY_TABLES]
    assert "No rows were sent for bureau, bureau_balance" in history[0]["message"]


def test_tables_sent_empty_mean_none_and_silence_the_warning(api_as, serving_version):
    empty = {table.name: [] for table in HISTORY_TABLES}

    body = api_as("integration").post(URL, {**BODY, **empty}).json()

    assert body["warnings"] == []


def test_only_the_tables_left_out_are_listed(api_as, serving_version):
    sent = {"bureau": [], "previous_application": [], "installments_payments": []}

    body = api_as("integration").post(URL, {**BODY, **sent}).json()

    (warning,) = body["warnings"]
    assert warning["tables"] == ["bureau_balance", "POS_CASH_balance", "credit_card_balance"]


def test_a_prediction_without_any_external_score_warns(api_as, serving_version):
    empty = {table.name: [] for table in HISTORY_TABLES}
    without = {k: v for k, v in BODY.items() if not k.startswith("EXT_SOURCE")}

    body = api_as("integration").post(URL, {**without, **empty}).json()

    (warning,) = body["warnings"]
    assert warning["code"] == "external_scores_absent"
    assert warning["fields"] == ["EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3"]


def test_the_warnings_are_documented_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]

    assert "warnings" in components["Prediction"]["required"]
    assert components["PredictionWarningCodeEnum"]["enum"] == [
        "history_absent",
        "external_scores_absent",
    ]
