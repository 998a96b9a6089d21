"""Settings of a benchmark run: the production settings (clinic.settings.base, DEBUG off) with
three changes, each so the benchmark measures the code rather than its guards:

- ROOT_URLCONF adds one bare Django view (benchmarks.urls), the floor the throughput of the real
  endpoints is compared with. It exists only under these settings, never in production URLs.
- Throttling is off (rates None), or thousands of requests a minute would answer 429.
- Media (stored handout PDFs) go to a throwaway folder.

The database comes from DATABASE_URL, as in production.
"""

import os
import tempfile

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault(
    "SECRET_KEY", "benchmark-only-secret-key-never-used-in-production-0123456789abcdef"
)
os.environ.setdefault("FORCE_HTTPS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from clinic.settings.base import *  # noqa: F403
from clinic.settings.base import REST_FRAMEWORK

ROOT_URLCONF = "benchmarks.urls"
# The orchestrator gives each run its own folder (removed with the run's temp folder).
MEDIA_ROOT = os.environ.get("BENCH_MEDIA_ROOT") or os.path.join(
    tempfile.gettempdir(), "clinic-benchmark-media"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]),
}
