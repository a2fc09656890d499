"""The model's decision withheld under manual review (AI Act art. 14), in every API answer.

While the switch is on (scoring/governance.py), `decision` is null and
`manual_review` is true: the probability stays as advice, a person decides.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from scoring.governance import manual_review_on

MANUAL_REVIEW_HELP = (
    "True while the model is advisory only (manual review): `decision` is then null, "
    "and a person decides every application."
)


def manual_review_field() -> serializers.BooleanField:
    return serializers.BooleanField(read_only=True, default=False, help_text=MANUAL_REVIEW_HELP)


def decision_field(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        allow_null=True,
        help_text="granted or refused: the model's proposal; null under manual review.",
        **kwargs,
    )


def decision_withheld(data: dict[str, Any]) -> dict[str, Any]:
    """`data` (an answer with a `decision`) with the decision withheld under manual review."""
    on = manual_review_on()
    data["manual_review"] = on
    if on:
        data["decision"] = None
    return data


class WithholdsDecision:
    """Mixin of a serializer with `decision` and `manual_review` fields."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return decision_withheld(super().to_representation(instance))  # type: ignore[misc]
