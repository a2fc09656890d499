"""/predict in and out: one application's fields with optional history rows; the prediction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
from django.utils.translation import gettext
from rest_framework import serializers

from api.serializers.explanations import PredictionExplanationSerializer
from api.serializers.fields import (
    REQUIRED_RULE,
    StrictFieldsSerializer,
    application_fields,
    kaggle_field,
    serializer_class,
)
from api.serializers.manual_review import WithholdsDecision, decision_field, manual_review_field
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
            table=table.name,
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
        **application_fields(sk_id_required=False, scoring_required=True),
        **{
            table.name: serializers.ListField(
                child=HISTORY_ROW_SERIALIZERS[table.name](),
                required=False,
                max_length=HISTORY_MAX_ROWS,
                help_text=(
                    f"Rows of {table.name} (Kaggle columns); an empty list when the client "
                    "has none. Absent: not sent, and the prediction warns (history_absent)."
                ),
            )
            for table in HISTORY_TABLES
        },
    },
    "One application's Kaggle fields (SK_ID_CURR optional), with its history rows under "
    f"the Kaggle table names (bureau, previous_application, ...). {REQUIRED_RULE}",
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


HISTORY_ABSENT = "history_absent"
EXTERNAL_SCORES_ABSENT = "external_scores_absent"
EXTERNAL_SCORES = ("EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3")
WARNING_CODES = (HISTORY_ABSENT, EXTERNAL_SCORES_ABSENT)


def prediction_warnings(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What the caller should know about a validated /predict body before trusting the score.

    `history_absent`: history tables the body did not hold at all. The model
    cannot tell "not sent" from "none" (both leave the history features
    empty), and its reasons may then say that no credit history is known; the
    warning says that none was sent. An empty list declares "none".
    `external_scores_absent`: none of the external scores was given; the
    model leans on them most (see api/serializers/fields.py, REQUIRED_FIELDS).
    """
    warnings: list[dict[str, Any]] = []
    absent = [table.name for table in HISTORY_TABLES if table.name not in data]
    if absent:
        message = gettext(
            "No rows were sent for %(tables)s: the score treats the client as having no such "
            "history, and its reasons may say so. Send each table, as an empty list when the "
            "client has none."
        ) % {"tables": ", ".join(absent)}
        warnings.append({"code": HISTORY_ABSENT, "tables": absent, "message": message})
    if all(data.get(name) is None for name in EXTERNAL_SCORES):
        message = gettext(
            "No external score was sent (%(fields)s): the model relies on them more than on "
            "any other field, and its score is much less reliable without them."
        ) % {"fields": ", ".join(EXTERNAL_SCORES)}
        warnings.append(
            {"code": EXTERNAL_SCORES_ABSENT, "fields": list(EXTERNAL_SCORES), "message": message}
        )
    return warnings


class PredictionWarningSerializer(serializers.Serializer):
    """Something the score could not take into account (OpenAPI documentation only)."""

    code = serializers.ChoiceField(
        choices=WARNING_CODES,
        help_text=(
            "history_absent: the history tables in `tables` were not sent; "
            "external_scores_absent: none of the fields in `fields` was sent."
        ),
    )
    tables = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="history_absent: the tables."
    )
    # A key of the payload: DRF's metaclass moves declared fields out of the class body, so
    # this never replaces Serializer.fields at run time; the stubs see the class attribute.
    fields = serializers.ListField(  # type: ignore[assignment]
        child=serializers.CharField(),
        required=False,
        help_text="external_scores_absent: the fields.",
    )
    message = serializers.CharField(help_text="The warning in words, in the response's language.")


class PredictionSerializer(WithholdsDecision, serializers.Serializer):
    """A stateless prediction: nothing about the client is stored."""

    sk_id_curr = serializers.IntegerField(allow_null=True)
    probability = serializers.FloatField()
    decision = decision_field()
    manual_review = manual_review_field()
    threshold = serializers.FloatField()
    model_version = serializers.CharField()
    explanation = PredictionExplanationSerializer()
    warnings = PredictionWarningSerializer(
        many=True, help_text="Empty when the body held everything the model reads."
    )
