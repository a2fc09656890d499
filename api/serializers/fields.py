"""The Kaggle fields of the API, generated from `ml.schema` and `ml.levels` so they cannot
drift from what the model knows.

Input fields are named as Kaggle spells them (upper case: `AMT_CREDIT`).

- Required: `REQUIRED_FIELDS`, what a score needs to mean anything (below),
  for creating an application, replacing it (PUT) and predicting; every
  other field is optional and nullable (null means "unknown", as an empty
  cell of a Kaggle file).
- Numbers are typed from the schema and checked against plausible ranges
  (`APPLICATION_RANGES`).
- Text columns are categorical: a value must be one of the column's levels
  (`ml.levels`, an enum in the OpenAPI schema); an empty string means
  unknown, like null. Any other value is refused, naming the allowed ones.
- `TARGET`, the observed default, is never writable. Any other key is
  refused with a message naming it, so a typo never silently drops a value.

Every message goes through gettext and is written when the error happens,
so a response speaks the request's language (`api/negotiation.py`). The
schema's descriptions (help texts) are documentation and stay in English.

The serializers of each resource (applications.py, predict.py, ...) are built
from these fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from rest_framework import serializers

from ml import schema
from ml.levels import levels

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Columns the API never writes: TARGET is what the model predicts, known only afterwards.
READ_ONLY_COLUMNS = frozenset({"TARGET"})

# What a score needs to mean anything, in the order a partner's form asks for
# it: the loan (its type, amount and periodic repayment, whose ratio is the
# credit's term) and the applicant (income, age, employment; DAYS_EMPLOYED is
# 365243 for someone without a job, so it always has a value). A partner
# system knows all six, and Kaggle's files have them on every row (bar 36
# annuities of 356,255). Measured on real rows the model never saw
# (benchmarks/required_fields_bench.py, hold-out AUC): every field 0.750; these
# six alone 0.626; nothing (`{}`, which used to be scored) 0.5, one
# probability for everyone. The external scores (EXT_SOURCE_1..3) weigh most
# (the six + them: 0.739; every field but them: 0.664) but a partner does not
# always have them (Kaggle lacks EXT_SOURCE_1 on 56% of rows): they stay
# optional and a prediction without any says so (`external_scores_absent`).
REQUIRED_FIELDS: tuple[str, ...] = (
    "NAME_CONTRACT_TYPE",
    "AMT_CREDIT",
    "AMT_ANNUITY",
    "AMT_INCOME_TOTAL",
    "DAYS_BIRTH",
    "DAYS_EMPLOYED",
)
REQUIRED_RULE = (
    "Required for a meaningful score: " + ", ".join(REQUIRED_FIELDS) + "; every other "
    "field is optional (null or absent: unknown)."
)


@dataclass(frozen=True)
class Range:
    minimum: float
    maximum: float
    meaning: str  # English, marked with gettext_noop: translated when an error is written
    # Values allowed outside the range: the "not employed" sentinel of DAYS_EMPLOYED.
    also: tuple[int, ...] = ()

    def message(self, name: str) -> str:
        """The error of a value outside the range, in the active language."""
        return self._text(name, gettext)

    def description(self, name: str) -> str:
        """The same sentence in English, for the schema."""
        return self._text(name, str)

    def _text(self, name: str, translate) -> str:
        values = {
            "name": name,
            "minimum": _number(self.minimum),
            "maximum": _number(self.maximum),
            "meaning": translate(self.meaning),
        }
        if self.also:
            values["also"] = ", ".join(str(value) for value in self.also)
            template = gettext_noop(
                "%(name)s must be between %(minimum)s and %(maximum)s or %(also)s (%(meaning)s)."
            )
        else:
            template = gettext_noop(
                "%(name)s must be between %(minimum)s and %(maximum)s (%(meaning)s)."
            )
        return translate(template) % values


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


_DAYS_BACK = 36_500  # 100 years
_YES_NO = gettext_noop("0 for no, 1 for yes")
# First match wins; patterns are matched against the whole column name. They
# accept every row of the real Kaggle samples (a test checks it).
APPLICATION_RANGES: tuple[tuple[str, Range], ...] = (
    ("SK_ID_CURR", Range(1, 2**63 - 1, gettext_noop("the application's positive identifier"))),
    (
        "DAYS_BIRTH",
        Range(
            -_DAYS_BACK,
            -6570,
            gettext_noop("age in days before the application: 18 to 100 years"),
        ),
    ),
    (
        "DAYS_EMPLOYED",
        Range(
            -_DAYS_BACK,
            0,
            gettext_noop(
                "days employed before the application, negative; 365243 means not employed"
            ),
            also=(schema.DAYS_EMPLOYED_SENTINEL,),
        ),
    ),
    ("DAYS_.*", Range(-_DAYS_BACK, 0, gettext_noop("days before the application, negative or 0"))),
    ("AMT_.*", Range(0, 1e10, gettext_noop("an amount or a count, never negative"))),
    ("EXT_SOURCE_[0-9]+", Range(0, 1, gettext_noop("a normalised external score"))),
    ("FLAG_.*", Range(0, 1, _YES_NO)),
    ("(REG|LIVE)_(REGION|CITY)_NOT_.*", Range(0, 1, _YES_NO)),
    ("REGION_POPULATION_RELATIVE", Range(0, 1, gettext_noop("a normalised population density"))),
    # Kaggle's own data holds one -1 rating; refusing it would refuse a real row.
    ("REGION_RATING_CLIENT.*", Range(-1, 3, gettext_noop("the region's rating, 1 to 3"))),
    ("HOUR_APPR_PROCESS_START", Range(0, 23, gettext_noop("an hour of the day"))),
    ("CNT_CHILDREN", Range(0, 30, gettext_noop("a number of children"))),
    ("CNT_FAM_MEMBERS", Range(1, 40, gettext_noop("family members, the client included"))),
    ("OWN_CAR_AGE", Range(0, 100, gettext_noop("the car's age in years"))),
    (".*_CNT_SOCIAL_CIRCLE", Range(0, 10_000, gettext_noop("a number of acquaintances"))),
    (".*_(AVG|MODE|MEDI)", Range(0, 1, gettext_noop("a normalised statistic of the building"))),
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

_lazy_range_message = lazy(lambda allowed, name: allowed.message(name), str)

_EMPTY_REQUIRED = gettext_lazy("This field cannot be empty: a score means nothing without it.")
REQUIRED_MESSAGES = {
    "required": gettext_lazy("This field is required: a score means nothing without it."),
    "null": _EMPTY_REQUIRED,
    "blank": _EMPTY_REQUIRED,
}


class _NotBooleanMixin(serializers.Field):
    # DRF would read true as 1.0 in a float field. (It already refuses NaN and infinities.)
    default_error_messages: ClassVar[dict[str, StrOrPromise]] = {
        "boolean": gettext_lazy("expected a number, not true/false.")
    }

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool):
            self.fail("boolean")
        return super().to_internal_value(data)


class KaggleFloatField(_NotBooleanMixin, serializers.FloatField):
    pass


class KaggleIntegerField(_NotBooleanMixin, serializers.IntegerField):
    pass


class KaggleLevelField(serializers.ChoiceField):
    """A categorical column: one of its levels (an enum in the schema); "" means unknown."""

    def __init__(self, *, name: str, choices: tuple[str, ...], **kwargs) -> None:
        self.column_name = name
        super().__init__(choices=choices, **kwargs)

    default_error_messages = {"blank": gettext_lazy("This field cannot be empty.")}

    def to_internal_value(self, data):
        if data == "":
            if self.allow_blank:
                return ""
            self.fail("blank")
        if isinstance(data, int) and not isinstance(data, bool):
            data = str(data)  # bureau_balance's STATUS "0" to "5", sent as a number
        if isinstance(data, str) and data in self.choice_strings_to_values:
            return self.choice_strings_to_values[data]
        raise serializers.ValidationError(self._refusal(data), code="invalid_choice")

    def _refusal(self, data: Any) -> str:
        allowed = ", ".join(repr(level) for level in self.choices)
        values = {"name": self.column_name, "value": repr(data), "allowed": allowed}
        if isinstance(data, str):
            close = [level for level in self.choices if level.casefold() == data.casefold()]
            if close:
                values["close"] = repr(close[0])
                return (
                    gettext("%(value)s is not a level of %(name)s: did you mean %(close)s?")
                    % values
                )
        return gettext("%(value)s is not a level of %(name)s; allowed: %(allowed)s.") % values


def kaggle_field(
    column: schema.Column,
    *,
    table: str = "application",
    required: bool = False,
    checked: bool = True,
):
    """The serializer field of one Kaggle column of `table`.

    `required`: it must be given, and neither null nor empty. `checked`
    applies the application ranges to numbers.
    """
    common: dict[str, Any] = {"required": required, "allow_null": not required}
    if required:
        common["error_messages"] = REQUIRED_MESSAGES
    if column.kind == schema.STR:
        unknown = "" if required else " Null or empty: unknown."
        return KaggleLevelField(
            name=column.name,
            choices=levels(table, column.name),
            allow_blank=not required,
            help_text=f"{column.name}: one of the levels of Kaggle's data.{unknown}",
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
            help_text=allowed.description(column.name),
            **common,
        )
    message = _lazy_range_message(allowed, column.name)
    return field_class(
        validators=[
            MinValueValidator(allowed.minimum, message=message),
            MaxValueValidator(allowed.maximum, message=message),
        ],
        help_text=allowed.description(column.name),
        **common,
    )


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


def _unknown_field_message(name: str, known: Mapping[str, Any]) -> str:
    values = {"name": repr(name), "upper": str(name).upper()}
    if name in READ_ONLY_COLUMNS:
        return (
            gettext("%(upper)s is the observed outcome; it cannot be written through the API.")
            % values
        )
    if isinstance(name, str) and name.upper() in known:
        return (
            gettext("unknown field %(name)s: Kaggle names are upper case, did you mean %(upper)s?")
            % values
        )
    return gettext("unknown field %(name)s: not a column of the Kaggle table.") % values


class StrictFieldsSerializer(serializers.Serializer):
    """Refuses keys it does not declare, naming each one, alongside the other field errors."""

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            raise serializers.ValidationError(
                {"non_field_errors": [gettext("expected a JSON object of Kaggle fields.")]}
            )
        errors: dict[str, Any] = {
            str(name): [_unknown_field_message(name, self.fields)]
            for name in data
            if name not in self.fields or self.fields[name].read_only
        }
        try:
            values = super().to_internal_value(data)
        except serializers.ValidationError as error:
            detail = error.detail
            errors.update(detail if isinstance(detail, dict) else {"non_field_errors": detail})
        if errors:
            raise serializers.ValidationError(errors)
        # Text left empty means unknown, as an empty cell of a Kaggle file.
        return {name: (None if value == "" else value) for name, value in values.items()}


def serializer_class(
    name: str, fields: dict[str, Any], doc: str, *, module: str, base=StrictFieldsSerializer
):
    """A serializer class named `name` with `fields`, defined (for its repr) in `module`."""
    return type(name, (base,), {"__module__": module, "__doc__": doc, **fields})


def application_fields(*, sk_id_required: bool, scoring_required: bool) -> dict[str, Any]:
    """The writable Kaggle fields of an application (TARGET never is).

    `sk_id_required`: SK_ID_CURR must be given (creation); `scoring_required`:
    so must `REQUIRED_FIELDS` (creation, replacement, prediction).
    """
    return {
        column.name: kaggle_field(
            column,
            required=(sk_id_required and column.name == "SK_ID_CURR")
            or (scoring_required and column.name in REQUIRED_FIELDS),
        )
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
