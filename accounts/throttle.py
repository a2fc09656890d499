"""A small counter of events per key and time window, kept in Django's cache (Redis).

For what django-axes does not cover because nobody logs in: the password reset
form, which sends mail. Redis counts for every web process and machine at once
(`INCR` is atomic); the window starts with the first event of a key.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _cache_key(scope: str, key: str) -> str:
    # Hashed: keys are e-mail addresses and client addresses, which stay out of Redis.
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()
    return f"limit:{scope}:{digest}"


def limit_exceeded(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one more event of `key` in `scope`; True once more than `limit` fell in `window` s."""
    cache_key = _cache_key(scope, key)
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this event opens a new window
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count > limit
