"""A Redis cache that fails open: with Redis down, reads miss and writes are dropped, and the page still serves.

Nothing the app must remember lives in the cache (sessions are in the database), so losing it costs speed,
never data. After a failure the cache does not ask Redis again for `RETRY_AFTER_SECONDS`, so that a Redis
that is down (or a host that swallows packets, where each try would wait for the connect timeout) costs
each request nothing; it logs once per outage, not once per call.
"""

import logging
import threading
from collections.abc import Callable
from functools import partial
from time import monotonic
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._down = False

    def _call(self, operation: Callable[[], Any], fallback: Any) -> Any:
        if monotonic() < self._down_until:
            return fallback
        try:
            result = operation()
        except RedisError as error:
            self._failed(error)
            return fallback
        if self._down:
            with self._lock:
                self._down = False
            logger.warning("Redis cache is back")
        return result

    def _failed(self, error: RedisError) -> None:
        with self._lock:
            first = not self._down
            self._down = True
            self._down_until = monotonic() + RETRY_AFTER_SECONDS
        if first:
            logger.warning(
                "Redis cache unavailable (%s): serving without it, trying again every %.0f s",
                error,
                RETRY_AFTER_SECONDS,
            )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(partial(RedisCache.add, self, key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._call(partial(RedisCache.get, self, key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(partial(RedisCache.set, self, key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(partial(RedisCache.touch, self, key, timeout, version), False)

    def delete(self, key, version=None):
        return self._call(partial(RedisCache.delete, self, key, version), False)

    def get_many(self, keys, version=None):
        return self._call(partial(RedisCache.get_many, self, keys, version), {})

    def has_key(self, key, version=None):
        return self._call(partial(RedisCache.has_key, self, key, version), False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._call(partial(RedisCache.incr, self, key, delta, version), missing)
        if result is missing:
            # As a cache that has lost the key: callers already handle that (add, then incr).
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(partial(RedisCache.set_many, self, data, timeout, version), list(data))

    def delete_many(self, keys, version=None):
        self._call(partial(RedisCache.delete_many, self, keys, version), None)

    def clear(self):
        return self._call(partial(RedisCache.clear, self), False)
