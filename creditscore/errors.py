"""The error pages: styled like the site, in the page's language, naming nothing internal.

Wired in creditscore/urls.py (handler400/403/404/500) and as CSRF_FAILURE_VIEW.
A 500 gets a reference, logged with the exception and shown to the user, so
that support can find the details without the page showing any. The 400 and
500 pages render without the request's context (no context processor, no
database query): whatever broke the request must not break its error page.
API paths answer JSON instead of a page.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext

from api.exceptions import error_reference

logger = logging.getLogger(__name__)


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": gettext("Bad request.")}, status=400)
    return HttpResponse(loader.get_template("400.html").render({}), status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": gettext("You do not have permission to perform this action.")}, status=403
        )
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return render(request, "404.html", status=404)


# A lost database connection (PostgreSQL restarting, a failover) lasts seconds: the
# caller is asked to retry rather than told something broke. Nothing was half-written:
# every write is in a transaction, rolled back with the connection.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    # Called while Django handles the exception: exc_info logs its traceback.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return _service_unavailable(request)
    reference = error_reference()
    logger.error(
        "internal error (reference %s) on %s %s",
        reference,
        request.method,
        request.path,
        exc_info=True,
    )
    if _is_api(request):
        return JsonResponse(
            {
                "detail": gettext(
                    "Something went wrong on our side. If this goes on, give the reference "
                    "%(reference)s to the support team."
                )
                % {"reference": reference},
                "reference": reference,
            },
            status=500,
        )
    page = loader.get_template("500.html").render({"reference": reference})
    return HttpResponse(page, status=500)


def _service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After while the database cannot be reached (no traceback, no detail)."""
    reference = error_reference()
    logger.error(
        "database unavailable (reference %s) on %s %s",
        reference,
        request.method,
        request.path,
        exc_info=True,
    )
    if _is_api(request):
        response: HttpResponse = JsonResponse(
            {
                "detail": gettext(
                    "The service is briefly unavailable. Nothing was recorded: try again in "
                    "a moment."
                ),
                "code": "service_unavailable",
                "reference": reference,
            },
            status=503,
        )
    else:
        page = loader.get_template("503.html").render({"reference": reference})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token (usually a page left open past the session)."""
    logger.warning("CSRF failure on %s %s: %s", request.method, request.path, reason)
    return render(request, "403_csrf.html", status=403)
