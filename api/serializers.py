"""What the API reads and writes, generated from `ml.schema` so it cannot drift from the model.

Input fields are named as Kaggle spells them (upper case: `AMT_CREDIT`),
every one optional and nullable (an empty value means "unknown", as in the
Kaggle files), typed from the schema, and numbers are checked against
plausible ranges (`APPLICATION_RANGES`). Text columns are free text (the
model treats an unseen level as missing) but at most `TEXT_MAX_LENGTH`
characters. `TARGET`, the observed default, is never writable. Any other key
is refused with a message naming it, so a typo never silently drops a value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse
from rest_framework import serializers

from clients.models import Application
from ml import schema
from ml.dataset import coerce_table
from scoring.models import Score

TEXT_MAX_LENGTH = 100
# Columns the API never writes: TARGET is what the model predicts, known only afterwards.
READ_ONLY_COLUMNS = frozenset({"TARGET"})
# History rows accepted by /predict, per table: a generous client history.
HISTORY_MAX_ROWS = 5000
HISTORY_TABLES: tuple[schema.Table, ...] = tuple(
    table for table in schema.TABLES if table is not schema.APPLICATION
)


@dataclass(frozen=True)
class Range:
    minimum: float
    maximum: float
    meaning: str
    # Values allowed outside the range: the "not employed" sentinel of DAYS_EMPLOYED.
    also: tuple[int, ...] = ()

    def message(self, name: str) -> str:
        extra = "".join(f" or {value}" for value in self.also)
        return (
            f"{name} must be between {_number(self.minimum)} and {_number(self.maximum)}"
            f"{extra} ({self.meaning})."
        )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


_DAYS_BACK = 36_500  # 100 years
_YES_NO = "0 for no, 1 for yes"
# First match wins; patterns are matched against the whole column name. They
# accept every row of the real Kaggle samples (a test checks it).
APPLICATION_RANGES: tuple[tuple[str, Range], ...] = (
    ("SK_ID_CURR", Range(1, 2**63 - 1, "the application's positive identifier")),
    (
        "DAYS_BIRTH",
        Range(-_DAYS_BACK, -6570, "age in days before the application: 18 to 100 years"),
    ),
    (
        "DAYS_EMPLOYED",
        Range(
            -_DAYS_BACK,
            0,
            "days employed before the application, negative; 365243 means not employed",
            also=(schema.DAYS_EMPLOYED_SENTINEL,),
        ),
    ),
    ("DAYS_.*", Range(-_DAYS_BACK, 0, "days before the application, negative or 0")),
    ("AMT_.*", Range(0, 1e10, "an amount or a count, never negative")),
    ("EXT_SOURCE_[0-9]+", Range(0, 1, "a normalised external score")),
    ("FLAG_.*", Range(0, 1, _YES_NO)),
    ("(REG|LIVE)_(REGION|CITY)_NOT_.*", Range(0, 1, _YES_NO)),
    ("REGION_POPULATION_RELATIVE", Range(0, 1, "a normalised population density")),
    # Kaggle's own data holds one -1 rating; refusing it would refuse a real row.
    ("REGION_RATING_CLIENT.*", Range(-1, 3, "the region's rating, 1 to 3")),
    ("HOUR_APPR_PROCESS_START", Range(0, 23, "an hour of the day")),
    ("CNT_CHILDREN", Range(0, 30, "a number of children")),
    ("CNT_FAM_MEMBERS", Range(1, 40, "family members, the client included")),
    ("OWN_CAR_AGE", Range(0, 100, "the car's age in years")),
    (".*_CNT_SOCIAL_CIRCLE", Range(0, 10_000, "a number of acquaintances")),
    (".*_(AVG|MODE|MEDI)", Range(0, 1, "a normalised statistic of the building")),
)


def range_for(column: schema.Column) -> Range | None:
    """The plausible range of an application's numeric column (None: any finite number)."""
    if column.kind == schema.STR:
        return None
    for pattern, allowed in APPLICATION_RANGES:
        if re.fullmatch(pattern, column.name):
            return allowed
    return None


# -- fields ---------------------------------------------------------------------------------


class _NotBooleanMixin:
    # DRF would read true as 1.0 in a float field. (It already refuses NaN and infinities.)
    default_error_messages = {"boolean": "expected a number, not true/false."}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("boolean")
        return super().to_internal_value(data)


