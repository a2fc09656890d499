"""GET /api/v1/applications: who sees which applications, 50 per page."""

from __future__ import annotations

import pytest

from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications"

# caller -> (status, ids among `application` and `elsewhere` they see)
MATRIX = {
    "anonymous": (401, None),
    "integration": (200, {"application", "elsewhere"}),
    "advisor": (200, {"application"}),
    "colleague": (200, {"elsewhere"}),
    "supervisor": (200, {"application", "elsewhere"}),
    "client_own": (403, None),
    "client_other": (403, None),
    "staff": (200, {"application", "elsewhere"}),
    "stranger": (403, None),
}


@pytest.mark.parametrize("caller", MATRIX)
def test_each_caller_lists_exactly_the_applications_of_their_scope(
    caller, api_as, application, colleague
):
    elsewhere = ApplicationFactory(advisor=colleague)
    expected_status, expected = MATRIX[caller]

    response = api_as(caller).get(URL)

    assert response.status_code == expected_status, response.content
    if expected is not None:
        named = {application.pk: "application", elsewhere.pk: "elsewhere"}
        seen = {
            named[row["SK_ID_CURR"]]
            for row in response.json()["results"]
            if row["SK_ID_CURR"] in named
        }
        assert seen == expected


def test_rows_carry_kaggle_names_and_the_advisor_but_never_target(api_as, application):
    application.target = 1
    application.save()

    row = api_as("advisor").get(URL).json()["results"][0]

    assert row["SK_ID_CURR"] == application.pk
    assert row["AMT_CREDIT"] == application.amt_credit
    assert row["CODE_GENDER"] == "F"
    assert row["EXT_SOURCE_1"] is None
    assert row["advisor"] == "advisor-alice"
    assert "TARGET" not in row


def test_the_list_is_paginated_by_50(api_as, advisor):
    ApplicationFactory.create_batch(51, advisor=advisor)

    first = api_as("advisor").get(URL).json()
    second = api_as("advisor").get(URL, {"page": 2}).json()

    assert first["count"] == 51
    assert len(first["results"]) == 50
    assert first["next"].endswith("?page=2")
    assert len(second["results"]) == 1
