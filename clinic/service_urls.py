"""What every URL setting of a service (STORAGE_URL, REDIS_URL) checks first."""

import urllib.parse
from collections.abc import Collection

from django.core.exceptions import ImproperlyConfigured


def split_service_url(
    setting: str, url: str, schemes: Collection[str], expected: str
) -> urllib.parse.SplitResult:
    """`url`'s parts; start-up stops with a message naming `setting` when the scheme is not
    one of `schemes` (`expected` says which, for a person) or the port is not a number."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in schemes:
        raise ImproperlyConfigured(
            f"{setting} must start with {expected}, "
            f"not {parts.scheme + '://' if parts.scheme else 'no scheme'}."
        )
    try:
        parts.port  # noqa: B018 (urlsplit checks the port only when asked)
    except ValueError:
        raise ImproperlyConfigured(
            f"{setting} has a port that is not a number from 0 to 65535."
        ) from None
    return parts
