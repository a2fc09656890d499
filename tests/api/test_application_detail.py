"""GET /api/v1/applications/{id}: one application, 404 outside one's scope."""

from __future__ import annotations

import pytest

from tests.api.matrices import READ_WITHIN_SCOPE

pytestmark = pytest.mark.django_db

MATRIX = READ_WITHIN_SCOPE


@pytest.mark.parametrize("caller", MATRIX)
def test_who_may_read_an_application(caller, api_as, application):
    response = api_as(caller).get(f"/api/v1/applications/{application.pk}")

    assert response.status_code == MATRIX[caller], response.content
    if response.status_code == 200:
        assert response.json()["SK_ID_CURR"] == application.pk


def test_an_application_out_of_scope_looks_exactly_like_one_that_does_not_exist(
    api_as, application
):
    colleague = api_as("colleague")

    hidden = colleague.get(f"/api/v1/applications/{application.pk}")
    missing = colleague.get("/api/v1/applications/1")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
