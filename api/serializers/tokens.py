"""The token answered by POST /auth/token."""

from __future__ import annotations

from rest_framework import serializers


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
