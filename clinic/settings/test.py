"""What the test run changes: speed, and a throwaway media folder."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("FORCE_HTTPS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _throwaway_folder(prefix: str) -> str:
    """A temporary folder removed when the process that made it exits (a forked worker that
    inherits the exit hook must not remove its parent's folder)."""
    folder = tempfile.mkdtemp(prefix=prefix)
    owner = os.getpid()

    def remove_if_owner() -> None:
        if os.getpid() == owner:
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove_if_owner)
    return folder


MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or _throwaway_folder("clinic-test-media-")
STATIC_ROOT = _throwaway_folder("clinic-test-static-")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test run (and each test) starts with an empty cache; tests of the shared cache run
# gunicorn with the production settings.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"user": None, "anon": None, "handout": None, "login": None},
}
