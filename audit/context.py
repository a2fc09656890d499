"""The request being served, for "from where" (address, channel) of the events recorded during it.

Services deep below the views record events (a decision, a score request) and
know who acted, but not the request that carried the action. Rather than
threading the request through every service, `AuditMiddleware` keeps it in a
context variable for as long as it is served, and `audit_event_record` reads
the client address and the channel from it. Outside a request (commands,
Celery workers) there is none: the caller names the channel.

The middleware also records refusals: a signed-in user answered 403 (the access
rules, the portal's "clients stay in the portal", CSRF failures) leaves an
`access.denied` event, written after the view's own work was rolled back, so
it is never lost with it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def current_request() -> HttpRequest | None:
    """The request this thread (or task) is serving, if any."""
    return _current_request.get()


class AuditMiddleware:
    """Makes the request known to the audit service; records the refusals (HTTP 403)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
            if response.status_code == 403:
                _record_refusal(request)
            return response
        finally:
            _current_request.reset(token)


def _record_refusal(request: HttpRequest) -> None:
    user = getattr(request, "user", None)
    # Anonymous refusals are left out: anyone could fill the trail with them
    # (failed logins, which are recorded, are throttled by the lockout instead).
    if user is None or not user.is_authenticated:
        return
    from audit.models import Action
    from audit.services import audit_event_record

    audit_event_record(
        action=Action.ACCESS_DENIED,
        actor=user,
        request=request,
        detail={"method": request.method, "path": request.path[:500]},
    )
