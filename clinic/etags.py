"""Entity tags: which version of a record the client has (ETag, If-Match, If-None-Match)."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.http import parse_etags

from clinic.errors import StalePrecondition

WEAK_PREFIX = "W/"


def representation_etag(data) -> str:
    """The tag of what the client reads, for records whose writes need no If-Match."""
    text = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return f'"{hashlib.sha256(text.encode()).hexdigest()[:32]}"'


def etag_of(record, data) -> str:
    """A record that writes guard with If-Match carries its version (`record.etag`, compared
    by its service under the row lock); any other is tagged by what the client reads."""
    version = getattr(record, "etag", None)
    return version if version is not None else representation_etag(data)


def if_match_holds(current: str, if_match: str | None) -> bool:
    """No If-Match always holds; otherwise the strong comparison of RFC 9110 (W/ never matches)."""
    return if_match is None or bool({"*", current} & set(parse_etags(if_match)))


def if_none_match_holds(current: str, if_none_match: str) -> bool:
    """True when the client's copy is current: the weak comparison GET uses."""
    tags = {tag.removeprefix(WEAK_PREFIX) for tag in parse_etags(if_none_match)}
    return bool({"*", current.removeprefix(WEAK_PREFIX)} & tags)


def require_current(record, if_match: str | None) -> None:
    """Call with the record read under its row lock, inside the write's transaction."""
    if not if_match_holds(record.etag, if_match):
        raise StalePrecondition()
