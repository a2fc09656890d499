"""drf-spectacular extensions: how the API's own classes appear in the OpenAPI schema.

Imported by ApiConfig.ready(), as drf-spectacular finds extensions by subclassing.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenSchemeHintScheme(OpenApiAuthenticationExtension):
    """api.authentication.TokenSchemeHint authenticates nobody: no security scheme of its own
    (the token and session schemes are documented from their own classes)."""

    target_class = "api.authentication.TokenSchemeHint"
    name: list[str] = []

    def get_security_requirement(self, auto_schema):
        return None

    def get_security_definition(self, auto_schema):
        return []
