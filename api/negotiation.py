"""The language of an API response, negotiated with its format.

DRF negotiates a response's format first thing in a request, before it
authenticates the caller, checks their permission and throttles them, and
long before a body is validated. Choosing the language there too puts every
message of the response (authentication, permission, throttling, validation,
ours and DRF's own) in one language: the `lang` query parameter when it
names a language we write (fr, en), else the one Django's LocaleMiddleware
negotiated (Accept-Language, else the site's default, French). The
response's Content-Language header says which.

A `lang` we do not write is left to the views that document the parameter
(`api.common.language_param`, a 400 there); elsewhere it is ignored.
"""

from __future__ import annotations

from django.utils import translation
from rest_framework.negotiation import DefaultContentNegotiation

from formatting import languages


class LanguageAndContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        requested = request.query_params.get("lang")
        if requested in languages():
            translation.activate(requested)
            # What LocaleMiddleware set, for whatever reads it later in the request.
            request._request.LANGUAGE_CODE = requested
        return super().select_renderer(request, renderers, format_suffix)
