"""Throttles whose rates are read at request time.

DRF's throttles copy `DEFAULT_THROTTLE_RATES` into a class attribute when
`rest_framework.throttling` is imported, so a rate changed later (an
override in tests, a settings reload) would be ignored. These read
`api_settings` on every request instead (DRF reloads `api_settings` when the
`REST_FRAMEWORK` setting changes).

History is kept in Django's cache (Redis), so every gunicorn worker and
every machine counts the same requests.

Anonymous callers are counted per client address as `accounts.network.client_address`
reads it: DRF's own `get_ident` believes the raw X-Forwarded-For when
NUM_PROXIES is unset, so a caller changing that header would start afresh.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from rest_framework import throttling
from rest_framework.settings import api_settings

from accounts.network import client_address


class _RatesAtRequestTime:
    scope: str | None

    def get_rate(self) -> str | None:
        # The rates are strings ("600/minute"); django-stubs types this setting as numbers.
        rates: dict[str, str | None] = api_settings.DEFAULT_THROTTLE_RATES  # type: ignore[assignment]
        if self.scope not in rates:
            raise ImproperlyConfigured(f"no throttle rate for scope {self.scope!r} in settings")
        return rates[self.scope]

    def get_ident(self, request) -> str:
        return client_address(request)


class UserRateThrottle(_RatesAtRequestTime, throttling.UserRateThrottle):
    """Per user, hence per token: rate "user" (anonymous calls: per address)."""


class AnonRateThrottle(_RatesAtRequestTime, throttling.AnonRateThrottle):
    """Per client address, unauthenticated calls only (token requests): rate "anon"."""


class ScopedRateThrottle(_RatesAtRequestTime, throttling.ScopedRateThrottle):
    """Per user and per `throttle_scope` of the view (e.g. "predict"), on top of "user"."""
