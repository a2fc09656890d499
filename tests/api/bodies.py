"""Bodies the API tests send: the least an application may hold to be scored."""

from __future__ import annotations

# The required fields (api.serializers.fields.REQUIRED_FIELDS), and nothing else.
SCORABLE = {
    "NAME_CONTRACT_TYPE": "Cash loans",
    "AMT_CREDIT": 300000.0,
    "AMT_ANNUITY": 15000.0,
    "AMT_INCOME_TOTAL": 120000.0,
    "DAYS_BIRTH": -14000,
    "DAYS_EMPLOYED": -2000,
}
