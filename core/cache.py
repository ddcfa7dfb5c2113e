"""Django's Redis cache, made safe to lose: Redis is a cache and a queue, never a reason a page fails.

Every call goes through Django's own backend (its public methods only). When Redis does not
answer (refused, timed out, loading), the call answers as a miss does: `get` gives the default,
`add` and `touch` give False, writes do nothing; and for `RETRY_AFTER` seconds Redis is not asked
again, so a page during an outage does not wait on a refused connection for each of its reads.
What needs to know (login throttling, which must not let unlimited tries through) asks
`cache_reachable()`.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

#: What Redis raises when it is away (BusyLoadingError, while it loads, is a ConnectionError).
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
#: Seconds after a failure during which Redis is taken to be away without asking it.
RETRY_AFTER = 2.0


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._away_until = 0.0

    def _safely(self, failed, call, *args, **kwargs):
        if time.monotonic() < self._away_until:
            return failed
        try:
            return call(*args, **kwargs)
        except UNAVAILABLE as error:
            if not self._away_until:
                log.warning("Redis is not answering (%s); reads are drawn fresh until it is back.", error)
            self._away_until = time.monotonic() + RETRY_AFTER
            return failed

    def reachable(self) -> bool:
        """Whether Redis answers now (asked, not remembered)."""
        self._away_until = 0.0
        try:
            super().has_key("fieldgate:reachable")
        except UNAVAILABLE:
            self._away_until = time.monotonic() + RETRY_AFTER
            return False
        return True

    def get(self, key, default=None, version=None):
        return self._safely(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._safely({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._safely(False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely(False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._safely(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely(list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._safely(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        self._safely(None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        value = self._safely(None, super().incr, key, delta, version)
        if value is None:
            raise ValueError(f"Key '{key}' not found (the cache is not answering).")
        return value

    def clear(self):
        self._safely(None, super().clear)


def cache_reachable() -> bool:
    """Whether the default cache answers now (always, for a cache that is not Redis)."""
    from django.core.cache import cache

    reachable = getattr(cache, "reachable", None)
    return reachable() if reachable is not None else True
