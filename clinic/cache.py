"""The default shared cache: Django's file-based cache, counting its files less often.

Django's file cache lists its whole folder on every write to decide whether to cull; with a few
thousand files (rate-limit counts, catalogue lists) that listing costs milliseconds on every
throttled request. Here each cache object lists the folder on one write in CULL_CHECK_EVERY, so
the folder can exceed MAX_ENTRIES by at most that many files per worker thread before a cull.
"""

from django.core.cache.backends.filebased import FileBasedCache

CULL_CHECK_EVERY = 100


class FileCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._writes_since_cull_check = 0

    def _cull(self):
        self._writes_since_cull_check += 1
        if self._writes_since_cull_check >= CULL_CHECK_EVERY:
            self._writes_since_cull_check = 0
            super()._cull()
