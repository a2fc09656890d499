"""/api/schema/ and /api/docs/: the OpenAPI 3 schema validates and Swagger UI is served locally."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from api.serializers.fields import REQUIRED_FIELDS

pytestmark = pytest.mark.django_db


def test_the_schema_generates_and_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    text = out.read_text()
    for path in (
        "/api/v1/applications:",
        "/api/v1/applications/{sk_id_curr}/score:",
        "/api/v1/applications/{sk_id_curr}/explanation:",
        "/api/v1/scores/{score_id}:",
        "/api/v1/predict:",
        "/api/v1/models/active:",
        "/api/v1/auth/token:",
    ):
        assert path in text


def test_the_schema_is_served_and_documents_kaggle_fields_with_their_ranges(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    fields = schema["components"]["schemas"]["ApplicationCreateRequest"]["properties"]
    assert fields["DAYS_BIRTH"]["minimum"] == -36500
    assert fields["DAYS_BIRTH"]["maximum"] == -6570
    assert fields["EXT_SOURCE_2"]["maximum"] == 1
    assert "TARGET" not in fields
    assert set(schema["components"]["schemas"]["ApplicationCreateRequest"]["required"]) == {
        "SK_ID_CURR",
        *REQUIRED_FIELDS,
    }


def test_the_docs_page_uses_swagger_ui_served_by_us(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
