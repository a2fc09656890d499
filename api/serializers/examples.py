"""Example bodies of the OpenAPI schema: what Swagger UI's "Try it out" sends.

Realistic and valid (tests/api/test_examples.py posts each one and expects a
201 or a 200): a 35-year-old salaried client asking for a cash loan.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample

_APPLICANT: dict[str, Any] = {
    "NAME_CONTRACT_TYPE": "Cash loans",
    "AMT_CREDIT": 450000.0,
    "AMT_ANNUITY": 22500.0,
    "AMT_GOODS_PRICE": 450000.0,
    "AMT_INCOME_TOTAL": 135000.0,
    "DAYS_BIRTH": -12784,
    "DAYS_EMPLOYED": -1826,
    "CODE_GENDER": "F",
    "FLAG_OWN_CAR": "N",
    "FLAG_OWN_REALTY": "Y",
    "CNT_CHILDREN": 1,
    "CNT_FAM_MEMBERS": 3.0,
    "NAME_INCOME_TYPE": "Working",
    "NAME_EDUCATION_TYPE": "Secondary / secondary special",
    "NAME_FAMILY_STATUS": "Married",
    "NAME_HOUSING_TYPE": "House / apartment",
    "OCCUPATION_TYPE": "Sales staff",
    "ORGANIZATION_TYPE": "Trade: type 7",
    "EXT_SOURCE_2": 0.62,
    "EXT_SOURCE_3": 0.51,
}

APPLICATION_CREATE: dict[str, Any] = {"SK_ID_CURR": 456789, **_APPLICANT}

PREDICT_APPLICATION_ONLY: dict[str, Any] = dict(_APPLICANT)

PREDICT_WITH_HISTORY: dict[str, Any] = {
    **_APPLICANT,
    "bureau": [
        {
            "SK_ID_BUREAU": 5000001,
            "CREDIT_ACTIVE": "Closed",
            "CREDIT_CURRENCY": "currency 1",
            "DAYS_CREDIT": -1450,
            "CREDIT_DAY_OVERDUE": 0,
            "DAYS_CREDIT_ENDDATE": -720.0,
            "DAYS_ENDDATE_FACT": -730.0,
            "AMT_CREDIT_SUM": 90000.0,
            "AMT_CREDIT_SUM_DEBT": 0.0,
            "CREDIT_TYPE": "Consumer credit",
            "DAYS_CREDIT_UPDATE": -700,
        }
    ],
    "bureau_balance": [
        {"SK_ID_BUREAU": 5000001, "MONTHS_BALANCE": -24, "STATUS": "C"},
        {"SK_ID_BUREAU": 5000001, "MONTHS_BALANCE": -25, "STATUS": "0"},
    ],
    "previous_application": [
        {
            "SK_ID_PREV": 2000001,
            "NAME_CONTRACT_TYPE": "Consumer loans",
            "AMT_APPLICATION": 60000.0,
            "AMT_CREDIT": 60000.0,
            "AMT_ANNUITY": 5500.0,
            "NAME_CONTRACT_STATUS": "Approved",
            "DAYS_DECISION": -900,
            "NAME_CLIENT_TYPE": "Repeater",
            "CNT_PAYMENT": 12.0,
        }
    ],
    "POS_CASH_balance": [],
    "installments_payments": [
        {
            "SK_ID_PREV": 2000001,
            "NUM_INSTALMENT_VERSION": 1.0,
            "NUM_INSTALMENT_NUMBER": 1,
            "DAYS_INSTALMENT": -870.0,
            "DAYS_ENTRY_PAYMENT": -872.0,
            "AMT_INSTALMENT": 5500.0,
            "AMT_PAYMENT": 5500.0,
        }
    ],
    "credit_card_balance": [],
}

APPLICATION_CREATE_EXAMPLES = [
    OpenApiExample(
        "A cash loan",
        summary="A cash loan: the required fields and a few more",
        value=APPLICATION_CREATE,
        request_only=True,
    )
]
PREDICT_EXAMPLES = [
    OpenApiExample(
        "With history",
        summary="The application and the client's history (no warning)",
        value=PREDICT_WITH_HISTORY,
        request_only=True,
    ),
    OpenApiExample(
        "Application only",
        summary="The application alone (the answer warns: history_absent)",
        value=PREDICT_APPLICATION_ONLY,
        request_only=True,
    ),
]
