"""The shared cache of several servers, from REDIS_URL (rate-limit counts, catalogue lists).

    redis://[:password@]host[:port][/db]      (plain, e.g. on a private network)
    rediss://[:password@]host[:port][/db]     (TLS)
    unix:///run/redis/redis.sock[?db=N]       (a socket on this machine)

A URL that cannot work (another scheme, no host, a port or database that is not a number, the
redis package missing) stops start-up with a message naming what is wrong. A Redis that merely
does not answer does not: the app starts not ready (/readyz 503) and becomes ready when Redis
answers, with no restart, since every request opens or reuses its connection from the pool.
"""

import importlib.util
import urllib.parse

from django.core.exceptions import ImproperlyConfigured

from clinic.service_urls import split_service_url

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
SCHEMES = ("redis", "rediss", "unix")
# A request waiting on a Redis that does not answer waits this long, then answers 503; the
# default (none) would hold a worker until the operating system gives up on the connection.
SOCKET_TIMEOUT_SECONDS = 1.0


def _refuse(problem: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"REDIS_URL {problem}")


def cache_from_redis_url(url: str) -> dict:
    """The CACHES["default"] entry that REDIS_URL names (see the module's docstring)."""
    parts = split_service_url("REDIS_URL", url, SCHEMES, "redis://, rediss:// or unix://")
    if parts.scheme == "unix":
        if not parts.path:
            raise _refuse("names no socket: unix:///run/redis/redis.sock.")
        database = urllib.parse.parse_qs(parts.query).get("db", ["0"])[0]
    else:
        if not parts.hostname:
            raise _refuse("names no host: redis://host:6379/0.")
        database = parts.path.strip("/") or "0"
    if not database.isdigit():
        raise _refuse(f"names the database {database!r}: a database is a number, e.g. /0.")
    if importlib.util.find_spec("redis") is None:
        raise _refuse("is set but the redis package is not installed: pip install .[redis]")
    return {
        "BACKEND": REDIS_BACKEND,
        "LOCATION": url,
        "OPTIONS": {
            "socket_connect_timeout": SOCKET_TIMEOUT_SECONDS,
            "socket_timeout": SOCKET_TIMEOUT_SECONDS,
        },
    }


try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # the redis package is needed only with REDIS_URL
    REDIS_UNREACHABLE: tuple[type[Exception], ...] = ()
else:
    # What a request meets while Redis is down: the caller answers 503, not a server error.
    REDIS_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
