"""Settings of a benchmark run: the test settings (clinic.settings.test: the production settings
with DEBUG off and logging on, throttling off so thousands of requests a minute do not answer
429, a fast password hasher no measured request uses, and media in a throwaway folder, the one
named by MEDIA_ROOT; the orchestrator gives each phase its own) plus what only a benchmark needs:

- ROOT_URLCONF adds one bare Django view (benchmarks.urls), the floor the throughput of the real
  endpoints is compared with. It exists only under these settings, never in production URLs.
- The benchmarks app, for its `generate_dataset` command.

The database comes from DATABASE_URL, as in production.
"""

from clinic.settings.test import *  # noqa: F403
from clinic.settings.test import INSTALLED_APPS

ROOT_URLCONF = "benchmarks.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]
