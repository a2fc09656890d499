"""Reads on user accounts."""

from __future__ import annotations

from accounts.models import ApiToken, api_token_digest


def api_token_usable(*, key: str) -> ApiToken | None:
    """The token whose key is `key`, if it is neither revoked nor expired (with its user).

    Looked up by digest: the key itself is nowhere in the database.
    """
    if not key:
        return None
    return (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(key_digest=api_token_digest(key))
        .first()
    )
