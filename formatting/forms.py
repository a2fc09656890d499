"""Reading back what `formatting` writes: a form field for a number typed the page's way.

Here rather than in one of the interfaces: the advisors' what-if form (dashboard) and
the client's review request (portal) both take numbers, and interfaces may not import
each other. It is `formatting.parse_number` as a Django form field.
"""

from __future__ import annotations

from typing import Any

from django import forms

import formatting


class LocalNumberField(forms.FloatField):
    """A number typed the way the page's language writes it: "180 000" or "12,5" in French,
    "180,000" or "12.5" in English (spaces and underscores are ignored in both)."""

    widget = forms.TextInput

    # django-stubs gives FloatField the to_python() of IntegerField, its base (int | None).
    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        if isinstance(value, str) and value.strip():
            try:
                return formatting.parse_number(value)
            except ValueError:
                pass  # the field's own message ("Enter a number.")
        return super().to_python(value)
