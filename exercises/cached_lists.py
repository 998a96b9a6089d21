"""The catalogue's lists (and other plain reads of it), served from the shared cache between
catalogue writes.

The catalogue is read by every clinic and written by a few editors, so a list's answer is kept
under the catalogue's current version, which every write of a catalogue record replaces:
the next request after a write computes the list afresh, in every worker (the cache is shared:
files on one machine, Redis across several).

A write replaces the version twice: when it is made, so the writer's own next request already
sees it, and again when its transaction commits, so that an answer another worker computed
from the rows as they were before the commit is never kept under the new version.
"""

import hashlib
import uuid
from collections.abc import Sequence

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

VERSION_KEY = "catalogue:version"
# A replaced version's answers are never read again; they expire after this.
LIST_SECONDS = 300


def catalogue_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def replace_catalogue_version(using: str | None = None) -> None:
    _new_version()
    transaction.on_commit(_new_version, using=using)


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def list_key(url: str, audience: str) -> str:
    """The cache key of one list answer: the full URL (host and query string included, since
    the answer's links are absolute) for one audience (editors also see drafts), in the
    answer's language (chosen by `Accept-Language` too, which the URL does not hold)."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
    return f"catalogue:list:{catalogue_version()}:{get_language()}:{audience}:{digest}"


def read_once_per_version(name: str, arguments: Sequence[object], read):
    """`read()`'s value (plain data read from catalogue records only), computed once for these
    arguments and the active language while the catalogue is unchanged."""
    digest = hashlib.sha256(repr(arguments).encode("utf-8")).hexdigest()
    key = f"catalogue:{name}:{catalogue_version()}:{get_language()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = read()
        cache.set(key, value, LIST_SECONDS)
    return value


def cached_answer(key: str):
    return cache.get(key)


def keep_answer(key: str, data) -> None:
    cache.set(key, data, LIST_SECONDS)
