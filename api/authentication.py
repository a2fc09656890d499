"""A clear 401 for an Authorization header in another scheme than ours.

DRF's TokenAuthentication only reads `Authorization: Token <key>`; any other
scheme is silently ignored, so `Authorization: Bearer <key>` (what most HTTP
clients and OAuth habits send) used to get "Authentication credentials were
not provided." with no hint. This class runs first and refuses a header in
another scheme with a message naming ours. It authenticates nobody itself:
the token class and the session behind it do, whatever they become (tokens
stored hashed, with expiry: this one only reads the scheme).

Being first, it also gives the `WWW-Authenticate: Token` header of every
401, which DRF takes from the first authentication class.
"""

from __future__ import annotations

from django.utils.translation import gettext
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

SCHEME = "Token"


class TokenSchemeHint(BaseAuthentication):
    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() == SCHEME.lower().encode():
            return None  # no header, or ours: the token class reads it
        scheme = header[0].decode("latin-1")
        if len(header) == 1 or not scheme.isalpha() or len(scheme) > 20:
            # A bare key, or something else: never echo what may be a secret.
            message = gettext('Send the API key as "Authorization: Token <key>".')
        else:
            message = gettext(
                'The API does not read the "%(scheme)s" scheme: send the key as '
                '"Authorization: Token <key>".'
            ) % {"scheme": scheme}
        raise AuthenticationFailed(message, code="wrong_scheme")

    def authenticate_header(self, request) -> str:
        return SCHEME
