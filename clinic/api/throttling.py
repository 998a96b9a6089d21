"""DRF's throttles, counted exactly across the workers of one machine, at a fixed cost a request.

A throttle reads the client's count and writes it back; two workers answering the same client
at once both read the old count and one write is lost, so a client got more than its limit.

DRF keeps every request's time for the whole period (up to 2,000 for the user limit), read and
written again on every request. Here the state is three numbers: a sliding-window counter. The
period is cut into fixed windows; a request is allowed while the requests of the current window
plus the previous window's, weighted by how much of it still overlaps the last period, stay
under the limit (rounded up, so the estimate never lets more through than the limit).

Where the counts live follows the cache (settings.CACHES): with the file cache (one machine)
each client's count for a scope is a 24-byte file beside it, read and overwritten in place
under an exclusive lock on that file, so the count is exact across the workers and one client
never waits for another. (Writing it through the file cache would replace a file on every
request: a rename, which ext4 makes wait until the new file's data is on disk.) With any other
cache (Redis, for several servers) each count is read and written in one Redis transaction
(WATCH, MULTI/EXEC), exact across servers. Any other cache (the tests' memory cache) holds
the counts of one process.
"""

import fcntl
import hashlib
import math
import os
import random
import struct
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from rest_framework import throttling

COUNTS = struct.Struct("<qqq")  # window number, requests in the previous window, in this one
Counts = tuple[int, int, int]
# Given the stored counts (None: none yet), the counts to store, or None to refuse the request.
Count = Callable[[Counts | None], Counts | None]
# The longest period DRF's rates allow is a day; a count untouched for two is stale.
STALE_SECONDS = 2 * 86400
SWEEP_ONE_WRITE_IN = 1000


class FileCounts:
    """Counts in small files beside the file cache, each locked while it is read and written."""

    def __init__(self, folder: Path):
        self.folder = folder / "throttle"

    def update(self, key: str, count: Count, timeout: float) -> bool:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = hashlib.sha256(key.encode()).hexdigest()[:32]
        fd = os.open(self.folder / name, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            data = os.pread(fd, COUNTS.size, 0)
            counted = count(COUNTS.unpack(data) if len(data) == COUNTS.size else None)
            if counted is not None:
                os.pwrite(fd, COUNTS.pack(*counted), 0)
        finally:
            os.close(fd)
        if random.randrange(SWEEP_ONE_WRITE_IN) == 0:
            self.sweep()
        return counted is not None

    def sweep(self) -> None:
        """Deletes the counts of clients not seen for longer than any period."""
        oldest = time.time() - STALE_SECONDS
        for path in self.folder.iterdir():
            if path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)


class RedisCounts:
    """Counts in Redis, each read and written in one optimistic transaction (WATCH, then
    MULTI/EXEC): when another worker or server changes the count in between, EXEC fails and
    this request is counted again from the new value, so the count is exact across servers."""

    def update(self, key: str, count: Count, timeout: float) -> bool:
        # Here, not at the top: the redis package is installed only where REDIS_URL is set.
        from redis.exceptions import WatchError

        backend = caches["default"]
        redis_key = backend.make_and_validate_key(key)
        # Django's Redis backend picks the server for a key and owns the connection pool.
        client = backend._cache.get_client(redis_key, write=True)  # type: ignore[attr-defined]
        with client.pipeline() as transaction:
            while True:
                try:
                    transaction.watch(redis_key)
                    data = transaction.get(redis_key)
                    counted = count(COUNTS.unpack(data) if data else None)
                    if counted is None:
                        return False
                    transaction.multi()
                    transaction.set(redis_key, COUNTS.pack(*counted), ex=math.ceil(timeout))
                    transaction.execute()
                    return True
                except WatchError:
                    continue


class CacheCounts:
    """Counts in any other cache (the tests' memory cache: one process), read and written."""

    def update(self, key: str, count: Count, timeout: float) -> bool:
        counted = count(cache.get(key))
        if counted is not None:
            cache.set(key, counted, timeout)
        return counted is not None


def counts_store():
    backend = caches["default"]
    if isinstance(backend, FileBasedCache):
        return FileCounts(Path(settings.CACHES["default"]["LOCATION"]))
    if isinstance(backend, RedisCache):
        return RedisCounts()
    return CacheCounts()


class SlidingWindowRateThrottle(throttling.SimpleRateThrottle):
    """DRF's rates, scopes and keys; this counter. Listed after a DRF throttle among the bases,
    so that throttle's own `allow_request` (the scoped one picks its rate there) runs first."""

    # Not DRF's key: a request-time list left there by an earlier version is never read.
    cache_format = "throttle-window_%(scope)s_%(ident)s"
    duration: float
    num_requests: int

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        return counts_store().update(self.key, self._count_this_request, 2 * self.duration)

    def _count_this_request(self, stored: Counts | None) -> Counts | None:
        """The counts with this request added, or None when it is over the limit."""
        self.now = self.timer()
        window, self.previous, self.current = self._counts(stored)
        self.window_start = window * self.duration
        overlap = 1 - (self.now - self.window_start) / self.duration
        if self.current + math.ceil(self.previous * overlap) >= self.num_requests:
            return None
        return (window, self.previous, self.current + 1)

    def _counts(self, stored) -> tuple[int, int, int]:
        """(the current window's number, requests in the previous window, in this one)."""
        window = int(self.now // self.duration)
        stored_window, previous, current = stored or (window, 0, 0)
        if stored_window == window - 1:
            return window, current, 0
        if stored_window != window:
            return window, 0, 0
        return window, previous, current

    def wait(self):
        """Seconds until the estimate falls under the limit again."""
        window_end = self.window_start + self.duration
        if self.current >= self.num_requests:
            # This window's requests become the previous window's and must fade enough.
            fade = 1 - (self.num_requests - 1) / self.current
            return window_end - self.now + self.duration * fade
        fade = 1 - (self.num_requests - 1 - self.current) / self.previous
        return max(self.window_start + self.duration * fade - self.now, 0.001)


class UserRateThrottle(throttling.UserRateThrottle, SlidingWindowRateThrottle):
    pass


class AnonRateThrottle(throttling.AnonRateThrottle, SlidingWindowRateThrottle):
    pass


class ScopedRateThrottle(throttling.ScopedRateThrottle, SlidingWindowRateThrottle):
    pass
