"""Response headers every dynamic response carries (static files are answered before this)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

# Features no page of ours uses, refused to any script that would ask.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class PrivateResponseMiddleware:
    """`Cache-Control: no-store, private` and a Permissions-Policy on every dynamic response.

    Pages, fragments, API answers and reports hold client data (or the user's
    name in the menu): no browser, proxy or shared cache may keep a copy, and the
    back button after a logout must not show one. The simplest rule that cannot
    miss a page is "every response that is not a static file". WhiteNoise sits
    above this middleware and answers static files itself, with their long
    cache lifetime.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
