"""How API callers authenticate: `Authorization: Token <key>`, and a clear 401 for another scheme.

`ApiTokenAuthentication` checks the key against the digests of accounts.ApiToken:
a revoked or expired token, or one whose account is disabled, is refused like
an unknown one (401).

`TokenSchemeHint`: DRF's TokenAuthentication only reads `Authorization: Token
<key>`; any other scheme is silently ignored, so `Authorization: Bearer <key>`
(what most HTTP clients and OAuth habits send) used to get "Authentication
credentials were not provided." with no hint. This class runs first and refuses
a header in another scheme with a message naming ours. It authenticates nobody
itself: the token class and the session behind it do.

Being first, it also gives the `WWW-Authenticate: Token` header of every
401, which DRF takes from the first authentication class.
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import (
    BaseAuthentication,
    TokenAuthentication,
    get_authorization_header,
)
from rest_framework.exceptions import AuthenticationFailed

from accounts.selectors import api_token_usable
from accounts.services import api_token_mark_used

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


class ApiTokenAuthentication(TokenAuthentication):
    keyword = SCHEME

    def authenticate_credentials(self, key: str):
        token = api_token_usable(key=key)
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(_("Invalid, expired or revoked token."))
        api_token_mark_used(token=token)
        return token.user, token
