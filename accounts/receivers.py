"""What a login writes into its new session, once (connected in accounts/apps.py)."""

from __future__ import annotations

import time

from django_otp import user_has_device

from accounts.middleware import LAST_ACTIVITY_KEY
from accounts.second_factor import remember_device


def session_start(sender, request, user, **kwargs) -> None:
    """The session's first activity and whether its user has a second factor to confirm.

    Written with the login's own session save, so that the pages that follow
    cost no extra query or write for either (accounts/middleware.py).
    """
    session = getattr(request, "session", None)
    if session is None:
        return
    session[LAST_ACTIVITY_KEY] = int(time.time())
    remember_device(request, has_device=user_has_device(user, confirmed=True))
