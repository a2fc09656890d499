"""/predict in and out: one application's fields with optional history rows; the prediction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from rest_framework import serializers

from api.serializers.explanations import PredictionExplanationSerializer
from api.serializers.fields import (
    StrictFieldsSerializer,
    application_fields,
    kaggle_field,
    serializer_class,
)
from ml import schema
from ml.dataset import coerce_table

# History rows accepted by /predict, per table: a generous client history.
HISTORY_MAX_ROWS = 5000
HISTORY_TABLES: tuple[schema.Table, ...] = tuple(
    table for table in schema.TABLES if table is not schema.APPLICATION
)


def _history_row_serializer(table: schema.Table):
    # History rows are checked for types only: their signs vary (bureau's
    # DAYS_CREDIT_ENDDATE lies in the future, balances can be negative).
    fields = {
        column.name: kaggle_field(
            column,
            # Their own keys identify and link rows; the client is the one predicted.
            required=column.name.startswith("SK_ID_") and column.name != "SK_ID_CURR",
            checked=False,
        )
        for column in table.columns
    }
    class_name = "".join(part.capitalize() for part in table.name.split("_")) + "RowSerializer"
    return serializer_class(
        class_name, fields, f"One row of the Kaggle {table.name} table.", module=__name__
    )


HISTORY_ROW_SERIALIZERS = {table.name: _history_row_serializer(table) for table in HISTORY_TABLES}


class _PredictInputBase(StrictFieldsSerializer):
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        sk_id = attrs.get("SK_ID_CURR")
        errors: dict[str, Any] = {}
        for table in HISTORY_TABLES:
            for i, row in enumerate(attrs.get(table.name) or []):
                if "SK_ID_CURR" in row and row["SK_ID_CURR"] not in (None, sk_id):
                    errors.setdefault(table.name, {})[i] = {
                        "SK_ID_CURR": [
                            "history rows belong to the application predicted: leave "
                            "SK_ID_CURR out or give the application's own."
                        ]
                    }
        bureau_ids = {row["SK_ID_BUREAU"] for row in attrs.get("bureau") or []}
        for i, row in enumerate(attrs.get("bureau_balance") or []):
            if row["SK_ID_BUREAU"] not in bureau_ids:
                errors.setdefault("bureau_balance", {})[i] = {
                    "SK_ID_BUREAU": [
                        f"no bureau row has SK_ID_BUREAU {row['SK_ID_BUREAU']} in this request."
                    ]
                }
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


PredictInputSerializer = serializer_class(
    "PredictInputSerializer",
    {
        **application_fields(sk_id_required=False),
        **{
            table.name: serializers.ListField(
                child=HISTORY_ROW_SERIALIZERS[table.name](),
                required=False,
                max_length=HISTORY_MAX_ROWS,
                help_text=f"Optional rows of {table.name} (Kaggle columns).",
            )
            for table in HISTORY_TABLES
        },
    },
    "One application's Kaggle fields (SK_ID_CURR optional), with optional history rows "
    "under the Kaggle table names (bureau, previous_application, ...).",
    base=_PredictInputBase,
    module=__name__,
)


def tables_from_prediction_input(data: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """The `ml` tables of one validated /predict body (absent history tables stay absent)."""
    sk_id = data.get("SK_ID_CURR") or 0
    application = {
        name: data.get(name) for name in schema.APPLICATION.column_names if name != "TARGET"
    }
    application["SK_ID_CURR"] = sk_id
    tables = {
        schema.APPLICATION.name: coerce_table(schema.APPLICATION, pd.DataFrame([application]))
    }
    for table in HISTORY_TABLES:
        rows = data.get(table.name)
        if rows is None:
            continue
        records = []
        for row in rows:
            record = {name: row.get(name) for name in table.column_names}
            if "SK_ID_CURR" in record:
                record["SK_ID_CURR"] = sk_id
            records.append(record)
        frame = pd.DataFrame(records, columns=table.column_names)
        tables[table.name] = coerce_table(table, frame, source=table.name)
    return tables


class PredictionSerializer(serializers.Serializer):
    """A stateless prediction: nothing about the client is stored."""

    sk_id_curr = serializers.IntegerField(allow_null=True)
    probability = serializers.FloatField()
    decision = serializers.CharField()
    threshold = serializers.FloatField()
    model_version = serializers.CharField()
    explanation = PredictionExplanationSerializer()
