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
cache (Redis, for several servers) the count goes through the cache unlocked: a client hitting
two servers at the same moment can get a request or two over.
"""

import fcntl
import hashlib
import math
import os
import random
import struct
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from rest_framework import throttling

COUNTS = struct.Struct("<qqq")  # window number, requests in the previous window, in this one
# The longest period DRF's rates allow is a day; a count untouched for two is stale.
STALE_SECONDS = 2 * 86400
SWEEP_ONE_WRITE_IN = 1000


class FileCounts:
    """Counts in small files beside the file cache, each locked while it is read and written."""

    def __init__(self, folder: Path):
        self.folder = folder / "throttle"

    @contextmanager
    def locked(self, key: str):
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = hashlib.sha256(key.encode()).hexdigest()[:32]
        fd = os.open(self.folder / name, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield _CountFile(fd)
        finally:
            os.close(fd)
        if random.randrange(SWEEP_ONE_WRITE_IN) == 0:
            self.sweep()

    def sweep(self) -> None:
        """Deletes the counts of clients not seen for longer than any period."""
        oldest = time.time() - STALE_SECONDS
        for path in self.folder.iterdir():
            if path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)


class _CountFile:
    def __init__(self, fd: int):
        self.fd = fd

    def read(self) -> tuple[int, int, int] | None:
        data = os.pread(self.fd, COUNTS.size, 0)
        return COUNTS.unpack(data) if len(data) == COUNTS.size else None

    def write(self, counts: tuple[int, int, int], timeout: int) -> None:
        os.pwrite(self.fd, COUNTS.pack(*counts), 0)


class CacheCounts:
    """Counts in the shared cache (Redis across servers), read and written without a lock."""

    @contextmanager
    def locked(self, key: str):
        yield _CacheEntry(key)


class _CacheEntry:
    def __init__(self, key: str):
        self.key = key

    def read(self) -> tuple[int, int, int] | None:
        return cache.get(self.key)

    def write(self, counts: tuple[int, int, int], timeout: int) -> None:
        cache.set(self.key, counts, timeout)


def counts_store():
    if isinstance(caches["default"], FileBasedCache):
        return FileCounts(Path(settings.CACHES["default"]["LOCATION"]))
    return CacheCounts()


class SlidingWindowRateThrottle(throttling.SimpleRateThrottle):
    """DRF's rates, scopes and keys; this counter. Listed after a DRF throttle among the bases,
    so that throttle's own `allow_request` (the scoped one picks its rate there) runs first."""

    # Not DRF's key: a request-time list left there by an earlier version is never read.
    cache_format = "throttle-window_%(scope)s_%(ident)s"
    duration: float

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        with counts_store().locked(self.key) as stored:
            self.now = self.timer()
            window, self.previous, self.current = self._counts(stored.read())
            self.window_start = window * self.duration
            overlap = 1 - (self.now - self.window_start) / self.duration
            if self.current + math.ceil(self.previous * overlap) >= self.num_requests:
                return False
            stored.write((window, self.previous, self.current + 1), 2 * self.duration)
            return True

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
