"""Helpers for comparing pages."""

from __future__ import annotations

import re


def without_per_request_values(page: bytes) -> str:
    """The page less what differs on every request whatever the data: the CSRF token
    (masked anew each time) and the current path (the language switch returns to it)."""
    text = page.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    return re.sub(r'name="next" value="[^"]*"', "", text)
