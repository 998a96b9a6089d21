"""DRF's throttles, counted exactly across the workers of one machine.

A throttle reads the client's request history from the cache and writes it back; two workers
answering the same client at once both read the old history and one write is lost, so a
client got more than its limit. Holding an exclusive file lock (beside the file-based cache)
from the read to the write makes the count exact for the workers of a machine. With Redis
(several servers) the lock is per machine: a client hitting two servers at the same moment
can still get a request or two over.
"""

import fcntl
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from rest_framework import throttling


@contextmanager
def _machine_lock():
    folder = Path(settings.CACHES["default"].get("LOCATION") or "")
    if settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(folder / "throttle.lock", "a") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            yield
    else:
        yield


class LockedThrottleMixin:
    def allow_request(self, request, view):
        with _machine_lock():
            return super().allow_request(request, view)


class UserRateThrottle(LockedThrottleMixin, throttling.UserRateThrottle):
    pass


class AnonRateThrottle(LockedThrottleMixin, throttling.AnonRateThrottle):
    pass


class ScopedRateThrottle(LockedThrottleMixin, throttling.ScopedRateThrottle):
    pass
