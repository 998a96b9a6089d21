"""DRF's throttles, counted exactly across the workers of one machine, at a fixed cost a request.

A throttle reads the client's count from the cache and writes it back; two workers answering
the same client at once both read the old count and one write is lost, so a client got more
than its limit. Holding an exclusive file lock (beside the file-based cache) from the read to
the write makes the count exact for the workers of a machine. With Redis (several servers) the
lock is per machine: a client hitting two servers at the same moment can still get a request or
two over.

DRF keeps every request's time for the whole period (up to 2,000 for the user limit), read and
written again on every request. Here the state is three numbers: a sliding-window counter. The
period is cut into fixed windows; a request is allowed while the requests of the current window
plus the previous window's, weighted by how much of it still overlaps the last period, stay
under the limit (rounded up, so the estimate never lets more through than the limit).
"""

import fcntl
import math
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from rest_framework import throttling


@contextmanager
def _machine_lock():
    folder = Path(settings.CACHES["default"].get("LOCATION") or "")
    if isinstance(caches["default"], FileBasedCache):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(folder / "throttle.lock", "a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            yield
    else:
        yield


class SlidingWindowRateThrottle(throttling.SimpleRateThrottle):
    """DRF's rates, scopes and keys; this counter. Listed after a DRF throttle among the bases,
    so that throttle's own `allow_request` (the scoped one picks its rate there) runs first."""

    # Not DRF's key: a request-time list left there by an earlier version is never read.
    cache_format = "throttle-window_%(scope)s_%(ident)s"

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        with _machine_lock():
            self.now = self.timer()
            window, self.previous, self.current = self._counts()
            self.window_start = window * self.duration
            overlap = 1 - (self.now - self.window_start) / self.duration
            if self.current + math.ceil(self.previous * overlap) >= self.num_requests:
                return False
            self.cache.set(self.key, (window, self.previous, self.current + 1), 2 * self.duration)
            return True

    def _counts(self) -> tuple[int, int, int]:
        """(the current window's number, requests in the previous window, in this one)."""
        window = int(self.now // self.duration)
        stored_window, previous, current = self.cache.get(self.key) or (window, 0, 0)
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
