"""PUT/PATCH /api/v1/applications/{id}: integration accounts change an application's fields."""

from __future__ import annotations

import pytest

from api.serializers.fields import REQUIRED_FIELDS
from tests.api.bodies import SCORABLE

pytestmark = pytest.mark.django_db

# Only integration accounts write; others are refused before any lookup (403),
# so a write never tells them whether an application exists.
MATRIX = {
    "anonymous": 401,
    "integration": 200,
    "advisor": 403,
    "colleague": 403,
    "supervisor": 403,
    "client_own": 403,
    "client_other": 403,
    "staff": 403,
    "stranger": 403,
}


def url(application) -> str:
    return f"/api/v1/applications/{application.pk}"


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("caller", MATRIX)
def test_who_may_change_an_application(caller, method, api_as, application):
    body = {**SCORABLE, "AMT_CREDIT": 1234.0} if method == "put" else {"AMT_CREDIT": 1234.0}

    response = getattr(api_as(caller), method)(url(application), body)

    assert response.status_code == MATRIX[caller], response.content
    application.refresh_from_db()
    assert (application.amt_credit == 1234.0) == (response.status_code == 200)


def test_patch_changes_only_the_fields_given(api_as, application):
    response = api_as("integration").patch(url(application), {"AMT_ANNUITY": 30000})

    assert response.status_code == 200
    application.refresh_from_db()
    assert application.amt_annuity == 30000.0
    assert application.amt_credit == 406_597.5
    assert application.advisor.username == "advisor-alice"


def test_put_replaces_every_field_emptying_the_ones_not_given(api_as, application):
    application.target = 1
    application.save()

    response = api_as("integration").put(url(application), {**SCORABLE, "AMT_CREDIT": 99_000})

    assert response.status_code == 200
    application.refresh_from_db()
    assert application.amt_credit == 99_000.0
    assert application.amt_goods_price is None
    assert application.code_gender is None
    # The observed outcome is not the API's to erase, nor the advisor in charge.
    assert application.target == 1
    assert application.advisor.username == "advisor-alice"


def test_put_replaces_the_whole_application_so_it_needs_the_required_fields(api_as, application):
    response = api_as("integration").put(url(application), {"AMT_CREDIT": 99_000})

    assert response.status_code == 400
    assert set(response.json()) == set(REQUIRED_FIELDS) - {"AMT_CREDIT"}
    application.refresh_from_db()
    assert application.amt_credit == 406_597.5


def test_patch_cannot_empty_a_required_field(api_as, application):
    response = api_as("integration").patch(
        url(application), {"AMT_ANNUITY": None, "NAME_CONTRACT_TYPE": ""}
    )

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"AMT_ANNUITY", "NAME_CONTRACT_TYPE"}
    assert "cannot be empty" in errors["AMT_ANNUITY"][0]
    application.refresh_from_db()
    assert application.amt_annuity == 24_700.5


def test_patch_may_empty_an_optional_field(api_as, application):
    response = api_as("integration").patch(url(application), {"CODE_GENDER": None})

    assert response.status_code == 200, response.content
    application.refresh_from_db()
    assert application.code_gender is None


def test_sk_id_curr_cannot_be_changed(api_as, application):
    response = api_as("integration").patch(url(application), {"SK_ID_CURR": application.pk + 1})

    assert response.status_code == 400
    assert "SK_ID_CURR" in response.json()


def test_a_bad_update_names_each_field_and_changes_nothing(api_as, application):
    response = api_as("integration").patch(
        url(application), {"EXT_SOURCE_2": -0.5, "TARGET": 0, "AMT_CREDIT": 1}
    )

    assert response.status_code == 400
    assert set(response.json()) == {"EXT_SOURCE_2", "TARGET"}
    application.refresh_from_db()
    assert application.amt_credit == 406_597.5


def test_updating_a_missing_application_is_a_404(api_as):
    response = api_as("integration").patch("/api/v1/applications/1", {"AMT_CREDIT": 1})

    assert response.status_code == 404
