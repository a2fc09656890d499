"""The client's address as this deployment can trust it (login lockout, audit trail, throttles).

`X-Forwarded-For` is written by whoever sends the request, so it is read only
as far as our own proxies vouch for it: with `TRUSTED_PROXY_COUNT = N` (the
number of reverse proxies in front of the web processes, 0 by default), the
address is the N-th entry from the right of `X-Forwarded-For` (each proxy
appends the address it received the request from), and `REMOTE_ADDR` when
N is 0 or the header is shorter than N. A client that adds entries of its
own only adds them on the left, which is never read.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address of the client of `request` (empty when none can be read)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
