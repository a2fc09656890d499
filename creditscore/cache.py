"""Django's Redis cache, degraded to "nothing cached" while Redis is down.

The cache holds what can be computed again (health reports, chart data, rate-limit
counters): when Redis cannot be reached, a read is a miss and a write is dropped,
so pages that need no new score keep working from the database. After a failure
the cache stays off for `RETRY_AFTER_SECONDS` in this process: each call would
otherwise wait on a connection (and redis-py's retries) before failing again.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _degrading(default: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Run the cache call, or answer `default(*args, **kwargs)` while Redis is down."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def wrapper(self: DegradingRedisCache, *args: Any, **kwargs: Any) -> Any:
            if time.monotonic() < self._down_until:
                return default(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
                logger.warning(
                    "cache unreachable, working without it for %.0f s: %s",
                    RETRY_AFTER_SECONDS,
                    error,
                )
                return default(*args, **kwargs)

        return wrapper

    return decorate


def _default_argument(*args: Any, default: Any = None, **kwargs: Any) -> Any:
    """What `get(key, default)` answers on a miss."""
    return args[1] if len(args) > 1 else default


class DegradingRedisCache(RedisCache):
    _down_until = 0.0

    get = _degrading(_default_argument)(RedisCache.get)
    get_many = _degrading(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _degrading(lambda *a, **k: False)(RedisCache.has_key)
    add = _degrading(lambda *a, **k: False)(RedisCache.add)
    set = _degrading(lambda *a, **k: None)(RedisCache.set)
    set_many = _degrading(lambda *a, **k: [])(RedisCache.set_many)
    touch = _degrading(lambda *a, **k: False)(RedisCache.touch)
    delete = _degrading(lambda *a, **k: False)(RedisCache.delete)
    delete_many = _degrading(lambda *a, **k: None)(RedisCache.delete_many)
    clear = _degrading(lambda *a, **k: None)(RedisCache.clear)

    @_degrading(lambda *a, **k: _missing_counter(*a, **k))
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return super().incr(key, delta, version)


def _missing_counter(key: Any, *args: Any, **kwargs: Any) -> int:
    # Django's incr raises ValueError for a missing key; callers (rate limits) handle it.
    raise ValueError(f"Key {key!r} not found (the cache is unreachable)")
