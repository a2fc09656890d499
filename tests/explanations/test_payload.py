"""explanation_body (explanations/payload.py): an explanation from its SHAP values alone."""

from __future__ import annotations

from explanations.payload import explanation_body


def test_gender_stays_in_the_staff_contributions_but_never_in_the_reasons():
    contributions = {"CODE_GENDER": 0.5, "APP_CREDIT_TO_INCOME": 0.25, "EXT_SOURCE_2": -0.125}
    values = {"CODE_GENDER": "F", "APP_CREDIT_TO_INCOME": 3.0, "EXT_SOURCE_2": 0.6}

    body = explanation_body(
        contributions=contributions,
        feature_values=values,
        base_value=-2.0,
        raw_score=-1.375,
        language="en",
        top=2,
    )

    assert [row["feature"] for row in body["contributions"]] == [
        "CODE_GENDER",
        "APP_CREDIT_TO_INCOME",
    ]
    assert body["contributions"][0]["label"] == "Gender"
    assert body["other_features"] == -0.125
    assert body["reasons"]["raising"] == [
        "The loan amount is 3 times your annual income, which increases the risk."
    ]
    assert len(body["reasons"]["lowering"]) == 1
