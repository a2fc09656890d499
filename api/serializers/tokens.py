"""The token answered by POST /auth/token."""

from __future__ import annotations

from rest_framework import serializers


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The key: shown this once, keep it secret.")
    expires_at = serializers.DateTimeField(help_text="After this, the token is refused.")


class TokenRequestSerializer(serializers.Serializer):
    """What POST /auth/token reads: two strings, bounded, without NUL characters (which
    PostgreSQL refuses: a NUL in a username once reached the lockout's query as a 500)."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        style={"input_type": "password"}, trim_whitespace=False, max_length=4096
    )
