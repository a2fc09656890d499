"""The example bodies of the OpenAPI schema (Swagger UI's "Try it out") are valid."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

EXPECTED = {("/api/v1/applications", "post"): 201, ("/api/v1/predict", "post"): 200}


def documented_examples(client) -> list[tuple[str, str, str, dict]]:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            for name, example in content.get("application/json", {}).get("examples", {}).items():
                found.append((path, method, name, example["value"]))
    return found


def test_create_and_predict_document_examples(client):
    documented = {(path, method) for path, method, _name, _value in documented_examples(client)}

    assert documented == set(EXPECTED)


def test_every_documented_example_is_accepted(client, api_as, serving_version, advisor):
    api = api_as("integration")
    for path, method, name, value in documented_examples(client):
        response = getattr(api, method)(path, value)

        assert response.status_code == EXPECTED[path, method], (name, response.content)
