"""The Kaggle fields of the API, generated from `ml.schema` so they cannot drift from the model.

Input fields are named as Kaggle spells them (upper case: `AMT_CREDIT`),
every one optional and nullable (an empty value means "unknown", as in the
Kaggle files), typed from the schema, and numbers are checked against
plausible ranges (`APPLICATION_RANGES`). Text columns are free text (the
model treats an unseen level as missing) but at most `TEXT_MAX_LENGTH`
characters. `TARGET`, the observed default, is never writable. Any other key
is refused with a message naming it, so a typo never silently drops a value.

The serializers of each resource (applications.py, predict.py, ...) are built
from these fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from rest_framework import serializers

from ml import schema

TEXT_MAX_LENGTH = 100
# Columns the API never writes: TARGET is what the model predicts, known only afterwards.
READ_ONLY_COLUMNS = frozenset({"TARGET"})


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


def serializer_class(
    name: str, fields: dict[str, Any], doc: str, *, module: str, base=StrictFieldsSerializer
):
    """A serializer class named `name` with `fields`, defined (for its repr) in `module`."""
    return type(name, (base,), {"__module__": module, "__doc__": doc, **fields})


def application_fields(*, sk_id_required: bool) -> dict[str, Any]:
    """The writable Kaggle fields of an application (TARGET never is)."""
    return {
        column.name: kaggle_field(column, required=sk_id_required and column.name == "SK_ID_CURR")
        for column in schema.APPLICATION.columns
        if column.name not in READ_ONLY_COLUMNS
    }


def output_field(column: schema.Column):
    """The read-only serializer field showing one Kaggle column of a model instance."""
    field_class = {
        schema.INT: serializers.IntegerField,
        schema.FLOAT: serializers.FloatField,
        schema.STR: serializers.CharField,
    }[column.kind]
    return field_class(source=column.field_name, read_only=True, allow_null=True)
