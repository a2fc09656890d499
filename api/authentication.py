"""`Authorization: Token <key>`: the key checked against the digests of accounts.ApiToken.

A revoked or expired token, or one whose account is disabled, is refused like
an unknown one (401).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from accounts.selectors import api_token_usable
from accounts.services import api_token_mark_used


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str):
        token = api_token_usable(key=key)
        if token is None or not token.user.is_active:
            raise AuthenticationFailed(_("Invalid, expired or revoked token."))
        api_token_mark_used(token=token)
        return token.user, token
