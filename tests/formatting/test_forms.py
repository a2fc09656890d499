"""The form field that reads a number the way the page's language writes it
(formatting/forms.py), used by the what-if form and the client's review request."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from formatting.forms import LocalNumberField


@pytest.mark.parametrize(
    ("language", "typed", "number"),
    [("fr", "180 000", 180000.0), ("fr", "12,5", 12.5), ("en", "180,000", 180000.0)],
)
def test_a_number_typed_the_pages_way_is_read_as_that_number(language, typed, number):
    with translation.override(language):
        assert LocalNumberField().clean(typed) == number


def test_what_is_not_a_number_gets_the_fields_own_message():
    with translation.override("en"):
        with pytest.raises(forms.ValidationError) as refused:
            LocalNumberField().clean("twelve")
        assert refused.value.messages == ["Enter a number."]


def test_an_empty_optional_field_reads_as_nothing():
    assert LocalNumberField(required=False).clean("") is None
