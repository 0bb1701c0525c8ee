"""Rate limits shared by every form the public can submit (comments, votes, questions, ...).

Counters live in the cache: local memory in the embedded tier, Redis in production, so
every web process of every host counts together. A limit is a fixed window: at most
``limit`` attempts per ``period`` seconds for one (scope, key). Counting is atomic on
both backends (one script on Redis, ``cache.add`` then ``cache.incr`` in local memory),
so simultaneous requests cannot slip past the limit together.

When the cache is down, limits are not enforced (logged once per failure): the unique
constraints behind every write still hold, and refusing every citizen because Redis is
restarting would be worse than a short window without limits.

Usage::

    from tawasul.core import ratelimit

    try:
        ratelimit.hit("comments:ip", client_ip(request), limit=10, period=600)
    except ratelimit.RateLimited as error:
        ...  # tell the person to wait error.retry_after seconds
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.core.cache import cache

log = logging.getLogger("tawasul.ratelimit")


@dataclass
class RateLimited(Exception):
    """Too many attempts; ``retry_after`` is how many seconds until the window ends."""

    scope: str
    retry_after: int

    def __str__(self) -> str:
        return f"rate limit {self.scope}: retry after {self.retry_after}s"

    @property
    def minutes(self) -> int:
        """The wait in whole minutes (at least one), for messages to people."""
        return max(1, math.ceil(self.retry_after / 60))


def _key(scope: str, key: str, window: int) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"tawasul:rl:{scope}:{digest}:{window}"


def count(scope: str, key: str | None, *, period: int) -> int:
    """Attempts counted so far in the current window (0 when none or the cache is down)."""
    if not key:
        return 0
    window = int(time.time() // period)
    try:
        return int(cache.get(_key(scope, key, window)) or 0)
    except Exception:
        log.warning("rate-limit cache unavailable", extra={"scope": scope})
        return 0


def hit(scope: str, key: str | None, *, limit: int, period: int) -> int:
    """Count one attempt of ``key`` in ``scope``; raise :class:`RateLimited` past ``limit``.

    Returns the attempt's number in the window. A missing key (no address known) is not
    limited. The attempt that goes over the limit is counted too, so hammering does not
    reset anything.
    """
    if not key or limit <= 0:
        return 0
    now = time.time()
    window = int(now // period)
    cache_key = _key(scope, key, window)
    try:
        current = _count_one(cache_key, period + 1)
    except Exception:
        log.warning("rate-limit cache unavailable", extra={"scope": scope})
        return 0
    if current > limit:
        retry_after = max(1, math.ceil((window + 1) * period - now))
        raise RateLimited(scope, retry_after)
    return current


# One round trip on Redis: the first attempt of a window creates its counter with an
# expiry, later ones add to it. Atomic, as every script is.
_REDIS_COUNT = """
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return current
"""
_scripts: dict[int, object] = {}


def _count_one(cache_key: str, timeout: int) -> int:
    """Add one to the window's counter and return it."""
    client = getattr(cache, "client", None)
    if client is not None and hasattr(client, "get_client"):  # django-redis
        redis = client.get_client(write=True)
        script = _scripts.get(id(redis))
        if script is None:
            script = _scripts[id(redis)] = redis.register_script(_REDIS_COUNT)
        return int(script(keys=[client.make_key(cache_key)], args=[timeout]))
    if cache.add(cache_key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=timeout)
        return 1


def reset(scope: str, key: str | None, *, period: int) -> None:
    """Forget the current window's count (e.g. after a successful sign-in)."""
    if key:
        try:
            cache.delete(_key(scope, key, int(time.time() // period)))
        except Exception:
            log.warning("rate-limit cache unavailable", extra={"scope": scope})