class KaggleFloatField(_NotBooleanMixin, serializers.FloatField):
    pass


class KaggleIntegerField(_NotBooleanMixin, serializers.IntegerField):
    pass


class _InRangeOrSentinel:
    """A range check that lets a sentinel value through (DAYS_EMPLOYED = 365243)."""

    def __init__(self, name: str, allowed: Range) -> None:
        self.name = name
        self.allowed = allowed

    def __call__(self, value: float) -> None:
        if value in self.allowed.also:
            return
        if not self.allowed.minimum <= value <= self.allowed.maximum:
            raise serializers.ValidationError(self.allowed.message(self.name))


def kaggle_field(column: schema.Column, *, required: bool = False, checked: bool = True):
    """The serializer field of one Kaggle column; `checked` applies the application ranges."""
    common: dict[str, Any] = {"required": required, "allow_null": not required}
    if column.kind == schema.STR:
        return serializers.CharField(
            max_length=TEXT_MAX_LENGTH,
            allow_blank=True,
            help_text=f"{column.name}: free text (an unseen level is treated as missing).",
            **common,
        )
    field_class = KaggleIntegerField if column.kind == schema.INT else KaggleFloatField
    allowed = range_for(column) if checked else None
    if allowed is None:
        return field_class(help_text=f"{column.name}: a number.", **common)
    if allowed.also:
        # The schema states the range in words; a validator lets the sentinel pass.
        return field_class(
            validators=[_InRangeOrSentinel(column.name, allowed)],
            help_text=allowed.message(column.name),
            **common,
        )
    message = allowed.message(column.name)
    return field_class(
        validators=[
            MinValueValidator(allowed.minimum, message=message),
            MaxValueValidator(allowed.maximum, message=message),
        ],
        help_text=message,
        **common,
    )


def _unknown_field_message(name: str, known: Mapping[str, Any]) -> str:
    if name in READ_ONLY_COLUMNS:
        return f"{name} is the observed outcome; it cannot be written through the API."
    if isinstance(name, str) and name.upper() in known:
        return f"unknown field {name!r}: Kaggle names are upper case, did you mean {name.upper()}?"
    return f"unknown field {name!r}: not a column of the Kaggle table."


class StrictFieldsSerializer(serializers.Serializer):
    """Refuses keys it does not declare, naming each one, alongside the other field errors."""

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            raise serializers.ValidationError(
                {"non_field_errors": ["expected a JSON object of Kaggle fields."]}
            )
        errors: dict[str, Any] = {
            str(name): [_unknown_field_message(name, self.fields)]
            for name in data
            if name not in self.fields or self.fields[name].read_only
        }
        try:
            values = super().to_internal_value(data)
        except serializers.ValidationError as error:
            errors.update(error.detail)
        if errors:
            raise serializers.ValidationError(errors)
        # Text left empty means unknown, as an empty cell of a Kaggle file.
        return {name: (None if value == "" else value) for name, value in values.items()}


def _serializer_class(name: str, fields: dict[str, Any], doc: str, base=StrictFieldsSerializer):
    return type(name, (base,), {"__module__": __name__, "__doc__": doc, **fields})


def _application_fields(*, sk_id_required: bool) -> dict[str, Any]:
    return {
        column.name: kaggle_field(column, required=sk_id_required and column.name == "SK_ID_CURR")
        for column in schema.APPLICATION.columns
        if column.name not in READ_ONLY_COLUMNS
    }


