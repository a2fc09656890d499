"""Applications in and out: creation, update (PUT/PATCH) and the application as read."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from api.serializers.fields import (
    READ_ONLY_COLUMNS,
    REQUIRED_RULE,
    application_fields,
    output_field,
    serializer_class,
)
from clients.models import Application
from ml import schema

ApplicationCreateSerializer = serializer_class(
    "ApplicationCreateSerializer",
    application_fields(sk_id_required=True, scoring_required=True),
    f"A new application: SK_ID_CURR and its Kaggle application fields. {REQUIRED_RULE}",
    module=__name__,
)
# PUT replaces the application, so it needs what a creation needs; PATCH
# (partial=True) changes only the fields given, but cannot empty a required one.
ApplicationUpdateSerializer = serializer_class(
    "ApplicationUpdateSerializer",
    application_fields(sk_id_required=False, scoring_required=True),
    "Kaggle application fields; SK_ID_CURR, if given, must be the one of the URL. "
    f"{REQUIRED_RULE} (PATCH: only the fields given change, and a required one cannot be "
    "emptied.)",
    module=__name__,
)


class _ApplicationOutputBase(serializers.Serializer):
    advisor = serializers.CharField(
        source="advisor.username",
        read_only=True,
        allow_null=True,
        help_text="Username of the advisor in charge (null: not assigned yet).",
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


ApplicationSerializer = serializer_class(
    "ApplicationSerializer",
    {
        column.name: output_field(column)
        for column in schema.APPLICATION.columns
        if column.name not in READ_ONLY_COLUMNS
    },
    "An application: its Kaggle fields (TARGET is never shown) and who is in charge.",
    base=_ApplicationOutputBase,
    module=__name__,
)


def application_url(request, application: Application) -> str:
    return request.build_absolute_uri(
        reverse("api:application-detail", kwargs={"sk_id_curr": application.pk})
    )
