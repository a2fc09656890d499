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


# -- the error answers every operation may give ------------------------------------------
#
# drf-spectacular documents the answers a view declares; the ones the framework gives
# around it (authentication, permissions, throttling, a record outside one's scope, a
# body that cannot be parsed) were missing, so a client generated from the schema, or a
# fuzzer checking answers against it (tests/api/test_fuzz.py), met undocumented codes.

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "An error: `detail` says what went wrong, in the response's language; a 400 "
        "names each field in error instead (`{field: [messages]}`); a 5xx gives a "
        "`reference` to quote to the support team."
    ),
    "properties": {
        "detail": {"type": "string"},
        "reference": {"type": "string"},
    },
    "additionalProperties": True,
}

ERRORS = {
    "400": "The request is invalid: each field in error is named with what is expected.",
    "401": "No credentials, or an invalid, expired or revoked token.",
    "403": "Your role does not allow this operation.",
    "404": "Nothing with this identifier among the records you may see (or no such page).",
    "406": "No answer in the format the Accept header asks for (JSON is served).",
    "413": "The request body is larger than the API accepts.",
    "415": "The body's Content-Type is not one this operation reads.",
    "429": "Too many requests: wait the number of seconds the Retry-After header says.",
}


def document_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: each operation's possible error answers."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "put", "post", "patch", "delete"):
                continue
            codes = ["401", "403", "406", "429"]
            parameters = operation.get("parameters", [])
            # A path names a record; a list's page past the last one is "not found" too.
            if any(p.get("in") == "path" or p.get("name") == "page" for p in parameters):
                codes.append("404")
            if parameters or "requestBody" in operation:
                codes.append("400")
            if "requestBody" in operation:
                codes += ["413", "415"]
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, {"description": ERRORS[code], "content": reference})
    return result