ApplicationCreateSerializer = _serializer_class(
    "ApplicationCreateSerializer",
    _application_fields(sk_id_required=True),
    "A new application: SK_ID_CURR and any Kaggle application fields.",
)
ApplicationUpdateSerializer = _serializer_class(
    "ApplicationUpdateSerializer",
    _application_fields(sk_id_required=False),
    "Kaggle application fields; SK_ID_CURR, if given, must be the one of the URL.",
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
    return _serializer_class(class_name, fields, f"One row of the Kaggle {table.name} table.")


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


PredictInputSerializer = _serializer_class(
    "PredictInputSerializer",
    {
        **_application_fields(sk_id_required=False),
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


# -- output ---------------------------------------------------------------------------------


def _output_field(column: schema.Column):
    field_class = {
        schema.INT: serializers.IntegerField,
        schema.FLOAT: serializers.FloatField,
        schema.STR: serializers.CharField,
    }[column.kind]
    return field_class(source=column.field_name, read_only=True, allow_null=True)


class _ApplicationOutputBase(serializers.Serializer):
    advisor = serializers.CharField(
        source="advisor.username",
        read_only=True,
        allow_null=True,
        help_text="Username of the advisor in charge (null: not assigned yet).",
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


ApplicationSerializer = _serializer_class(
    "ApplicationSerializer",
    {
        column.name: _output_field(column)
        for column in schema.APPLICATION.columns
        if column.name not in READ_ONLY_COLUMNS
    },
    "An application: its Kaggle fields (TARGET is never shown) and who is in charge.",
    base=_ApplicationOutputBase,
)


class ScoreSerializer(serializers.ModelSerializer):
    """One scoring of one application by one model version."""

    application = serializers.IntegerField(source="application_id", read_only=True)
    model_version = serializers.CharField(source="model_version.version", read_only=True)
    requested_by = serializers.CharField(
        source="requested_by.username", read_only=True, allow_null=True
    )
    url = serializers.SerializerMethodField(help_text="Where to poll this score.")
    explanation_url = serializers.SerializerMethodField(
        help_text="The application's latest explanation (once a score is done)."
    )

    class Meta:
        model = Score
        fields = [
            "id",
            "url",
            "application",
            "status",
            "probability",
            "decision",
            "threshold",
            "model_version",
            "error",
            "channel",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "explanation_url",
        ]
        read_only_fields = fields

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_url(self, score: Score) -> str:
        return self._absolute(reverse("api:score-detail", kwargs={"score_id": score.pk}))

    def get_explanation_url(self, score: Score) -> str:
        return self._absolute(
            reverse("api:application-explanation", kwargs={"sk_id_curr": score.application_id})
        )


# -- documentation of JSON payloads built elsewhere (OpenAPI only) ---------------------------


class ContributionSerializer(serializers.Serializer):
    feature = serializers.CharField()
    label = serializers.CharField()
    value = serializers.JSONField(allow_null=True, help_text="The feature's value (or null).")
    display_value = serializers.CharField(help_text="The value formatted for people.")
    contribution = serializers.FloatField(help_text="Log-odds; positive raises the risk.")
    raw_fields = serializers.ListField(child=serializers.CharField())


class ReasonsSerializer(serializers.Serializer):
    raising = serializers.ListField(child=serializers.CharField())
    lowering = serializers.ListField(child=serializers.CharField())


class PredictionExplanationSerializer(serializers.Serializer):
    """base_value + sum(contributions) + other_features == raw_score (log-odds)."""

    base_value = serializers.FloatField()
    raw_score = serializers.FloatField()
    contributions = ContributionSerializer(many=True)
    other_features = serializers.FloatField()
    reasons = ReasonsSerializer()
    language = serializers.CharField()


class ExplanationSerializer(PredictionExplanationSerializer):
    """The explanation of a stored score: the same body, with the score it explains."""

    score_id = serializers.UUIDField()
    application_id = serializers.IntegerField()
    model_version = serializers.CharField()
    probability = serializers.FloatField()
    decision = serializers.CharField()
    threshold = serializers.FloatField()


class PredictionSerializer(serializers.Serializer):
    """A stateless prediction: nothing about the client is stored."""

    sk_id_curr = serializers.IntegerField(allow_null=True)
    probability = serializers.FloatField()
    decision = serializers.CharField()
    threshold = serializers.FloatField()
    model_version = serializers.CharField()
    explanation = PredictionExplanationSerializer()


class ImportanceSerializer(serializers.Serializer):
    feature = serializers.CharField()
    label = serializers.CharField()
    importance = serializers.FloatField(help_text="Mean |SHAP| over the training sample.")


class ModelCardSerializer(serializers.Serializer):
    version = serializers.CharField()
    artifact_hash = serializers.CharField()
    threshold = serializers.FloatField()
    cost_weights = serializers.DictField(child=serializers.FloatField())
    metrics = serializers.DictField()
    trained_on = serializers.DictField()
    feature_count = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    activated_at = serializers.DateTimeField(allow_null=True)
    global_importance = ImportanceSerializer(many=True)
    model_card = serializers.CharField(help_text="The model card, in Markdown.")


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


def application_url(request, application: Application) -> str:
    return request.build_absolute_uri(
        reverse("api:application-detail", kwargs={"sk_id_curr": application.pk})
    )
