"""What a load balancer asks before it sends a server requests: do the database, the cache
and the file storage answer?

The database and the cache are asked on every call (one small read each). The storage is
asked by storing and removing a probe file, as issuing a handout does, because only a write
shows a full disk, a read-only mount or a bucket policy that refuses; that write is remembered
for a few seconds, so a load balancer polling every second does not pay it on every poll.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection

from clinic.file_storage import storage_writable

STORAGE_PROBE_SECONDS = 5.0


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def cache_answers() -> bool:
    try:
        cache.get("readiness-probe")
    except Exception:
        return False
    return True


@dataclass(frozen=True)
class _StorageProbe:
    configuration: tuple
    checked_at: float
    writable: bool


_last_storage_probe: list[_StorageProbe] = []


def _storage_configuration() -> tuple:
    return (repr(settings.STORAGES["default"]), str(settings.MEDIA_ROOT))


def storage_writable_lately() -> bool:
    """The result of a storage write probe no older than STORAGE_PROBE_SECONDS, for the
    storage configured now (a changed configuration is probed at once)."""
    configuration = _storage_configuration()
    now = time.monotonic()
    for probe in _last_storage_probe:
        if probe.configuration == configuration and now - probe.checked_at < STORAGE_PROBE_SECONDS:
            return probe.writable
    writable = storage_writable()
    _last_storage_probe[:] = [_StorageProbe(configuration, now, writable)]
    return writable
