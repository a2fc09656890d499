"""Download my data: exactly the client's own rows of all seven tables, in JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from audit.models import AuditEvent
from clients.models import MODEL_FOR_TABLE
from ml import schema
from portal import views as portal_views
from portal.selectors import client_tables_get
from scoring.decisions import credit_decision_record
from scoring.models import Decision, Score
from scoring.reviews import review_request_create
from tests.portal.builders import add_history_in_every_table

pytestmark = pytest.mark.django_db
TABLES = [table.name for table in schema.TABLES]


@pytest.fixture
def two_clients(application, other_application):
    """Clients A and B, each with rows in every table."""
    add_history_in_every_table(application, rows=2)
    add_history_in_every_table(other_application, rows=3)
    return application, other_application


def _json_export(client):
    response = client.post("/portal/data/export.json")
    assert response.status_code == 200
    return response, json.loads(response.content)


def _csv_export(client):
    response = client.post("/portal/data/export.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    files = {
        name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
        for name in archive.namelist()
        if name.endswith(".csv")
    }
    return response, files


def _ids(rows, key):
    return sorted(str(row[key]) for row in rows)


def test_the_json_export_holds_exactly_the_clients_rows_of_all_seven_tables(
    client, client_user, two_clients
):
    own, other = two_clients
    client.force_login(client_user)
    _response, document = _json_export(client)

    assert sorted(document["tables"]) == sorted(TABLES)
    expected = client_tables_get(application=own)
    for table in TABLES:
        rows = document["tables"][table]
        assert rows, f"{table} is empty"
        assert len(rows) == len(expected[table]), table
        assert len(rows) == _count_in_db(table, own), table
    assert _ids(document["tables"]["application"], "SK_ID_CURR") == [str(own.pk)]
    # Every row of every table belongs to A; none of B's leaks in.
    for table in TABLES:
        for row in document["tables"][table]:
            if "SK_ID_CURR" in row:
                assert row["SK_ID_CURR"] == own.pk, table
    bureau_ids = {row["SK_ID_BUREAU"] for row in document["tables"]["bureau"]}
    assert {row["SK_ID_BUREAU"] for row in document["tables"]["bureau_balance"]} == bureau_ids
    assert str(other.pk) not in json.dumps(document["tables"])


def _count_in_db(table, application):
    model = MODEL_FOR_TABLE[table]
    if table == "application":
        return model.objects.filter(pk=application.pk).count()
    if table == "bureau_balance":
        return model.objects.filter(bureau__application=application).count()
    return model.objects.filter(application=application).count()


def test_the_csv_export_holds_the_same_rows_one_file_per_table(client, client_user, two_clients):
    own, _other = two_clients
    client.force_login(client_user)
    _response, document = _json_export(client)
    response, files = _csv_export(client)

    assert response["Content-Type"] == "application/zip"
    for table in TABLES:
        rows = files[f"{table}.csv"]
        assert len(rows) == len(document["tables"][table]), table
        assert set(rows[0]) == set(document["tables"][table][0]), table
    assert [row["SK_ID_CURR"] for row in files["application.csv"]] == [str(own.pk)]
    assert {"scores.csv", "explanations.csv", "decisions.csv", "review_requests.csv"} <= set(files)


def test_client_b_gets_their_own_rows_whatever_they_send(client, other_client_user, two_clients):
    own, other = two_clients
    client.force_login(other_client_user)
    response = client.post(
        f"/portal/data/export.json?sk_id_curr={own.pk}", {"sk_id_curr": own.pk, "id": own.pk}
    )
    document = json.loads(response.content)
    assert _ids(document["tables"]["application"], "SK_ID_CURR") == [str(other.pk)]
    assert len(document["tables"]["bureau"]) == 3


def test_an_export_is_never_cached_and_is_a_download(client, client_user, two_clients):
    client.force_login(client_user)
    for url in ("/portal/data/export.json", "/portal/data/export.zip"):
        response = client.post(url)
        assert "no-store" in response["Cache-Control"]
        assert response["Content-Disposition"].startswith("attachment; filename=")


def test_each_export_is_audited_with_its_format_and_tables(client, client_user, two_clients):
    own, _other = two_clients
    client.force_login(client_user)
    client.post("/portal/data/export.zip")

    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT_CREATED)
    assert (event.actor_id, event.application_id, event.channel) == (
        client_user.pk,
        own.pk,
        "portal",
    )
    assert event.detail["format"] == "csv"
    assert set(TABLES) <= set(event.detail["tables"])
    assert event.detail["rows"]["bureau_balance"] == 6


def test_exports_are_posted_not_fetched(client, client_user, two_clients):
    client.force_login(client_user)
    assert client.get("/portal/data/export.json").status_code == 405
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT_CREATED).exists()


@pytest.mark.parametrize("user_fixture", ["advisor", "supervisor", "risk_staff", "integration"])
@pytest.mark.parametrize(
    "url", ["/portal/data/", "/portal/data/export.json", "/portal/data/export.zip"]
)
def test_staff_are_refused_the_exports(client, request, user_fixture, application, url):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.post(url) if "export" in url else client.get(url)
    assert response.status_code == 403


def test_anonymous_visitors_get_no_export(client, application):
    response = client.post("/portal/data/export.json")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_data_page_lists_the_tables_and_their_sources(client, client_user, two_clients):
    client.force_login(client_user)
    body = client.get("/portal/data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for table in TABLES:
        assert f"<code>{table}</code>" in body
    assert "credit bureau" in body.lower()


def test_the_data_page_writes_each_row_count_as_the_language_groups_it(
    client, client_user, two_clients, monkeypatch
):
    monkeypatch.setattr(portal_views, "client_table_counts", lambda application: {"bureau": 12345})
    client.force_login(client_user)
    client.cookies["django_language"] = "fr"
    body = client.get("/portal/data/").content.decode()
    assert '<td class="text-end">12\u202f345</td>' in body  # "12 345", never "12345"


def test_released_scores_decisions_and_reviews_are_exported_and_unreleased_scores_not(
    client, client_user, scored_client, advisor
):
    scored_client.portal_user = client_user
    scored_client.save(update_fields=["portal_user"])
    released = Score.objects.get(application=scored_client, is_current=True)
    credit_decision_record(
        application=scored_client,
        decided_by=advisor,
        outcome=Decision.REFUSED,
        justification="Income not proven by any payslip, file reviewed.",
    )
    review_request_create(
        application=scored_client,
        requested_by=client_user,
        message="Please look again: my income is higher.",
        claimed={"AMT_INCOME_TOTAL": 42000.0},
    )
    # A score computed after the decision: no person has used it, it is not released.
    later = Score.objects.create(
        application=scored_client,
        model_version=released.model_version,
        input_digest="later",
        status=Score.Status.DONE,
        probability=0.01,
        decision=Decision.GRANTED,
    )
    client.force_login(client_user)

    _response, document = _json_export(client)

    assert [row["score_id"] for row in document["scores"]] == [str(released.pk)]
    assert str(later.pk) not in json.dumps(document)
    assert {row["score_id"] for row in document["explanations"]} == {str(released.pk)}
    assert "threshold" not in json.dumps(document["scores"])
    assert [row["outcome"] for row in document["decisions"]] == ["refused"]
    assert (
        document["decisions"][0]["decided_by"] == "Your advisor"
        or document["decisions"][0]["decided_by"] == "Votre conseiller"
    )
    [review] = document["review_requests"]
    assert review["message"] == "Please look again: my income is higher."
    assert review["claimed"] == {"AMT_INCOME_TOTAL": 42000.0}
    assert "requested_by_id" not in review and "reviewed_by_id" not in review
    _response, files = _csv_export(client)
    [row] = files["review_requests.csv"]
    assert json.loads(row["claimed"]) == {"AMT_INCOME_TOTAL": 42000.0}
