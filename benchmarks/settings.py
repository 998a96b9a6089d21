"""Settings of a benchmark run: the production settings as shipped (clinic.settings.base), for
the in-process requests and the gunicorn server alike, so both measure the request a clinic's
server answers. Not the test settings: they swap the shared file cache for a per-process
locmem cache, switch the throttles off and use a fast password hasher, and a benchmark of
those would leave out what every real request pays (the throttles' cache reads and writes
under their machine-wide lock, one file per client and scope).

What a run changes, each only through the environment variables the production settings read:

- The throttles stay on, the shipped classes; only their rates are raised so that thousands
  of requests do not answer 429 (THROTTLE_*_RATE, "100000/second"). A request costs the same
  counting work at any rate: three numbers per client and scope, read and written in place
  (clinic/api/throttling.py).
- The shared cache is the shipped file-based one, in a throwaway folder (CACHE_DIR; the
  benchmark phase and its gunicorn share it, as a server's workers do).
- Media in a throwaway folder (MEDIA_ROOT; the orchestrator gives each phase its own).
- Persistent connections (60 s, health checks) as shipped; DATABASE_URL names the database,
  and `--conn-max-age` may add `?conn_max_age=N` to it.
- A secret key, plain HTTP on loopback and the hosts a local client sends.

And what only a benchmark adds:

- ROOT_URLCONF adds one bare Django view (benchmarks.urls), the floor the throughput of the
  real endpoints is compared with. It exists only under these settings, never in production.
- The benchmarks app, for its `generate_dataset` command.
"""

import os
import tempfile

RAISED_THROTTLE_RATE = "100000/second"

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("FORCE_HTTPS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
for scope in ("USER", "ANON", "HANDOUT", "LOGIN"):
    os.environ.setdefault(f"THROTTLE_{scope}_RATE", RAISED_THROTTLE_RATE)
for name, prefix in (("CACHE_DIR", "bench-cache-"), ("MEDIA_ROOT", "bench-media-")):
    if not os.environ.get(name):
        os.environ[name] = tempfile.mkdtemp(prefix=prefix)

from clinic.settings.base import *  # noqa: E402, F403
from clinic.settings.base import INSTALLED_APPS  # noqa: E402

ROOT_URLCONF = "benchmarks.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]
